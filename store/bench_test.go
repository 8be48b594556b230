package store_test

import (
	"fmt"
	"os"
	"slices"
	"syscall"
	"testing"
	"time"

	"whycall/store"
	"whycall/store/storetest"
)

// collectorBench runs BenchmarkSave with synchronous=NORMAL, to tell the
// CPU cost of a save from the cost of syncing it to disk.
var collectorBench = os.Getenv("WHYCALL_BENCH_NOSYNC") != ""

// reportLatencies reports the p50, p99 and p99.9 of ds in microseconds.
func reportLatencies(b *testing.B, ds []time.Duration) {
	if len(ds) == 0 {
		return
	}
	slices.Sort(ds)
	q := func(p float64) float64 {
		i := min(len(ds)-1, int(p*float64(len(ds))))
		return float64(ds[i].Nanoseconds()) / 1e3
	}
	b.ReportMetric(q(0.50), "p50-µs")
	b.ReportMetric(q(0.99), "p99-µs")
	b.ReportMetric(q(0.999), "p99.9-µs")
}

// BenchmarkSave is one durable save of a change as the capture screen makes
// it (WAL, synchronous=FULL, commit synced to disk), with the rollup moving
// on every save. The WAL is checkpointed every 500 saves outside the timing,
// as the capture screen does when the agent is idle.
func BenchmarkSave(b *testing.B) {
	cases := []struct {
		name     string
		finished bool
		floor    bool
	}{
		{"reorder reasons of a finished contact", true, false},
		{"reorder reasons of a draft", false, false},
		// The peer: the cheapest durable commit SQLite can make on this
		// disk, a one-row UPDATE in its own transaction on the same file.
		{"floor: a one-row update commit", false, true},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			s := storetest.MustOpen(b, store.Options{Collector: collectorBench})
			// Some history, so the tables and indexes are not trivially small.
			var cs []store.Contact
			for i := range 20000 {
				cs = append(cs, finished(b, t0.Add(time.Duration(i)*time.Minute), "late", "damaged"))
			}
			if err := s.PutMany(ctx, cs); err != nil {
				b.Fatal(err)
			}
			c := mustDraft(b, s, "ann")
			if _, err := s.SetReasons(ctx, c.ID, []string{"a", "b"}); err != nil {
				b.Fatal(err)
			}
			if tc.finished {
				if _, err := s.Finish(ctx, c.ID, time.Time{}); err != nil {
					b.Fatal(err)
				}
			}
			s.Checkpoint(ctx)
			orders := [][]string{{"b", "a"}, {"a", "b"}}
			var ds []time.Duration
			i := 0
			b.ResetTimer()
			save := func() error {
				_, err := s.SetReasons(ctx, c.ID, orders[i%2])
				return err
			}
			if tc.floor {
				if _, err := s.DB().ExecContext(ctx, "INSERT INTO meta VALUES ('bench', '0')"); err != nil {
					b.Fatal(err)
				}
				save = func() error {
					tx, err := s.DB().BeginTx(ctx, nil)
					if err != nil {
						return err
					}
					defer tx.Rollback()
					if _, err := tx.ExecContext(ctx, "UPDATE meta SET value = ? WHERE key = 'bench'", i); err != nil {
						return err
					}
					return tx.Commit()
				}
			}
			for b.Loop() {
				start := time.Now()
				if err := save(); err != nil {
					b.Fatal(err)
				}
				ds = append(ds, time.Since(start))
				i++
				if i%500 == 0 {
					b.StopTimer()
					if err := s.Checkpoint(ctx); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
			}
			reportLatencies(b, ds)
		})
	}
}

// BenchmarkPutMany stores finished contacts in batches, as ingest and the
// demo generator do, and reports contacts per second.
func BenchmarkPutMany(b *testing.B) {
	for _, batch := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("batch %d", batch), func(b *testing.B) {
			s := storetest.MustOpen(b)
			reasons := []string{"late", "damaged", "refund", "login", "invoice", "other"}
			next := 0
			makeBatch := func() []store.Contact {
				cs := make([]store.Contact, batch)
				for i := range cs {
					start := t0.Add(time.Duration(next) * 7 * time.Second)
					cs[i] = finished(b, start, reasons[next%len(reasons)], reasons[(next/7)%len(reasons)])
					if cs[i].Reasons[0] == cs[i].Reasons[1] {
						cs[i].Reasons = cs[i].Reasons[:1]
					}
					next++
				}
				return cs
			}
			n := 0
			var elapsed, cpu time.Duration
			for b.Loop() {
				b.StopTimer()
				cs := makeBatch()
				b.StartTimer()
				start, cpu0 := time.Now(), cpuTime()
				if err := s.PutMany(ctx, cs); err != nil {
					b.Fatal(err)
				}
				elapsed += time.Since(start)
				cpu += cpuTime() - cpu0
				n += len(cs)
			}
			b.ReportMetric(float64(n)/elapsed.Seconds(), "contacts/s")
			// On a loaded machine wall time mostly measures the queue for
			// the CPU; the rate per CPU second shows what the code costs.
			b.ReportMetric(float64(n)/cpu.Seconds(), "contacts/cpu-s")
			if err := s.VerifyRollup(ctx); err != nil {
				b.Fatal(err)
			}
		})
	}
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
