package tui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
)

// helpScreen renders the help screen of screen s from the KeyMap, in as
// many columns as the width allows, each group kept whole.
func helpScreen(sh *shared, s Screen, w, h int) []string {
	st := sh.styles
	groups := sh.keys.helpGroups(s)
	cols := 3
	colW := (w - (cols - 1)) / cols
	keyW := 10
	var columns [][]string
	var cur []string
	for _, g := range groups {
		block := []string{fit(paint(st.ink.PaneTitle, g.title), colW)}
		for _, b := range g.bindings {
			hp := b.Help()
			if !b.Enabled() || hp.Key == "" {
				continue
			}
			block = append(block, fit(" "+paint(st.ink.Key, fit(hp.Key, keyW))+paint(st.ink.KeyDesc, hp.Desc), colW))
		}
		if len(cur) > 0 && len(cur)+len(block) > h-1 {
			columns = append(columns, cur)
			cur = nil
		}
		cur = append(cur, block...)
	}
	columns = append(columns, cur)
	title := map[Screen]string{ScreenCapture: "KEYS · CAPTURE", ScreenRecent: "KEYS · TODAY'S LIST", ScreenSummary: "KEYS · SUMMARY"}[s]
	lines := []string{spread(paint(st.ink.PaneTitle, title), paint(st.ink.Dim, "? or esc closes"), w)}
	for row := 0; len(lines) < h; row++ {
		var b strings.Builder
		any := false
		for i, col := range columns {
			if i > 0 {
				b.WriteByte(' ')
			}
			if row < len(col) {
				b.WriteString(col[row])
				any = true
			} else {
				b.WriteString(spaces(colW))
			}
		}
		if !any {
			lines = append(lines, spaces(w))
			continue
		}
		lines = append(lines, fit(b.String(), w))
	}
	return lines
}

// footerState names what the footer should offer; with the width and the
// styles it is the footer cache's key.
type footerState int

const (
	footMenuReady footerState = iota
	footMenuContact
	footReasons
	footTags
	footField
	footSearch
	footRecent
	footRecentUndo
	footSummary
	footSummaryDetail
	footConfirm
	footHelp
	footTooSmall
)

// outcomeBinding folds the four outcome keys into one footer entry.
func (k KeyMap) outcomeBinding() key.Binding {
	c := k.Contact
	keys := []string{}
	helps := []string{}
	for _, b := range []key.Binding{c.Resolved, c.Unresolved, c.FollowUp, c.Escalated} {
		keys = append(keys, b.Keys()...)
		helps = append(helps, b.Help().Key)
	}
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(strings.Join(helps, "/"), "outcome"))
}

// footerBindings are the few keys that matter in state s.
func (k KeyMap) footerBindings(s footerState) []key.Binding {
	switch s {
	case footMenuReady:
		return []key.Binding{k.Menu.Category, k.Menu.Search, k.Contact.New, k.Contact.Recent, k.Global.Help}
	case footMenuContact:
		return []key.Binding{k.outcomeBinding(), k.Contact.Save, k.Contact.Undo, k.Contact.NextField, k.Global.Help}
	case footReasons:
		return []key.Binding{k.Menu.Reason, k.Menu.Pick, k.Menu.Back, k.Menu.Search, k.Contact.Save, k.Global.Help}
	case footTags:
		return []key.Binding{k.Reasons.Up, k.Reasons.Primary, k.Reasons.Remove, k.Field.Next, k.Field.Leave}
	case footField:
		return []key.Binding{k.Field.Done, k.Field.Leave, k.Field.Next, k.Global.Quit}
	case footSearch:
		return []key.Binding{k.Search.Up, k.Search.Down, k.Search.Pick, k.Search.Close}
	case footRecent:
		return []key.Binding{k.Recent.Up, k.Recent.Down, k.Recent.Edit, k.Recent.Delete, k.Recent.Close, k.Global.Help}
	case footRecentUndo:
		return []key.Binding{pair(k.Recent.Up, k.Recent.Down, "move"), k.Recent.Edit, k.Recent.Delete, k.Recent.Undo,
			k.Recent.Close, k.Global.Help}
	case footSummary:
		return []key.Binding{pair(k.Summary.PrevDay, k.Summary.NextDay, "day"), pair(k.Summary.Up, k.Summary.Down, "reason"),
			k.Summary.Details, k.Summary.Owner, k.Summary.Close, k.Global.Help}
	case footSummaryDetail:
		return []key.Binding{pair(k.Summary.PrevDay, k.Summary.NextDay, "day"), pair(k.Summary.Up, k.Summary.Down, "reason"),
			pair(k.Summary.PageUp, k.Summary.PageDown, "scroll"), k.Summary.Close, k.Global.Help}
	case footConfirm:
		return []key.Binding{k.Confirm.Yes, k.Confirm.No}
	case footHelp:
		return []key.Binding{k.Global.CloseHelp, k.Global.Quit}
	}
	return []key.Binding{k.Global.Quit}
}

// footerCache holds the footer of every state met so far at the current
// size and styles; the footer changes with nearly every key, and the help
// bubble's rendering is slow.
type footerCache struct {
	gen, w int
	lines  map[footerState]string
	help   help.Model
}

// render renders the footer for state s, memoised.
func (fc *footerCache) render(sh *shared, s footerState, w int) string {
	if fc.lines == nil || fc.gen != sh.gen || fc.w != w {
		fc.lines = map[footerState]string{}
		fc.gen, fc.w = sh.gen, w
		fc.help.Styles = sh.styles.Help
		fc.help.ShortSeparator = " · "
		fc.help.SetWidth(w - 1)
	}
	if l, ok := fc.lines[s]; ok {
		return l
	}
	l := fit(" "+fc.help.ShortHelpView(sh.keys.footerBindings(s)), w)
	fc.lines[s] = l
	return l
}
