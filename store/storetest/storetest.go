// Package storetest helps tests in other packages use a real contact store:
// a fresh database file in a temporary folder, closed when the test ends.
package storetest

import (
	"context"
	"path/filepath"
	"testing"

	"whycall/store"
)

// MustOpen opens a new store in tb's temporary folder with the first of opts
// (zero Options if none), fails the test if that goes wrong, and closes the
// store when the test ends.
func MustOpen(tb testing.TB, opts ...store.Options) *store.Store {
	tb.Helper()
	var opt store.Options
	if len(opts) > 0 {
		opt = opts[0]
	}
	s, err := store.Open(context.Background(), filepath.Join(tb.TempDir(), "whycall.db"), opt)
	if err != nil {
		tb.Fatalf("open test store: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("close test store: %v", err)
		}
	})
	return s
}
