// Package storetest helps tests in other packages use a real contact store:
// a fresh database file in a temporary folder, closed when the test ends.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
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

// Rows runs each query on db and returns every row it gives as a line of
// text, the queries' rows separated by "--" lines: a whole-table dump for
// tests that compare databases or a database before and after.
func Rows(tb testing.TB, db *sql.DB, queries ...string) string {
	tb.Helper()
	var b strings.Builder
	for _, q := range queries {
		rows, err := db.QueryContext(context.Background(), q)
		if err != nil {
			tb.Fatalf("%s: %v", q, err)
		}
		cols, err := rows.Columns()
		if err != nil {
			tb.Fatal(err)
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				tb.Fatal(err)
			}
			fmt.Fprintln(&b, vals...)
		}
		if err := rows.Close(); err != nil {
			tb.Fatal(err)
		}
		if err := rows.Err(); err != nil {
			tb.Fatal(err)
		}
		b.WriteString("--\n")
	}
	return b.String()
}
