package main

import (
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite" // the database/sql driver, to read the database as a second process would
)

// TestCaptureEndToEnd builds the real binary and drives it in tmux, as an
// agent would: tag and save a contact with keys alone; start another, pick a
// reason, kill the process with SIGKILL, start again, find the contact
// restored and save it; the summary screen counts both; then both contacts
// are in the database exactly once.
//
// It needs tmux (the CI installs it) and fails without it; `go test -short`
// skips it.
func TestCaptureEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and drives it in tmux; skipped with -short")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatalf("this test drives the binary in tmux, which is not installed (apt-get install tmux): %v", err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "whycall")
	t.Cleanup(func() {
		if t.Failed() {
			out, _ := os.ReadFile(filepath.Join(dir, "stderr.txt"))
			logs, _ := os.ReadFile(filepath.Join(dir, "state", "whycall", "whycall.log"))
			t.Logf("binary's stderr:\n%s\nlog:\n%s", out, logs)
		}
	})
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	db := filepath.Join(dir, "data", "whycall.db")
	tm := newTmux(t, dir)
	env := []string{
		"HOME=" + dir, "XDG_CONFIG_HOME=" + filepath.Join(dir, "config"),
		"XDG_STATE_HOME=" + filepath.Join(dir, "state"), "WHYCALL_DB=" + db,
		"WHYCALL_AGENT=kari", "WHYCALL_TEAM=Nord", "WHYCALL_LANG=en", "TERM=xterm-256color",
	}

	// First contact: category 3, reason f, resolved, enter.
	tm.start(env, bin)
	tm.waitScreen("CATEGORIES")
	tm.keys("3")
	tm.waitScreen("esc back")
	tm.keys("f", "R")
	waitDB(t, db, func(cs []dbContact) bool { return len(cs) == 1 && cs[0].outcome == "resolved" })
	tm.keys("Enter")
	tm.waitScreen("✓ Saved")
	first := waitDB(t, db, func(cs []dbContact) bool { return len(cs) == 1 && cs[0].ended })[0]

	// Second contact: category 6, reason f; then the process is killed.
	tm.keys("6", "f")
	waitDB(t, db, func(cs []dbContact) bool { return len(cs) == 2 && cs[1].reasons == "invoice_wrong" })
	draft := waitDB(t, db, func(cs []dbContact) bool { return len(cs) == 2 })[1]
	tm.kill9()

	// Start again: the unfinished contact is back with its start time; save it.
	tm.start(env, bin)
	tm.waitScreen("Resumed")
	tm.waitScreen("Wrong invoice")
	if scr := tm.screen(); !strings.Contains(scr, "started "+time.UnixMilli(draft.started).In(mustOslo(t)).Format("15:04:05")) {
		t.Errorf("the resumed contact does not show its original start:\n%s", scr)
	}
	tm.keys("Enter")
	tm.waitScreen("✓ Saved")

	// The team lead's summary counts both, and esc goes back to tagging.
	tm.keys("S")
	tm.waitScreen("2 contacts so far today")
	tm.waitScreen("Wrong invoice")
	tm.keys("Escape")
	tm.waitScreen("CATEGORIES")
	pid := tm.pid() // before ctrl+c: the session ends with the process
	tm.keys("C-c")
	tm.waitGone(pid)

	cs := readDB(t, db)
	if len(cs) != 2 {
		t.Fatalf("want exactly 2 contacts, got %d: %+v", len(cs), cs)
	}
	if cs[0].id != first.id || cs[0].reasons != "delivery_late" || !cs[0].ended || cs[0].deleted {
		t.Errorf("first contact: %+v", cs[0])
	}
	if cs[1].id != draft.id || cs[1].reasons != "invoice_wrong" || !cs[1].ended || cs[1].deleted {
		t.Errorf("second contact: %+v", cs[1])
	}
	if cs[1].started != draft.started {
		t.Errorf("the restored contact's start moved from %d to %d", draft.started, cs[1].started)
	}
	if cs[0].id == cs[1].id {
		t.Error("both contacts have the same id")
	}
}

func mustOslo(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// tmux runs the binary in a private tmux server at 80×24.
type tmux struct {
	t    *testing.T
	sock string
}

func newTmux(t *testing.T, dir string) *tmux {
	tm := &tmux{t: t, sock: filepath.Join(dir, "tmux.sock")}
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", tm.sock, "kill-server").Run() })
	return tm
}

func (tm *tmux) run(args ...string) string {
	tm.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", tm.sock}, args...)...).CombinedOutput()
	if err != nil {
		tm.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (tm *tmux) start(env []string, bin string) {
	tm.t.Helper()
	cmd := "exec env " + strings.Join(env, " ") + " " + bin + " 2>>" + filepath.Join(filepath.Dir(bin), "stderr.txt")
	tm.run("new-session", "-d", "-s", "e2e", "-x", "80", "-y", "24", cmd)
}

// keys sends tmux key names ("3", "f", "Enter", "C-c").
func (tm *tmux) keys(keys ...string) {
	tm.t.Helper()
	for _, k := range keys {
		tm.run("send-keys", "-t", "e2e", k)
	}
}

func (tm *tmux) screen() string {
	tm.t.Helper()
	out, err := exec.Command("tmux", "-S", tm.sock, "capture-pane", "-p", "-t", "e2e").CombinedOutput()
	if err != nil {
		return ""
	}
	return string(out)
}

func (tm *tmux) waitScreen(phrase string) {
	tm.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(tm.screen(), phrase) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	tm.t.Fatalf("screen never showed %q:\n%s", phrase, tm.screen())
}

func (tm *tmux) pid() int {
	tm.t.Helper()
	s := strings.TrimSpace(tm.run("display-message", "-p", "-t", "e2e", "#{pane_pid}"))
	pid, err := strconv.Atoi(s)
	if err != nil {
		tm.t.Fatalf("pane pid %q: %v", s, err)
	}
	return pid
}

// kill9 kills the binary with SIGKILL and waits until it is gone.
func (tm *tmux) kill9() {
	tm.t.Helper()
	pid := tm.pid()
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		tm.t.Fatalf("kill -9 %d: %v", pid, err)
	}
	tm.waitGone(pid)
}

func (tm *tmux) waitGone(pid int) {
	tm.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if err := syscall.Kill(pid, 0); err != nil {
			// Gone; let tmux notice so the next session can take its name.
			for exec.Command("tmux", "-S", tm.sock, "has-session", "-t", "e2e").Run() == nil && time.Now().Before(deadline) {
				time.Sleep(20 * time.Millisecond)
			}
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	tm.t.Fatalf("process %d did not end:\n%s", pid, tm.screen())
}

// dbContact is a contact row as the test reads it straight from the file.
type dbContact struct {
	id, reasons, outcome string
	started              int64
	ended, deleted       bool
}

func readDB(t *testing.T, path string) []dbContact {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		return nil
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT id, reasons, outcome, started_at, ended_at IS NOT NULL, deleted FROM contacts ORDER BY started_at, id`)
	if err != nil {
		if strings.Contains(err.Error(), "no such table") {
			return nil
		}
		t.Fatal(err)
	}
	defer rows.Close()
	var cs []dbContact
	for rows.Next() {
		var c dbContact
		if err := rows.Scan(&c.id, &c.reasons, &c.outcome, &c.started, &c.ended, &c.deleted); err != nil {
			t.Fatal(err)
		}
		cs = append(cs, c)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return cs
}

func waitDB(t *testing.T, path string, ok func([]dbContact) bool) []dbContact {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	var cs []dbContact
	for time.Now().Before(deadline) {
		if cs = readDB(t, path); ok(cs) {
			return cs
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("database never reached the expected state; it holds %s", fmt.Sprintf("%+v", cs))
	return nil
}
