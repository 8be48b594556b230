package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestRecentAndDraftsWalkAnIndexWithoutSorting(t *testing.T) {
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "w.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for name, q := range map[string]string{"recent": sqlRecent, "drafts": sqlDrafts} {
		args := []any{0, "ann", 10}
		if name == "drafts" {
			args = args[1:2]
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
		p := strings.Join(plan, "; ")
		if !strings.Contains(p, "USING INDEX") || strings.Contains(p, "TEMP B-TREE") {
			t.Errorf("%s plan %q: want an index walk without sorting", name, p)
		}
	}
}
