package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"whycall/store"
)

// runDemo runs `whycall demo` with args against the database at db.
func runDemoCmd(t *testing.T, env func(string) string, db string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	args = append([]string{"demo", "--db", db, "--contacts", "4000", "--days", "30", "--end", "2026-11-24"}, args...)
	code = run(context.Background(), args, &out, &errb, env)
	return code, out.String(), errb.String()
}

// contactsDigest hashes every contact row of the database at path.
func contactsDigest(t *testing.T, path string) string {
	t.Helper()
	s, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows, err := s.DB().Query(`SELECT id, agent, team, site, channel, started_at, ended_at, reasons,
		outcome, customer_ref, note, taxonomy_version, rev, updated_at FROM contacts ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	h := sha256.New()
	n := 0
	for rows.Next() {
		var v [14]any
		p := make([]any, len(v))
		for i := range v {
			p[i] = &v[i]
		}
		if err := rows.Scan(p...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(h, v[:]...)
		n++
	}
	if n == 0 {
		t.Fatal("no contacts")
	}
	return fmt.Sprintf("%d %x", n, h.Sum(nil))
}

func TestDemoCommand(t *testing.T) {
	env := fakeEnv(t, map[string]string{"WHYCALL_CUSTOMER_REF_SECRET": "a shared demo secret"})
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a", "demo.db"), filepath.Join(dir, "b", "demo.db")

	t.Run("writes the contacts and names the planted spike", func(t *testing.T) {
		code, out, errs := runDemoCmd(t, env, a)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		for _, want := range []string{
			"wrote 4,000 demo contacts to " + a,
			"30 days 2026-10-26 … 2026-11-24 (Europe/Oslo), 12 agents in teams oslo, goteborg, bergen, seed 1",
			"planted spike: delivery_late on 2026-11-23 and 2026-11-24, ×",
			"try: whycall summary --db " + a + " --date 2026-11-24",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
		if errs != "" {
			t.Errorf("stderr is not a terminal, yet got %q", errs)
		}
	})

	t.Run("the same seed gives the same contacts in another database", func(t *testing.T) {
		if code, _, errs := runDemoCmd(t, env, b); code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		if da, db := contactsDigest(t, a), contactsDigest(t, b); da != db {
			t.Errorf("contacts differ: %s vs %s", da, db)
		}
	})

	t.Run("running again changes nothing and says so", func(t *testing.T) {
		before := contactsDigest(t, a)
		code, _, errs := runDemoCmd(t, env, a)
		if code != 0 || !strings.Contains(errs, "already holds 4,000 contacts of demo agents") {
			t.Fatalf("exit %d, stderr %q", code, errs)
		}
		if after := contactsDigest(t, a); after != before {
			t.Errorf("a second run changed the contacts: %s → %s", before, after)
		}
	})

	t.Run("a bad end date is a usage error", func(t *testing.T) {
		code, _, errs := runDemoCmd(t, env, a, "--end", "24.11.2026")
		if code != 2 || !strings.Contains(errs, "--end") {
			t.Errorf("exit %d, stderr %q", code, errs)
		}
	})
}

func TestDemoRefusesRealContacts(t *testing.T) {
	env := fakeEnv(t, map[string]string{})
	db := filepath.Join(t.TempDir(), "real.db")
	s, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.StartDraft(context.Background(), store.Draft{Agent: "kari", TaxonomyVersion: "v"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	code, out, errs := runDemoCmd(t, env, db)
	if code != 2 || !strings.Contains(errs, "holds 1 contact of real agents") || !strings.Contains(errs, "--force") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if out != "" {
		t.Errorf("wrote %q on refusing", out)
	}

	code, out, errs = runDemoCmd(t, env, db, "--force")
	if code != 0 || !strings.Contains(errs, "(--force)") || !strings.Contains(out, "planted spike") {
		t.Fatalf("with --force: exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

func TestDemoIntoTheDefaultDatabaseSaysSo(t *testing.T) {
	env := fakeEnv(t, map[string]string{})
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"demo", "--contacts", "500", "--days", "20", "--end", "2026-11-24"}, &out, &errb, env)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	want := filepath.Join(env("HOME"), ".local", "share", "whycall", "whycall.db")
	if !strings.Contains(out.String(), "note: the demo contacts are in your default database; delete it (rm "+want+")") {
		t.Errorf("no note about the default database %s:\n%s", want, out.String())
	}
}
