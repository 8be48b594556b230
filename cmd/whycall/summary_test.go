package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"whycall/store"
	"whycall/taxonomy"
)

// runSummaryCLI runs whycall with args in the environment env.
func runSummaryCLI(t *testing.T, env func(string) string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb, env)
	return code, out.String(), errb.String()
}

// summaryDB makes a database with a few days of contacts ending yesterday
// (Europe/Oslo) and returns its path.
func summaryDB(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	loc, _ := time.LoadLocation("Europe/Oslo")
	path := filepath.Join(t.TempDir(), "whycall.db")
	s, err := store.Open(ctx, path, store.Options{Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tax := taxonomy.Default()
	if err := s.SaveTaxonomy(ctx, tax.Version, tax.ID, tax.Revision, tax.Source); err != nil {
		t.Fatal(err)
	}
	y, m, d := time.Now().In(loc).Date()
	var cs []store.Contact
	for back := 1; back <= 3; back++ {
		for i := range 12 {
			at := time.Date(y, m, d-back, 9, i, 0, 0, loc)
			reason := []string{"delivery_status", "delivery_late", "invoice_wrong"}[i%3]
			cs = append(cs, store.Contact{ID: fmt.Sprintf("c%d-%d", back, i), Agent: "a1", Team: "north",
				StartedAt: at, EndedAt: at.Add(4 * time.Minute), Reasons: []string{reason},
				TaxonomyVersion: tax.Version, Outcome: store.OutcomeResolved})
		}
	}
	if err := s.PutMany(ctx, cs); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestSummaryCommand(t *testing.T) {
	db := summaryDB(t)
	env := fakeEnv(t, map[string]string{})
	tests := []struct {
		name string
		args []string
		code int
		want string // in stdout, or stderr when the code is not 0
	}{
		{"yesterday as text", []string{"summary", "--db", db, "--date", "yesterday"}, 0, "12 kontakter"},
		{"English", []string{"summary", "--db", db, "--date", "yesterday", "--lang", "en"}, 0, "12 contacts"},
		{"Markdown", []string{"summary", "--db", db, "--date", "yesterday", "--format", "markdown"}, 0, "## Kontaktårsaker"},
		{"the weekly view", []string{"summary", "--db", db, "--days", "7", "--format", "md"}, 0, "36 kontakter"},
		{"one team", []string{"summary", "--db", db, "--date", "yesterday", "--team", "north"}, 0, "team north"},
		{"an unknown date format is a usage error", []string{"summary", "--db", db, "--date", "14.01.2026"}, 2, "unknown date format"},
		{"a future date is a usage error", []string{"summary", "--db", db, "--date", "2999-01-01"}, 2, "in the future"},
		{"an unknown team is a usage error naming the teams", []string{"summary", "--db", db, "--team", "south"}, 2, "north"},
		{"an unknown format is a usage error", []string{"summary", "--db", db, "--format", "pdf"}, 2, "unknown format"},
		{"too many days is a usage error", []string{"summary", "--db", db, "--days", "400"}, 2, "--days 400"},
		{"a missing database is a failure", []string{"summary", "--db", filepath.Join(t.TempDir(), "none.db")}, 1, "no database at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runSummaryCLI(t, env, tt.args...)
			where := out
			if tt.code != 0 {
				where = errs
			}
			if code != tt.code || !strings.Contains(where, tt.want) {
				t.Errorf("exit %d, want %d; want %q in:\n%s%s", code, tt.code, tt.want, out, errs)
			}
			if strings.Contains(out, "\x1b[") {
				t.Error("colour escapes in output that is not a terminal")
			}
		})
	}
}

func TestSummaryOfAnEmptyDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty.db")
	s, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	code, _, errs := runSummaryCLI(t, fakeEnv(t, map[string]string{}), "summary", "--db", path)
	if code != 1 || !strings.Contains(errs, "no finished contacts yet") {
		t.Errorf("exit %d: %s", code, errs)
	}
}

func TestSummaryOut(t *testing.T) {
	db := summaryDB(t)
	env := fakeEnv(t, map[string]string{})
	dir := t.TempDir()
	t.Run("the format follows the file's extension and the file is whole", func(t *testing.T) {
		out := filepath.Join(dir, "day.json")
		code, _, errs := runSummaryCLI(t, env, "summary", "--db", db, "--date", "yesterday", "--out", out)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		var v map[string]any
		if err := json.Unmarshal(b, &v); err != nil || v["total"] != float64(12) {
			t.Errorf("not the JSON summary (%v): %.200s", err, b)
		}
		if leftovers, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(leftovers) > 0 {
			t.Errorf("temporary files left: %v", leftovers)
		}
	})
	t.Run("an unwritable folder fails and leaves nothing", func(t *testing.T) {
		ro := filepath.Join(dir, "ro")
		if err := os.Mkdir(ro, 0o555); err != nil {
			t.Fatal(err)
		}
		if os.Geteuid() == 0 {
			// root writes anywhere; a missing folder fails the same way.
			ro = filepath.Join(dir, "missing", "sub")
		}
		out := filepath.Join(ro, "day.html")
		code, _, errs := runSummaryCLI(t, env, "summary", "--db", db, "--out", out)
		if code != 1 || !strings.Contains(errs, "write "+out) {
			t.Errorf("exit %d: %s", code, errs)
		}
		if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) > 0 {
			t.Errorf("left behind: %v", entries)
		}
	})
	t.Run("a failing render leaves the old file as it was", func(t *testing.T) {
		out := filepath.Join(dir, "keep.md")
		if err := os.WriteFile(out, []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
		err := writeFileAtomic(out, func(w io.Writer) error {
			w.Write([]byte("half a summa"))
			return fmt.Errorf("disk full")
		})
		if err == nil {
			t.Fatal("no error")
		}
		if b, _ := os.ReadFile(out); string(b) != "old" {
			t.Errorf("file now %q", b)
		}
		if leftovers, _ := filepath.Glob(filepath.Join(dir, ".keep.md.*")); len(leftovers) > 0 {
			t.Errorf("temporary files left: %v", leftovers)
		}
	})
}
