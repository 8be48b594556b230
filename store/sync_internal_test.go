package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestPendingWalksThePendingIndex(t *testing.T) {
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "w.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for name, q := range map[string]string{"pending": sqlPending, "count": sqlPendingCount} {
		args := []any{"", 10}
		if name == "count" {
			args = nil
		}
		rows, err := s.db.Query("EXPLAIN QUERY PLAN "+q, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		if p := strings.Join(plan, "; "); !strings.Contains(p, "contacts_pending") || strings.Contains(p, "TEMP B-TREE") {
			t.Errorf("%s plan %q: want a walk of contacts_pending without sorting", name, p)
		}
	}
}
