package store_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"whycall/store"
)

// childEnv tells a re-executed test binary which child role to play and on
// which database: "role:path".
const childEnv = "WHYCALL_STORE_TEST_CHILD"

// TestMain runs the child roles of the multi-process tests.
func TestMain(m *testing.M) {
	if v := os.Getenv(childEnv); v != "" {
		role, path, _ := strings.Cut(v, ":")
		if err := runChild(role, path); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(3)
		}
		os.Exit(0)
	}
	code := m.Run()
	removeBenchDBs()
	os.Exit(code)
}

var childStart = time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)

func runChild(role, path string) error {
	s, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		return err
	}
	switch role {
	case "draft-then-kill":
		c, err := s.StartDraft(ctx, store.Draft{Agent: "ann", Team: "billing", TaxonomyVersion: "v1", StartedAt: childStart})
		if err != nil {
			return err
		}
		for _, step := range []func() (store.Contact, error){
			func() (store.Contact, error) { return s.AddReason(ctx, c.ID, "late") },
			func() (store.Contact, error) { return s.AddReason(ctx, c.ID, "damaged") },
			func() (store.Contact, error) { return s.SetNote(ctx, c.ID, "box was wet") },
		} {
			if _, err := step(); err != nil {
				return err
			}
		}
		fmt.Println(c.ID)
		// No Close: the process dies with the database open.
		return syscall.Kill(os.Getpid(), syscall.SIGKILL)
	case "save-until-killed":
		for {
			c, err := s.StartDraft(ctx, store.Draft{Agent: "ann", TaxonomyVersion: "v1"})
			if err != nil {
				return err
			}
			fmt.Println(c.ID, c.Rev)
			for _, r := range []string{"a", "b", "c"} {
				if c, err = s.AddReason(ctx, c.ID, r); err != nil {
					return err
				}
				fmt.Println(c.ID, c.Rev)
			}
			if c, err = s.Finish(ctx, c.ID, time.Time{}); err != nil {
				return err
			}
			fmt.Println(c.ID, c.Rev)
		}
	case "write-alongside":
		for range 40 {
			if err := saveOne(s); err != nil {
				return err
			}
		}
		return s.Close()
	}
	return fmt.Errorf("unknown role %q", role)
}

func saveOne(s *store.Store) error {
	c, err := s.StartDraft(ctx, store.Draft{Agent: "ann", Team: "billing", TaxonomyVersion: "v1"})
	if err != nil {
		return err
	}
	if _, err := s.AddReason(ctx, c.ID, "late"); err != nil {
		return err
	}
	_, err = s.Finish(ctx, c.ID, time.Time{})
	return err
}

func child(t *testing.T, role, path string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+role+":"+path)
	cmd.Stderr = os.Stderr
	return cmd
}

func killedBySIGKILL(err error) bool {
	ee, ok := err.(*exec.ExitError)
	if !ok {
		return false
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}

func TestDraftSurvivesTheProcessBeingKilled(t *testing.T) {
	path := filepath.Join(t.TempDir(), "whycall.db")
	out, err := child(t, "draft-then-kill", path).Output()
	if !killedBySIGKILL(err) {
		t.Fatalf("child did not die by SIGKILL: %v", err)
	}
	id := strings.TrimSpace(string(out))
	if _, err := os.Stat(path + "-wal"); err != nil {
		t.Errorf("expected the WAL the killed process left: %v", err)
	}
	s := openAt(t, path, store.Options{})
	integrityOK(t, s)
	c, err := s.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Draft() || !slices.Equal(c.Reasons, []string{"late", "damaged"}) || c.Note != "box was wet" ||
		!c.StartedAt.Equal(childStart) || c.Rev != 4 || c.Team != "billing" {
		t.Errorf("after the kill: %+v", c)
	}
	drafts, err := s.Drafts(ctx, "ann")
	if err != nil || len(drafts) != 1 || drafts[0].ID != id {
		t.Errorf("Drafts = %v, %v; want the killed process's draft", drafts, err)
	}
}

// TestNoAcknowledgedSaveIsLostToKill kills a saving process at an arbitrary
// moment and checks every save it acknowledged. WHYCALL_KILL_RUNS sets how
// many times (3 by default; the durability budget is stated for 1,000).
func TestNoAcknowledgedSaveIsLostToKill(t *testing.T) {
	path := filepath.Join(t.TempDir(), "whycall.db")
	runs := 3
	if n, err := strconv.Atoi(os.Getenv("WHYCALL_KILL_RUNS")); err == nil && n > 0 {
		runs = n
	}
	for run := range runs {
		cmd := child(t, "save-until-killed", path)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		acked := map[string]int64{}
		sc := bufio.NewScanner(stdout)
		for n := 0; n < 50+run*37%400 && sc.Scan(); n++ {
			id, rev, _ := strings.Cut(sc.Text(), " ")
			acked[id], _ = strconv.ParseInt(rev, 10, 64)
		}
		cmd.Process.Kill()
		for sc.Scan() { // acknowledged before the kill landed
			id, rev, _ := strings.Cut(sc.Text(), " ")
			acked[id], _ = strconv.ParseInt(rev, 10, 64)
		}
		if err := cmd.Wait(); !killedBySIGKILL(err) {
			t.Fatalf("run %d: child ended with %v, want SIGKILL", run, err)
		}
		s, err := store.Open(ctx, path, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		integrityOK(t, s)
		for id, rev := range acked {
			c, err := s.Get(ctx, id)
			if err != nil || c.Rev < rev {
				t.Errorf("run %d: acknowledged %s rev %d, found rev %d (%v)", run, id, rev, c.Rev, err)
			}
		}
		if err := s.VerifyRollup(ctx); err != nil {
			t.Errorf("run %d: %v", run, err)
		}
		s.Close()
	}
}

func integrityOK(t *testing.T, s *store.Store) {
	t.Helper()
	var res string
	if err := s.DB().QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
		t.Errorf("integrity_check = %q, %v", res, err)
	}
}

func TestTwoProcessesOnOneFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "whycall.db")
	s := openAt(t, path, store.Options{})
	cmd := child(t, "write-alongside", path)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for range 40 {
		if err := saveOne(s); err != nil {
			t.Fatal(err)
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the other process failed: %v", err)
	}
	all, err := s.Recent(ctx, "ann", time.Time{}, 1000)
	if err != nil || len(all) != 80 {
		t.Errorf("%d contacts (%v), want 80 from both processes", len(all), err)
	}
	if err := s.VerifyRollup(ctx); err != nil {
		t.Error(err)
	}
}
