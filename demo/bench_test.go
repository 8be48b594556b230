package demo

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"whycall/store"
)

// discard is a sink that keeps nothing.
type discard struct{}

func (discard) PutMany(context.Context, []store.Contact) error { return nil }

// BenchmarkGenerate measures making contacts alone (no database).
func BenchmarkGenerate(b *testing.B) {
	const n = 200_000
	b.ReportAllocs()
	for b.Loop() {
		g, err := New(Options{Contacts: n, Days: 90, Taxonomy: testTaxonomy(), End: testEnd, Location: oslo})
		if err != nil {
			b.Fatal(err)
		}
		if err := Write(context.Background(), g, discard{}, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "contacts/s")
}

// BenchmarkFill measures making contacts and storing them in a new
// database, the way `whycall demo` does.
func BenchmarkFill(b *testing.B) {
	const n = 100_000
	for b.Loop() {
		b.StopTimer()
		g, err := New(Options{Contacts: n, Days: 90, Taxonomy: testTaxonomy(), End: testEnd, Location: oslo})
		if err != nil {
			b.Fatal(err)
		}
		start := g.Start()
		s, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "demo.db"),
			store.Options{Location: oslo, Collector: true, Now: func() time.Time { return start }})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := Fill(context.Background(), s, g, nil); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "contacts/s")
}
