package tui

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// benchSummaryModel is a sized, loaded model at 80×24 on the summary screen
// with the hand-made day computed.
func benchSummaryModel(b *testing.B) *Model {
	b.Helper()
	m, err := New(Options{Store: &memStore{}, Taxonomy: testTax(b), Locale: "nb", Agent: "kari", Team: "Nord",
		Location: oslo, Now: func() time.Time { return t0 }, Dark: true, Summary: handSource("nb")})
	if err != nil {
		b.Fatal(err)
	}
	m.setAfter(func(time.Duration, tea.Msg) tea.Cmd { return nil })
	next, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	next, _ = next.Update(loadedMsg{})
	return drive(next.(*Model), keyMsg("S"))
}

// BenchmarkSummaryScreen is the summary screen's cost per frame: View
// alone (unchanged, and cold as after a resize), and Update + View for a
// key that moves the selection, scrolls a page, opens and closes a
// reason's details, switches to the capture screen and back, steps to a day
// computed before, or moves the owner filter (the last two lay the page out
// anew). Summaries come from the cache; recomputing today runs in a
// command, off the frame, and is not run here.
func BenchmarkSummaryScreen(b *testing.B) {
	views := []struct {
		name   string
		before func(m *Model)
	}{
		{"view_unchanged", func(*Model) {}},
		{"view_cold", func(m *Model) { m.sh.gen++ }},
	}
	for _, c := range views {
		b.Run(c.name, func(b *testing.B) {
			m := benchSummaryModel(b)
			b.ReportAllocs()
			b.ResetTimer()
			defer cpuMeter(b)()
			for range b.N {
				c.before(m)
				_ = m.View()
			}
		})
	}
	keys := []struct {
		name string
		keys []string
	}{
		{"select", []string{"down", "down", "up", "up"}},
		{"page", []string{"pgdown", "pgdown", "pgup", "pgup"}},
		{"details", []string{"enter", "esc"}},
		{"switch", []string{"esc", "S"}},
		{"day_cached", []string{"left", "right"}},
		{"owner_filter", []string{"o"}},
	}
	for _, c := range keys {
		b.Run(c.name, func(b *testing.B) {
			m := benchSummaryModel(b)
			msgs := make([]tea.Msg, len(c.keys))
			for i, k := range c.keys {
				msgs[i] = keyMsg(k)
				m = drive(m, msgs[i]) // compute what the keys show once
			}
			benchKeys(b, m, msgs)
		})
	}
}
