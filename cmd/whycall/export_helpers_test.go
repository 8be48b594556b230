package main

import (
	"context"
	"path/filepath"
	"testing"

	"whycall/store"
)

// writeContactsDB stores contacts and taxonomy versions (YAML by version)
// in a new database file in a temporary folder and returns its path.
func writeContactsDB(tb testing.TB, cs []store.Contact, taxonomies map[string][]byte) string {
	tb.Helper()
	ctx := context.Background()
	path := filepath.Join(tb.TempDir(), "whycall.db")
	s, err := store.Open(ctx, path, store.Options{Collector: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer s.Close()
	for v, y := range taxonomies {
		if err := s.SaveTaxonomy(ctx, v, "test", 1, y); err != nil {
			tb.Fatal(err)
		}
	}
	for len(cs) > 0 {
		n := min(len(cs), 10_000)
		if err := s.PutMany(ctx, cs[:n]); err != nil {
			tb.Fatal(err)
		}
		cs = cs[n:]
	}
	return path
}
