package report

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"whycall/store"
	"whycall/taxonomy"
)

// The benchmark database: 1M contacts over 90 days (about 11,100 a day in
// two teams), 74 % with one of 400,000 customer references, tagged with the
// default taxonomy. Building it takes a while, so it is kept in the
// temporary folder under a name that changes with benchDataVersion.
const (
	benchDataVersion = "v3"
	benchContacts    = 1_000_000
	benchDays        = 90
)

// benchLast is the last day of the benchmark data.
var benchLast = Day{2026, time.October, 31}

// benchStore opens (building it the first time) the benchmark database.
func benchStore(b *testing.B) *store.Store {
	b.Helper()
	ctx := context.Background()
	// Keyed by the schema too: a file migrated by a newer build would be
	// refused by an older one.
	path := filepath.Join(os.TempDir(), fmt.Sprintf("whycall-summary-bench-%s-s%d-%d.db", benchDataVersion, store.SchemaVersion(), benchContacts))
	done := path + ".done"
	if _, err := os.Stat(done); err != nil {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(path + suffix)
		}
		b.Logf("building %s (once)", path)
		if err := buildBenchDB(ctx, path); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(done, nil, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	s, err := store.Open(ctx, path, store.Options{Location: oslo, Collector: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func buildBenchDB(ctx context.Context, path string) error {
	s, err := store.Open(ctx, path, store.Options{Location: oslo, Collector: true})
	if err != nil {
		return err
	}
	defer s.Close()
	tax := taxonomy.Default()
	if err := s.SaveTaxonomy(ctx, tax.Version, tax.ID, tax.Revision, tax.Source); err != nil {
		return err
	}
	var reasons []*taxonomy.Reason
	var weights []float64
	total := 0.0
	for _, c := range tax.Categories {
		for _, r := range c.Offered() {
			w := 1 / float64(len(reasons)%17+1) // a long tail, reshuffled per category
			if r.CatchAll {
				w = 0.15
			}
			reasons = append(reasons, r)
			weights = append(weights, w)
			total += w
		}
	}
	pick := func(x float64) *taxonomy.Reason {
		x *= total
		for i, w := range weights {
			if x < w {
				return reasons[i]
			}
			x -= w
		}
		return reasons[len(reasons)-1]
	}
	rnd := rand.New(rand.NewPCG(2026, 10))
	perDay := benchContacts / benchDays
	outcomes := []store.Outcome{store.OutcomeResolved, store.OutcomeResolved, store.OutcomeResolved,
		store.OutcomeUnresolved, store.OutcomeFollowUp, store.OutcomeEscalated, store.OutcomeUnknown}
	n := 0
	for d := benchLast.Add(-(benchDays - 1)); !benchLast.Before(d); d = d.Add(1) {
		count := perDay
		if d == benchLast {
			count = benchContacts - n
		}
		open := d.Start(oslo).Add(8 * time.Hour)
		batch := make([]store.Contact, 0, count)
		starts := make([]time.Duration, count)
		for i := range starts {
			starts[i] = time.Duration(rnd.Int64N(int64(12 * time.Hour)))
		}
		slices.Sort(starts)
		for i := range count {
			n++
			r := pick(rnd.Float64())
			at := open.Add(starts[i]).Truncate(time.Millisecond)
			c := store.Contact{
				ID:              benchID(at, n),
				Agent:           fmt.Sprintf("agent%02d", rnd.IntN(60)),
				Team:            []string{"north", "south"}[rnd.IntN(2)],
				StartedAt:       at,
				EndedAt:         at.Add(time.Duration(30+rnd.IntN(900)) * time.Second),
				Reasons:         []string{r.ID},
				Outcome:         outcomes[rnd.IntN(len(outcomes))],
				TaxonomyVersion: tax.Version,
				UpdatedAt:       at,
			}
			if rnd.Float64() < 0.1 {
				if s := pick(rnd.Float64()); s.ID != r.ID {
					c.Reasons = append(c.Reasons, s.ID)
				}
			}
			if rnd.Float64() < 0.74 {
				c.CustomerRef = fmt.Sprintf("%032x", rnd.IntN(400_000)) // as store.RefHasher stores them
			}
			if r.CatchAll || rnd.Float64() < 0.15 {
				c.Note = "Kunden ringte om " + r.ID
			}
			batch = append(batch, c)
		}
		if err := s.PutMany(ctx, batch); err != nil {
			return err
		}
	}
	_, err = s.DB().ExecContext(ctx, "ANALYZE")
	return err
}

// cpuTime is the process's user and system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchID is a time-ordered id shaped like a UUIDv7.
func benchID(at time.Time, n int) string {
	ms := at.UnixMilli()
	return fmt.Sprintf("%08x-%04x-7%03x-8%03x-%012x", ms>>16, ms&0xffff, n>>12&0xfff, n&0xfff, n)
}

// BenchmarkSummarize measures whole summaries on 1M contacts: one day with
// its 28-day baselines (with the reader's connections warm, as in the TUI,
// and cold, as in one summary command), the weekly view, and a 90-day
// range. Run with
//
//	go test ./report -run '^$' -bench Summarize -benchtime 20x -count 7
func BenchmarkSummarize(b *testing.B) {
	st := benchStore(b)
	ctx := context.Background()
	s := st.SummaryReader()
	defer s.Close()
	plans, err := s.SummaryPlans(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for name, steps := range plans {
		for _, step := range steps {
			if strings.HasPrefix(step, "SCAN ") && !strings.HasPrefix(step, "SCAN CONSTANT") {
				b.Fatalf("%s: full scan %q", name, step)
			}
		}
	}
	opt := DefaultOptions()
	opt.Now = func() time.Time { return benchLast.End(oslo).Add(8 * time.Hour) }
	cases := []struct {
		name string
		req  Request
		opt  func(Options) Options
	}{
		{"day", Request{Day: benchLast}, nil},
		{"day-one-team", Request{Day: benchLast, Team: "north"}, nil},
		{"day-cold", Request{Day: benchLast}, nil},
		{"7-days", Request{Day: benchLast, Days: 7}, nil},
		{"90-days", Request{Day: benchLast, Days: 90}, nil},
		{"day-rolling-28", Request{Day: benchLast}, func(o Options) Options { o.RollingDays = 28; return o }},
	}
	for _, c := range cases {
		o := opt
		if c.opt != nil {
			o = c.opt(o)
		}
		b.Run(c.name, func(b *testing.B) {
			var total int
			cpu0 := cpuTime()
			for b.Loop() {
				src := s
				if strings.Contains(c.name, "cold") {
					// As a summary command sees it: new connections, no
					// taxonomy loaded yet.
					loaded.Clear()
					src = st.SummaryReader()
				}
				sum, err := Summarize(ctx, src, c.req, o)
				if src != s {
					src.Close()
				}
				if err != nil {
					b.Fatal(err)
				}
				total = sum.Total
			}
			if total == 0 {
				b.Fatal("empty summary")
			}
			// CPU time of the whole process: less sensitive than wall time to
			// other work on the machine; on an idle machine wall time is about
			// this over the number of cores the concurrent reads use.
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
		})
	}
}

// BenchmarkSummaryReads measures the summary's reads one by one, on one
// warm connection each, for the last day of the benchmark data: a finer
// and steadier view of where a summary's time goes than the whole summary,
// whose reads run concurrently. Run with
//
//	go test ./report -run '^$' -bench SummaryReads -count 7
func BenchmarkSummaryReads(b *testing.B) {
	st := benchStore(b)
	ctx := context.Background()
	r := st.SummaryReader()
	defer r.Close()
	opt := DefaultOptions()
	opt.Now = func() time.Time { return benchLast.End(oslo).Add(8 * time.Hour) }
	p := newPlan(benchLast, 1, opt.Now(), oslo, opt)
	day := p.query(store.ContactQuery{From: p.from.Start(oslo), To: p.to.End(oslo), Before: p.window}, opt)
	cohort := p.query(store.ContactQuery{From: p.cohortFrom.Start(oslo), To: p.cohortTo.End(oslo), WithRef: true, After: p.window}, opt)
	reads := []struct {
		name string
		read func() (int, error)
	}{
		{"day contacts", func() (int, error) { cs, err := r.SummaryContacts(ctx, day); return len(cs), err }},
		{"cohort", func() (int, error) { cs, err := r.ReasonCohorts(ctx, cohort); return len(cs), err }},
		{"rollup", func() (int, error) {
			rows, err := r.ReasonDays(ctx, p.base.String(), p.to.String(), "")
			return len(rows), err
		}},
		{"reasons used", func() (int, error) {
			ids, err := r.ReasonsUsed(ctx, p.to.Add(-89).String(), p.base.Add(-1).String(), "")
			return len(ids), err
		}},
		{"data days", func() (int, error) { _, last, err := r.DataDays(ctx, ""); return len(last), err }},
	}
	for _, rd := range reads {
		b.Run(rd.name, func(b *testing.B) {
			cpu0 := cpuTime()
			for b.Loop() {
				n, err := rd.read()
				if err != nil {
					b.Fatal(err)
				}
				if n == 0 {
					b.Fatal("nothing read")
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
		})
	}
}
