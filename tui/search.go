package tui

import (
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"whycall/taxonomy"
)

// search is the fuzzy search over every offered reason (/): a text field
// and the best matches, refreshed on every keystroke.
type search struct {
	input   textinput.Model
	results []taxonomy.Match
	cur     int
	w, h    int
}

func newSearch(st *Styles) search {
	in := textinput.New()
	in.Prompt = "/ "
	in.Placeholder = "type to search all reasons"
	in.CharLimit = 60
	in.SetStyles(st.Input)
	return search{input: in}
}

// open clears the field and focuses it.
func (s *search) open() tea.Cmd {
	s.input.Reset()
	s.results, s.cur = nil, 0
	return s.input.Focus()
}

// close blurs the field.
func (s *search) close() {
	s.input.Blur()
}

// limit is how many results fit the pane: title, field, then rows.
func (s *search) limit() int { return max(1, s.h-2) }

// update passes a key or paste to the field and searches again when the
// text changed.
func (s *search) update(msg tea.Msg, sh *shared) tea.Cmd {
	before := s.input.Value()
	var cmd tea.Cmd
	s.input, cmd = s.input.Update(msg)
	if q := s.input.Value(); q != before {
		s.results, s.cur = nil, 0
		if strings.TrimSpace(q) != "" {
			s.results = sh.tax.Search(q, sh.locale, s.limit())
		}
	}
	return cmd
}

func (s *search) move(d int) {
	s.cur = clampInt(s.cur+d, 0, len(s.results)-1)
}

// picked returns the highlighted result's reason, or nil.
func (s *search) picked() *taxonomy.Reason {
	if len(s.results) == 0 {
		return nil
	}
	return s.results[s.cur].Reason
}

// view returns the search pane as s.h lines of s.w columns.
func (s *search) view(sh *shared, tagged []string) []string {
	st := sh.styles
	lines := make([]string, 0, s.h)
	lines = append(lines, spread(paint(st.ink.PaneTitle, "SEARCH"), paint(st.ink.Dim, "enter pick · esc close"), s.w))
	lines = append(lines, fit(s.input.View(), s.w))
	if strings.TrimSpace(s.input.Value()) != "" && len(s.results) == 0 {
		lines = append(lines, fit(paint(st.ink.Dim, "  no reason matches"), s.w))
	}
	for i, m := range s.results {
		if len(lines) >= s.h {
			break
		}
		lines = append(lines, s.row(sh, m, i == s.cur, contains(tagged, m.Reason.ID)))
	}
	for len(lines) < s.h {
		lines = append(lines, spaces(s.w))
	}
	return lines
}

// row renders one result: the hotkey path and the label with the matched
// characters underlined (and the text that matched, when it is not the label).
func (s *search) row(sh *shared, m taxonomy.Match, sel, tagged bool) string {
	st, l := sh.styles, sh.locale
	r := m.Reason
	path := "  "
	if ci, ok := sh.idx.catOf[r.ID]; ok && r.Hotkey != "" {
		path = sh.idx.cats[ci].Hotkey + r.Hotkey
	}
	label := r.Label(l)
	shown := label
	if m.Text == label {
		shown = highlight(label, m.Positions, st.ink.Match, st.ink.Item)
	} else {
		shown = paint(st.ink.Item, label) + paint(st.ink.Dim, " ← ") + highlight(m.Text, m.Positions, st.ink.Match, st.ink.Dim)
	}
	mark := "  "
	if tagged {
		mark = paint(st.ink.Tagged, "✓ ")
	}
	marker := " "
	if sel {
		marker = paint(st.ink.Selected, "▸")
	}
	// The hotkey path names the category; the row has no room for more.
	left := marker + paint(st.ink.Hotkey, path) + " " + shown
	return fit(left, s.w-2) + mark
}

// highlight paints the runes of s at positions in hi and the rest in base.
func highlight(s string, positions []int, hi, base ink) string {
	if len(positions) == 0 {
		return paint(base, s)
	}
	var b strings.Builder
	at := map[int]bool{}
	for _, p := range positions {
		at[p] = true
	}
	runes := []rune(s)
	start := 0
	for start < len(runes) {
		end := start
		for end < len(runes) && at[end] == at[start] {
			end++
		}
		chunk := string(runes[start:end])
		if at[start] {
			b.WriteString(paint(hi, chunk))
		} else {
			b.WriteString(paint(base, chunk))
		}
		start = end
	}
	return b.String()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
