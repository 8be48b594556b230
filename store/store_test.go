package store_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"whycall/store"
	"whycall/store/storetest"
)

var ctx = context.Background()

// clock is a test clock that moves one second on every reading.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *clock { return &clock{t: t} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

func oslo(tb testing.TB) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

func draft(agent string) store.Draft {
	return store.Draft{Agent: agent, Team: "billing", Site: "oslo", TaxonomyVersion: "tx1"}
}

func mustDraft(tb testing.TB, s *store.Store, agent string) store.Contact {
	tb.Helper()
	c, err := s.StartDraft(ctx, draft(agent))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func openAt(tb testing.TB, path string, opt store.Options) *store.Store {
	tb.Helper()
	s, err := store.Open(ctx, path, opt)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func TestOpenCreatesFolderFileAndSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "whycall.db")
	s := openAt(t, path, store.Options{})
	var v int
	if err := s.DB().QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if v != store.SchemaVersion() || v < 1 {
		t.Errorf("user_version = %d, want %d", v, store.SchemaVersion())
	}
	var mode string
	if err := s.DB().QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q (%v), want wal", mode, err)
	}
	pragmas := map[string]int{"foreign_keys": 1, "synchronous": 2, "busy_timeout": 5000, "wal_autocheckpoint": 0}
	for p, want := range pragmas {
		var got int
		if err := s.DB().QueryRowContext(ctx, "PRAGMA "+p).Scan(&got); err != nil || got != want {
			t.Errorf("%s = %d (%v), want %d", p, got, err, want)
		}
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := st.Mode().Perm(); perm != 0o600 {
		t.Errorf("database file mode %o, want 600", perm)
	}
}

func TestCollectorRelaxesSync(t *testing.T) {
	s := storetest.MustOpen(t, store.Options{Collector: true})
	var sync, ckpt int
	s.DB().QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync)
	s.DB().QueryRowContext(ctx, "PRAGMA wal_autocheckpoint").Scan(&ckpt)
	if sync != 1 || ckpt == 0 {
		t.Errorf("collector: synchronous = %d, wal_autocheckpoint = %d; want 1 (NORMAL) and automatic", sync, ckpt)
	}
}

func TestReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "whycall.db")
	s, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := mustDraft(t, s, "ann")
	if _, err := s.AddReason(ctx, c.ID, "late_delivery"); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openAt(t, path, store.Options{})
	got, err := s.Get(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Rev != 2 || got.Primary() != "late_delivery" {
		t.Errorf("after reopen: rev %d primary %q, want 2 late_delivery", got.Rev, got.Primary())
	}
}

func TestAStoreOpenedForReadingStillWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "whycall.db")
	s := openAt(t, path, store.Options{ForReading: true})
	var wg sync.WaitGroup
	ids := make([]string, 4)
	for i := range ids {
		// The first writes prepare the statements, concurrently.
		wg.Go(func() {
			c, err := s.StartDraft(ctx, draft("ann"))
			if err != nil {
				t.Error(err)
				return
			}
			if _, err := s.AddReason(ctx, c.ID, "late_delivery"); err != nil {
				t.Error(err)
			}
			ids[i] = c.ID
		})
	}
	wg.Wait()
	for _, id := range ids {
		if got, err := s.Get(ctx, id); err != nil || got.Primary() != "late_delivery" {
			t.Errorf("contact %s: %+v, %v", id, got, err)
		}
	}
}

func TestOpenRefuses(t *testing.T) {
	newer := func(t *testing.T, path string) {
		s, err := store.Open(ctx, path, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		mustDraft(t, s, "ann")
		if _, err := s.DB().ExecContext(ctx, "PRAGMA user_version = 99"); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	writeFile := func(data string) func(*testing.T, string) {
		return func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	tests := []struct {
		name string
		make func(*testing.T, string)
		want error
	}{
		{"a database from a newer program", newer, store.ErrSchemaTooNew},
		{"a text file", writeFile("name,reason\nann,late\n"), store.ErrNotSQLite},
		{"a file shorter than the header", writeFile("SQLite"), store.ErrNotSQLite},
		{"a file with the header but garbage after it",
			writeFile("SQLite format 3\x00" + strings.Repeat("\xff", 200)), store.ErrNotSQLite},
	}
	for _, tt := range tests {
		t.Run("refuses "+tt.name+" and leaves it byte for byte", func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "whycall.db")
			tt.make(t, path)
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			s, err := store.Open(ctx, path, store.Options{})
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name the path", err)
			}
			after, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(before, after) {
				t.Error("the file changed")
			}
			for _, side := range []string{"-wal", "-journal"} {
				if st, err := os.Stat(path + side); err == nil && st.Size() > 0 {
					t.Errorf("%s file of %d bytes left behind", side, st.Size())
				}
			}
		})
	}
}

func TestOpenEmptyFileMakesDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "whycall.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s := openAt(t, path, store.Options{})
	mustDraft(t, s, "ann")
}

func TestOpenUnwritablePlace(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "plain-file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	paths := map[string]string{
		"a folder that is a file":      filepath.Join(file, "whycall.db"),
		"a folder under a file":        filepath.Join(file, "sub", "whycall.db"),
		"a folder that cannot be made": "/proc/whycall-test/whycall.db",
	}
	if os.Geteuid() != 0 { // root writes anywhere
		ro := filepath.Join(dir, "ro")
		if err := os.Mkdir(ro, 0o500); err != nil {
			t.Fatal(err)
		}
		paths["a read-only folder"] = filepath.Join(ro, "whycall.db")
	}
	for name, path := range paths {
		t.Run("names the path for "+name, func(t *testing.T) {
			s, err := store.Open(ctx, path, store.Options{})
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "writable") {
				t.Errorf("error %q should name %s and say it is not writable", err, path)
			}
		})
	}
}

func TestTwoStoresOnOneFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "whycall.db")
	a := openAt(t, path, store.Options{})
	b := openAt(t, path, store.Options{})
	const n = 50
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for _, s := range []*store.Store{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range n {
				c, err := s.StartDraft(ctx, draft("ann"))
				if err == nil {
					_, err = s.AddReason(ctx, c.ID, "r1")
				}
				if err == nil {
					_, err = s.Finish(ctx, c.ID, time.Time{})
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	recent, err := a.Recent(ctx, "ann", time.Time{}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(recent) != 2*n {
		t.Errorf("%d contacts, want %d", len(recent), 2*n)
	}
	if err := b.VerifyRollup(ctx); err != nil {
		t.Error(err)
	}
}

func TestCheckpoint(t *testing.T) {
	s := storetest.MustOpen(t)
	mustDraft(t, s, "ann")
	if err := s.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	var busy, log, done int
	if err := s.DB().QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &log, &done); err != nil {
		t.Fatal(err)
	}
	if log != done {
		t.Errorf("after Checkpoint %d of %d WAL frames are in the database", done, log)
	}
}

func TestTaxonomies(t *testing.T) {
	s := storetest.MustOpen(t, store.Options{Now: newClock(time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)).Now})
	y1, y2 := []byte("taxonomy: {id: a, version: 1}\n"), []byte("taxonomy: {id: a, version: 2}\n")
	for range 2 {
		if err := s.SaveTaxonomy(ctx, "v1", "a", 1, y1); err != nil {
			t.Fatalf("saving twice should be fine: %v", err)
		}
	}
	if err := s.SaveTaxonomy(ctx, "v2", "a", 2, y2); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveTaxonomy(ctx, "v1", "a", 1, y2); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("other YAML under a stored version: %v, want ErrInvalid", err)
	}
	got, err := s.TaxonomyYAML(ctx, "v2")
	if err != nil || !bytes.Equal(got, y2) {
		t.Errorf("TaxonomyYAML(v2) = %q, %v", got, err)
	}
	if _, err := s.TaxonomyYAML(ctx, "nope"); !errors.Is(err, store.ErrUnknownTaxonomy) {
		t.Errorf("unknown version: %v, want ErrUnknownTaxonomy", err)
	}
	vs, err := s.TaxonomyVersions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 2 || vs[0].Version != "v1" || vs[1].Version != "v2" || vs[1].Revision != 2 || vs[0].TaxonomyID != "a" {
		t.Errorf("TaxonomyVersions = %+v", vs)
	}
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
