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
		if p := queryPlan(t, s, q, args...); !strings.Contains(p, "contacts_pending") || strings.Contains(p, "TEMP B-TREE") {
			t.Errorf("%s plan %q: want a walk of contacts_pending without sorting", name, p)
		}
	}
}
