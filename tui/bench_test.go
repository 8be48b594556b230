package tui

import (
	"context"
	"io"
	"slices"
	"strconv"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"

	"whycall/store"
	"whycall/taxonomy"
	"whycall/taxonomy/taxtest"
)

// memStore is an in-memory Store for benchmarks, so they measure the
// screen and not the disk (the store has its own save benchmarks).
type memStore struct {
	n  int
	cs map[string]store.Contact
}

func (s *memStore) put(c store.Contact) (store.Contact, error) {
	c.Rev++
	s.cs[c.ID] = c
	return c, nil
}

func (s *memStore) change(id string, f func(*store.Contact)) (store.Contact, error) {
	c, ok := s.cs[id]
	if !ok {
		return c, store.ErrNotFound
	}
	c.Reasons = slices.Clone(c.Reasons)
	f(&c)
	return s.put(c)
}

func (s *memStore) StartDraft(_ context.Context, d store.Draft) (store.Contact, error) {
	if s.cs == nil {
		s.cs = map[string]store.Contact{}
	}
	s.n++
	return s.put(store.Contact{ID: "c" + strconv.Itoa(s.n), Agent: d.Agent, Channel: store.ChannelPhone,
		Outcome: store.OutcomeUnknown, StartedAt: d.StartedAt, TaxonomyVersion: d.TaxonomyVersion})
}
func (s *memStore) AddReason(_ context.Context, id, r string) (store.Contact, error) {
	return s.change(id, func(c *store.Contact) { c.Reasons = append(c.Reasons, r) })
}
func (s *memStore) RemoveReason(_ context.Context, id, r string) (store.Contact, error) {
	return s.change(id, func(c *store.Contact) {
		c.Reasons = slices.DeleteFunc(c.Reasons, func(x string) bool { return x == r })
	})
}
func (s *memStore) SetReasons(_ context.Context, id string, rs []string) (store.Contact, error) {
	return s.change(id, func(c *store.Contact) { c.Reasons = slices.Clone(rs) })
}
func (s *memStore) SetOutcome(_ context.Context, id string, o store.Outcome) (store.Contact, error) {
	return s.change(id, func(c *store.Contact) { c.Outcome = o })
}
func (s *memStore) SetChannel(_ context.Context, id string, ch store.Channel) (store.Contact, error) {
	return s.change(id, func(c *store.Contact) { c.Channel = ch })
}
func (s *memStore) SetCustomerRef(_ context.Context, id, raw string) (store.Contact, error) {
	return s.change(id, func(c *store.Contact) { c.CustomerRef = "h:" + raw })
}
func (s *memStore) SetNote(_ context.Context, id, note string) (store.Contact, error) {
	return s.change(id, func(c *store.Contact) { c.Note = note })
}
func (s *memStore) Finish(_ context.Context, id string, at time.Time) (store.Contact, error) {
	return s.change(id, func(c *store.Contact) { c.EndedAt = at })
}
func (s *memStore) Delete(_ context.Context, id string) (store.Contact, error) {
	return s.change(id, func(c *store.Contact) { c.Deleted = true })
}
func (s *memStore) Restore(_ context.Context, c store.Contact) (store.Contact, error) {
	old := s.cs[c.ID]
	c.Rev = old.Rev
	return s.put(c)
}
func (s *memStore) Recent(context.Context, string, time.Time, int) ([]store.Contact, error) {
	return nil, nil
}
func (s *memStore) Drafts(context.Context, string) ([]store.Contact, error) { return nil, nil }

// cpuMeter reports the process CPU time per op (cpu-ns/op) when the
// returned func is called at the end of the benchmark loop.
func cpuMeter(b *testing.B) func() {
	start := cpuNow()
	return func() {
		b.ReportMetric(float64(cpuNow()-start)/float64(b.N), "cpu-ns/op")
	}
}

// benchKeys times m's Update of msgs in turn, each with the View that
// follows, per op, with allocations and process CPU.
func benchKeys(b *testing.B, m *Model, msgs []tea.Msg) {
	b.ReportAllocs()
	b.ResetTimer()
	defer cpuMeter(b)()
	for i := range b.N {
		next, _ := m.Update(msgs[i%len(msgs)])
		m = next.(*Model)
		_ = m.View()
	}
}

// benchTaxonomies are the reason trees the screen must be fast with.
func benchTaxonomies(b *testing.B) []struct {
	name string
	tax  *taxonomy.Taxonomy
} {
	return []struct {
		name string
		tax  *taxonomy.Taxonomy
	}{
		{"default", testTax(b)},
		{"generated_2000", taxtest.MustGenerate(b, 2000)},
	}
}

// benchModel is a sized, loaded model on an in-memory store with timers off.
func benchModel(b *testing.B, tax *taxonomy.Taxonomy) *Model {
	b.Helper()
	m, err := New(Options{Store: &memStore{}, Taxonomy: tax, Locale: "nb", Agent: "kari", Team: "Nord",
		Location: oslo, Now: func() time.Time { return t0 }, Dark: true})
	if err != nil {
		b.Fatal(err)
	}
	m.setAfter(func(time.Duration, tea.Msg) tea.Cmd { return nil })
	next, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	next, _ = next.Update(loadedMsg{})
	return next.(*Model)
}

// navKeys walk the menu without writing: open a category, move, go back.
var navKeys = []string{"3", "down", "down", "up", "esc", "6", "down", "esc", "up", "down"}

// BenchmarkHotkey is one menu key press: Update and the View that follows.
func BenchmarkHotkey(b *testing.B) {
	for _, tc := range benchTaxonomies(b) {
		b.Run(tc.name, func(b *testing.B) {
			m := benchModel(b, tc.tax)
			keys := make([]tea.Msg, len(navKeys))
			for i, k := range navKeys {
				keys[i] = keyMsg(k)
			}
			benchKeys(b, m, keys)
		})
	}
}

// BenchmarkTagKey is a key press that changes the contact (pick a reason,
// undo it): Update, the write's command against an in-memory store, the
// write-done Update, and a View after each Update.
func BenchmarkTagKey(b *testing.B) {
	for _, tc := range benchTaxonomies(b) {
		b.Run(tc.name, func(b *testing.B) {
			m := benchModel(b, tc.tax)
			m = drive(m, keyMsg("3"))
			keys := []tea.Msg{keyMsg("f"), keyMsg("ctrl+z"), keyMsg("3")}
			b.ReportAllocs()
			b.ResetTimer()
			defer cpuMeter(b)()
			for i := range b.N {
				m = drive(m, keys[i%len(keys)])
			}
		})
	}
}

// drive sends msg, renders, and runs the resulting commands the same way.
func drive(m *Model, msg tea.Msg) *Model {
	queue := []tea.Msg{msg}
	for len(queue) > 0 {
		next, cmd := m.Update(queue[0])
		queue = queue[1:]
		m = next.(*Model)
		_ = m.View()
		cmds := []tea.Cmd{cmd}
		for len(cmds) > 0 {
			c := cmds[0]
			cmds = cmds[1:]
			if c == nil {
				continue
			}
			switch r := c().(type) {
			case tea.BatchMsg:
				cmds = append(cmds, r...)
			case nil:
			default:
				queue = append(queue, r)
			}
		}
	}
	return m
}

// BenchmarkView is View alone: unchanged (every part cached), after the
// clock ticked (header redrawn), after a cursor move (menu redrawn from
// memoised rows), and cold (as after a resize: every cache misses).
func BenchmarkView(b *testing.B) {
	cases := []struct {
		name   string
		before func(m *Model, i int)
	}{
		{"unchanged", func(*Model, int) {}},
		{"clock_tick", func(m *Model, i int) { m.clock = t0.Add(time.Duration(i) * time.Second) }},
		{"cursor_moved", func(m *Model, i int) { m.menu.rcur = i % len(m.sh.idx.offered[m.menu.level]) }},
		{"cold", func(m *Model, _ int) { m.sh.gen++ }},
	}
	for _, tc := range benchTaxonomies(b) {
		for _, c := range cases {
			b.Run(tc.name+"/"+c.name, func(b *testing.B) {
				m := drive(benchModel(b, tc.tax), keyMsg("3"))
				b.ReportAllocs()
				b.ResetTimer()
				defer cpuMeter(b)()
				for i := range b.N {
					c.before(m, i)
					_ = m.View()
				}
			})
		}
	}
}

// BenchmarkRendererDiff is what Bubble Tea's renderer does with each frame
// after View: parse the styled string into cells, diff against the previous
// frame and write the changes (here to io.Discard). Frames alternate along
// navKeys, so every frame differs from the one before.
func BenchmarkRendererDiff(b *testing.B) {
	for _, tc := range benchTaxonomies(b) {
		b.Run(tc.name, func(b *testing.B) {
			m := benchModel(b, tc.tax)
			var frames []string
			for _, k := range navKeys {
				m = drive(m, keyMsg(k))
				frames = append(frames, m.View().Content)
			}
			scr := uv.NewTerminalRenderer(io.Discard, []string{"TERM=xterm-256color", "COLORTERM=truecolor"})
			scr.SetFullscreen(true)
			scr.SetRelativeCursor(false)
			buf := uv.NewScreenBuffer(80, 24)
			b.ReportAllocs()
			b.ResetTimer()
			defer cpuMeter(b)()
			for i := range b.N {
				buf.Clear()
				uv.NewStyledString(frames[i%len(frames)]).Draw(buf, buf.Bounds())
				scr.Render(buf.RenderBuffer)
				if err := scr.Flush(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
