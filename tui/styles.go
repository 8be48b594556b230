package tui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
)

// Styles is every style the app draws with, made once per background
// (dark or light) so View never builds a style. Nothing is said by colour
// alone: the highlighted row is reversed, errors carry ⚠ and bold, matches
// are underlined, so the screen stays readable under NO_COLOR (where the
// renderer drops colours but keeps these attributes).
type Styles struct {
	// Dark records which background the styles were made for.
	Dark bool

	App       lipgloss.Style // "whycall" in the header
	Header    lipgloss.Style // the rest of the header
	Clock     lipgloss.Style // header clock and contact timer
	Rule      lipgloss.Style // horizontal and vertical rules
	PaneTitle lipgloss.Style // CATEGORIES, CONTACT, …
	Dim       lipgloss.Style // secondary text: descriptions, hints
	Hotkey    lipgloss.Style // a digit or letter in the menu
	Item      lipgloss.Style // a menu row's label
	Selected  lipgloss.Style // the highlighted row
	Tagged    lipgloss.Style // ✓ on reasons already in the contact
	Primary   lipgloss.Style // ★ on the primary reason
	Match     lipgloss.Style // matched characters in search results
	Label     lipgloss.Style // field names on the contact card
	Focused   lipgloss.Style // the field name that has focus
	Value     lipgloss.Style // field values
	OK        lipgloss.Style // saved, synced
	Warn      lipgloss.Style // needs attention (note required, sync pending)
	Error     lipgloss.Style // not saved, sync failing
	Key       lipgloss.Style // a key in the footer
	KeyDesc   lipgloss.Style // what it does
	Help      help.Styles
	Input     textinput.Styles

	// ink holds each style above as its SGR prefix and suffix, so drawing
	// a styled word is a string concatenation instead of a lipgloss render.
	ink inks
}

// ink is a style reduced to what it prints before and after a text.
type ink struct{ pre, post string }

// inkOf reduces an inline style (colours and attributes, no size or
// padding) to an ink.
func inkOf(st lipgloss.Style) ink {
	const probe = "\uE000"
	r := st.Render(probe)
	i := strings.Index(r, probe)
	if i < 0 {
		return ink{}
	}
	return ink{pre: r[:i], post: r[i+len(probe):]}
}

type inks struct {
	App, Header, Clock, Rule, PaneTitle, Dim, Hotkey, Item, Selected, Tagged, Primary, Match,
	Label, Focused, Value, OK, Warn, Error, Key, KeyDesc ink
}

// NewStyles returns the styles for a dark or a light terminal background.
func NewStyles(isDark bool) *Styles {
	ld := lipgloss.LightDark(isDark)
	c := lipgloss.Color
	var (
		accent = ld(c("#2F4FB8"), c("#8FA8FF"))
		text   = ld(c("#1F2328"), c("#E6E6E6"))
		dim    = ld(c("#5F6670"), c("#8C929B"))
		rule   = ld(c("#B8BCC4"), c("#454B55"))
		ok     = ld(c("#1E7B3A"), c("#6BD68A"))
		warn   = ld(c("#8A5A00"), c("#F2C14E"))
		bad    = ld(c("#B3261E"), c("#FF7A70"))
	)
	n := lipgloss.NewStyle
	s := &Styles{
		Dark:      isDark,
		App:       n().Bold(true).Foreground(accent),
		Header:    n().Foreground(text),
		Clock:     n().Bold(true).Foreground(text),
		Rule:      n().Foreground(rule),
		PaneTitle: n().Bold(true).Foreground(accent),
		Dim:       n().Foreground(dim),
		Hotkey:    n().Bold(true).Foreground(accent),
		Item:      n().Foreground(text),
		Selected:  n().Bold(true).Reverse(true).Foreground(accent),
		Tagged:    n().Bold(true).Foreground(ok),
		Primary:   n().Bold(true).Foreground(warn),
		Match:     n().Bold(true).Underline(true).Foreground(accent),
		Label:     n().Foreground(dim),
		Focused:   n().Bold(true).Underline(true).Foreground(accent),
		Value:     n().Foreground(text),
		OK:        n().Foreground(ok),
		Warn:      n().Bold(true).Foreground(warn),
		Error:     n().Bold(true).Foreground(bad),
		Key:       n().Bold(true).Foreground(text),
		KeyDesc:   n().Foreground(dim),
	}
	s.Help = help.DefaultStyles(isDark)
	s.Help.ShortKey = s.Key
	s.Help.ShortDesc = s.KeyDesc
	s.Help.ShortSeparator = s.Dim
	s.Help.FullKey = s.Key
	s.Help.FullDesc = s.KeyDesc
	s.Help.FullSeparator = s.Dim

	s.Input = textinput.DefaultStyles(isDark)
	s.Input.Focused.Prompt = s.Focused
	s.Input.Focused.Text = s.Value
	s.Input.Focused.Placeholder = s.Dim
	s.Input.Blurred.Prompt = s.Label
	s.Input.Blurred.Text = s.Value
	s.Input.Blurred.Placeholder = s.Dim
	s.Input.Cursor.Blink = false
	s.Input.Cursor.Color = accent
	s.ink = inks{
		App: inkOf(s.App), Header: inkOf(s.Header), Clock: inkOf(s.Clock), Rule: inkOf(s.Rule),
		PaneTitle: inkOf(s.PaneTitle), Dim: inkOf(s.Dim), Hotkey: inkOf(s.Hotkey), Item: inkOf(s.Item),
		Selected: inkOf(s.Selected), Tagged: inkOf(s.Tagged), Primary: inkOf(s.Primary), Match: inkOf(s.Match),
		Label: inkOf(s.Label), Focused: inkOf(s.Focused), Value: inkOf(s.Value), OK: inkOf(s.OK),
		Warn: inkOf(s.Warn), Error: inkOf(s.Error), Key: inkOf(s.Key), KeyDesc: inkOf(s.KeyDesc),
	}
	return s
}
