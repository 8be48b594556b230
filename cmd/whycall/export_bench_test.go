package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"zombiezen.com/go/sqlite"

	"whycall/store"
)

// BenchmarkExport measures `whycall export` end to end (CSV to /dev/null)
// against `sqlite3 -csv` running the same query on the same database file,
// the two taking turns in every iteration, and reports both rates and their
// ratio. WHYCALL_BENCH_DB names the database (e.g. one with 1M contacts
// made by `whycall demo`); without it a 100k-contact one is made in a
// temporary folder. Without sqlite3 on PATH only whycall is measured.
//
//	go test ./cmd/whycall -run '^$' -bench Export -benchtime 3x -count 7
func BenchmarkExport(b *testing.B) {
	path := os.Getenv("WHYCALL_BENCH_DB")
	if path == "" {
		path = writeContactsDB(b, benchContacts(100_000), nil)
	}
	query, _ := store.ExportQuery{}.SQL()
	query = strings.NewReplacer("?1", fmt.Sprint(int64(-1<<63)), "?2", fmt.Sprint(int64(1<<63-1))).Replace(query)
	rows := countRows(b, path, query)
	sqlite3, _ := exec.LookPath("sqlite3")
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer devnull.Close()
	env := func(k string) string {
		switch k {
		case "HOME":
			return b.TempDir()
		case "WHYCALL_DB":
			return path
		}
		return ""
	}

	// Wall time decides; CPU time (user + system) is reported too, as it
	// is steadier on a busy machine.
	var ours, theirs, oursCPU, theirsCPU time.Duration
	b.ResetTimer()
	for i := range b.N {
		runOurs := func() {
			start, cpu := time.Now(), selfCPU(b)
			if code := run(context.Background(), []string{"export"}, devnull, io.Discard, env); code != 0 {
				b.Fatalf("whycall export exited %d", code)
			}
			ours += time.Since(start)
			oursCPU += selfCPU(b) - cpu
		}
		runTheirs := func() {
			if sqlite3 == "" {
				return
			}
			cmd := exec.Command(sqlite3, "-csv", path, query)
			var stderr strings.Builder
			cmd.Stdout, cmd.Stderr = devnull, &stderr
			start := time.Now()
			if err := cmd.Run(); err != nil {
				b.Fatalf("sqlite3: %v: %s", err, stderr.String())
			}
			theirs += time.Since(start)
			theirsCPU += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		}
		if i%2 == 0 {
			runOurs()
			runTheirs()
		} else {
			runTheirs()
			runOurs()
		}
	}
	b.StopTimer()
	n := float64(rows) * float64(b.N)
	b.ReportMetric(n/ours.Seconds(), "rows/s")
	b.ReportMetric(float64(oursCPU.Nanoseconds())/n, "cpu-ns/row")
	if theirs > 0 {
		b.ReportMetric(n/theirs.Seconds(), "sqlite3-rows/s")
		b.ReportMetric(float64(theirsCPU.Nanoseconds())/n, "sqlite3-cpu-ns/row")
		b.ReportMetric(theirs.Seconds()/ours.Seconds(), "ratio")
	}
}

// selfCPU is the CPU time this process has used so far.
func selfCPU(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// countRows counts what query returns.
func countRows(tb testing.TB, path, query string) int64 {
	tb.Helper()
	conn, err := sqlite.OpenConn(path, sqlite.OpenReadOnly)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close()
	stmt, _, err := conn.PrepareTransient("SELECT count(*) FROM (" + query + ")")
	if err != nil {
		tb.Fatal(err)
	}
	defer stmt.Finalize()
	if _, err := stmt.Step(); err != nil {
		tb.Fatal(err)
	}
	return stmt.ColumnInt64(0)
}

// benchContacts makes n finished contacts a few minutes apart, much like a
// real desk's: most with one reason, some with a customer ref or a note.
func benchContacts(n int) []store.Contact {
	r := rand.New(rand.NewPCG(1, 2))
	reasons := []string{"delivery_status", "delivery_late", "invoice_wrong", "invoice_unclear", "product_defect", "how_to_use", "moving", "cancel_leave", "praise_service", "order_other"}
	notes := []string{"", "", "", "kunden ringte om faktura", "levering forsinket; ny dato lovet", "\"sitat\" fra kunden", "ringer igjen 🙂"}
	teams := []string{"Kundeservice Oslo", "Kundtjänst Göteborg"}
	cs := make([]store.Contact, n)
	t := time.Date(2025, 1, 1, 7, 0, 0, 0, time.UTC)
	for i := range cs {
		t = t.Add(time.Duration(r.IntN(120)) * time.Second)
		c := store.Contact{
			ID: fmt.Sprintf("0190a8f0-0000-7000-8000-%012d", i), Agent: fmt.Sprintf("agent%02d", r.IntN(40)),
			Team: teams[r.IntN(2)], Site: "oslo", Channel: store.ChannelPhone,
			StartedAt: t, EndedAt: t.Add(time.Duration(30+r.IntN(600)) * time.Second),
			Reasons: []string{reasons[r.IntN(len(reasons))]}, Outcome: store.OutcomeResolved,
			Note: notes[r.IntN(len(notes))], TaxonomyVersion: "v1", Rev: 1,
		}
		if r.IntN(3) == 0 && c.Reasons[0] != "moving" {
			c.Reasons = append(c.Reasons, "moving")
		}
		if r.IntN(10) < 7 {
			c.CustomerRef = fmt.Sprintf("%064x", r.IntN(20_000))
		}
		cs[i] = c
	}
	return cs
}
