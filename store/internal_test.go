package store

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
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
		p := queryPlan(t, s, q, args...)
		if !strings.Contains(p, "USING INDEX") || strings.Contains(p, "TEMP B-TREE") {
			t.Errorf("%s plan %q: want an index walk without sorting", name, p)
		}
	}
}

// queryPlan is SQLite's plan for q with args, its steps joined by "; ".
func queryPlan(tb testing.TB, s *Store, q string, args ...any) string {
	tb.Helper()
	rows, err := s.db.Query("EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			tb.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return strings.Join(plan, "; ")
}

func TestMigrations(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "w.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	next := append(append([]migration(nil), migrations...),
		migration{len(migrations) + 1, "0002_extra.sql", "CREATE TABLE extra (x INTEGER); INSERT INTO extra VALUES (1);"},
		migration{len(migrations) + 2, "0003_broken.sql", "CREATE TABLE half (x INTEGER); INSERT INTO nowhere VALUES (1);"})

	t.Run("runs the newer ones in order and stops at a broken one", func(t *testing.T) {
		err := migrate(ctx, conn, next)
		if err == nil || !strings.Contains(err.Error(), "0003_broken.sql") {
			t.Fatalf("migrate = %v, want the broken migration named", err)
		}
		v, _ := userVersion(ctx, conn)
		if v != len(migrations)+1 {
			t.Errorf("user_version %d, want %d", v, len(migrations)+1)
		}
		var n int
		conn.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE name = 'half'").Scan(&n)
		if n != 0 {
			t.Error("the broken migration left a table behind: it did not run in one transaction")
		}
	})
	t.Run("refuses a schema newer than it knows", func(t *testing.T) {
		if err := migrate(ctx, conn, migrations); !errors.Is(err, ErrSchemaTooNew) {
			t.Errorf("migrate = %v, want ErrSchemaTooNew", err)
		}
	})
}

func TestLoadMigrations(t *testing.T) {
	tests := []struct {
		name  string
		files fstest.MapFS
		ok    bool
	}{
		{"numbered from one", fstest.MapFS{"migrations/0001_a.sql": {}, "migrations/0002_b.sql": {}}, true},
		{"a gap", fstest.MapFS{"migrations/0001_a.sql": {}, "migrations/0003_c.sql": {}}, false},
		{"a name without a number", fstest.MapFS{"migrations/init.sql": {}}, false},
		{"a short number", fstest.MapFS{"migrations/1_a.sql": {}}, false},
	}
	for _, tt := range tests {
		t.Run("loads migrations "+tt.name+" only if well numbered", func(t *testing.T) {
			_, err := loadMigrations(tt.files)
			if (err == nil) != tt.ok {
				t.Errorf("loadMigrations: %v", err)
			}
		})
	}
	if len(migrations) < 1 || migrations[0].name != "0001_init.sql" {
		t.Errorf("embedded migrations = %v", migrations)
	}
}
