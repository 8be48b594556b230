package tui

import (
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// typingPause is how long the keys must pause before text keys typed
// outside a text field count as hotkeys again. Touch typists leave well
// under half a second between keys; a deliberate hotkey after reading the
// screen comes later than this.
const typingPause = time.Second

// typingGuard keeps text the agent meant for a field from acting as
// hotkeys. An agent who thinks the note field still has focus types on:
// "kunde vil bytte" would open a category at the space and tag reasons at
// its letters. The guard is armed when enter leaves a text field while the
// agent is still typing in it, and by a key that means nothing in the menu
// (a letter outside a category, a second wrong letter in one); from then
// on, text keys are held back (never acted on) until the keys pause for
// typingPause, and an enter right after held-back text does not save.
// Keys that are not text (esc, tab, arrows, ctrl+…) end the guard.
type typingGuard struct {
	armed bool
	// last is when the latest key of the burst came.
	last time.Time
	// held is the text held back, shown so the agent sees where it went.
	held string
	// misses counts keys in a row that meant nothing in the menu.
	misses int
	// typedAt is when a text field last took a keystroke.
	typedAt time.Time
}

// active reports whether text keys arriving at now are held back.
func (g *typingGuard) active(now time.Time) bool {
	return g.armed && now.Sub(g.last) < typingPause
}

// arm starts holding back text keys from now on.
func (g *typingGuard) arm(now time.Time, held string) {
	g.armed, g.last, g.held = true, now, held
}

// disarm ends the guard.
func (g *typingGuard) disarm() {
	g.armed, g.held, g.misses = false, "", 0
}

// leftField arms the guard when enter leaves a text field while the agent
// is still typing in it.
func (g *typingGuard) leftField(now time.Time) {
	if !g.typedAt.IsZero() && now.Sub(g.typedAt) < typingPause {
		g.arm(now, "")
	}
}

// miss records a key that meant nothing in the menu. Outside a category
// (top) one is enough to arm the guard: letters mean nothing there. Inside
// one, a single wrong letter is a typo and the right one must follow at
// once, so it takes two in a row.
func (g *typingGuard) miss(now time.Time, text string, top bool) {
	recent := !g.last.IsZero() && now.Sub(g.last) < typingPause
	if !recent {
		g.misses = 0
	}
	g.misses++
	g.last = now
	if top || g.misses >= 2 {
		if !g.armed {
			g.held = ""
		}
		g.armed = true
		g.held += text
	}
}

// isText reports whether a key press types text (a letter, digit, space or
// punctuation, without ctrl or alt).
func isText(msg tea.KeyPressMsg) bool {
	return msg.Text != "" && msg.Mod&(tea.ModCtrl|tea.ModAlt|tea.ModSuper) == 0
}

// heldText shortens the held-back text for the status line.
func heldText(s string) string {
	r := []rune(s)
	if len(r) > 14 {
		return "…" + string(r[len(r)-13:])
	}
	return s
}

// guardKey applies the guard to a key pressed in the menu; held is true
// when the key was held back.
func (m *Model) guardKey(msg tea.KeyPressMsg, ks keyText) (held bool) {
	g := &m.guard
	if !g.active(m.clock) {
		if g.armed {
			g.disarm()
		}
		return false
	}
	switch {
	case isText(msg):
		g.held += msg.Text
		g.last = m.clock
		m.say(noticeWarn, "Held back “"+heldText(g.held)+"” (typed outside a field); keys act after a pause.")
		return true
	case g.held != "" && key.Matches(ks, m.sh.keys.Contact.Save):
		// The agent typed into nowhere and pressed enter as if ending a
		// note: saving now would drop what they meant to write.
		g.held, g.last = "", m.clock
		m.say(noticeWarn, "Not saved: enter came right after typing outside a field. Enter again saves.")
		return true
	}
	g.disarm()
	return false
}
