package tui

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"whycall/store"
)

// fillStore writes n finished contacts spread over the past year (five
// agents), 20 of kari's today and one unfinished draft of hers.
func fillStore(b *testing.B, path string, n int) {
	b.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, path, store.Options{Location: oslo})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	agents := []string{"kari", "ola", "per", "liv", "siv"}
	reasons := []string{"delivery_late", "invoice_wrong", "delivery_status", "price_value"}
	batch := make([]store.Contact, 0, 5000)
	flush := func() {
		if err := s.PutMany(ctx, batch); err != nil {
			b.Fatal(err)
		}
		batch = batch[:0]
	}
	for i := range n {
		start := t0.Add(-time.Duration(i%365+1)*24*time.Hour - time.Duration(i%500)*time.Minute)
		id, _ := store.NewID()
		batch = append(batch, store.Contact{ID: id, Agent: agents[i%len(agents)], StartedAt: start,
			EndedAt: start.Add(3 * time.Minute), Reasons: []string{reasons[i%len(reasons)]},
			Outcome: store.OutcomeResolved, TaxonomyVersion: "v"})
		if len(batch) == cap(batch) {
			flush()
		}
	}
	for i := range 20 {
		id, _ := store.NewID()
		start := t0.Add(-time.Duration(i+1) * 10 * time.Minute)
		batch = append(batch, store.Contact{ID: id, Agent: "kari", StartedAt: start, EndedAt: start.Add(time.Minute),
			Reasons: []string{"delivery_late"}, Outcome: store.OutcomeResolved, TaxonomyVersion: "v"})
	}
	flush()
	if _, err := s.StartDraft(ctx, store.Draft{Agent: "kari", TaxonomyVersion: "v", StartedAt: t0.Add(-time.Minute)}); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkStartup is start-up to the first complete frame: open the store,
// build the model, read the unfinished contact and today's list, draw. It
// must not grow with the database: compare the sizes.
func BenchmarkStartup(b *testing.B) {
	dir := b.TempDir()
	sizes := []int{1_000, 200_000}
	for _, n := range sizes {
		fillStore(b, filepath.Join(dir, fmt.Sprint(n)+".db"), n)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("%d_contacts", n), func(b *testing.B) {
			path := filepath.Join(dir, fmt.Sprint(n)+".db")
			b.ReportAllocs()
			b.ResetTimer()
			defer cpuMeter(b)()
			for range b.N {
				s, err := store.Open(context.Background(), path, store.Options{Location: oslo})
				if err != nil {
					b.Fatal(err)
				}
				m, err := New(Options{Store: s, Taxonomy: testTax(b), Agent: "kari", Location: oslo,
					Now: func() time.Time { return t0 }})
				if err != nil {
					b.Fatal(err)
				}
				m.setAfter(func(time.Duration, tea.Msg) tea.Cmd { return nil })
				m = drive(m, tea.WindowSizeMsg{Width: 80, Height: 24})
				for _, cmd := range []tea.Cmd{m.loadDrafts(), loadRecent(context.Background(), s, "kari", m.today())} {
					m = drive(m, cmd())
				}
				if m.Contact().ID == "" || m.recent.count() != 20 {
					b.Fatalf("start-up state wrong: draft %q, %d today", m.Contact().ID, m.recent.count())
				}
				b.StopTimer()
				if err := s.Close(); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
		})
	}
}
