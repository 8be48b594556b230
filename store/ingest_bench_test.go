package store_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"whycall/demo"
	"whycall/store"
	"whycall/store/storetest"
	"whycall/taxonomy"
)

// The benchmarks' contacts are bench/run's: what `whycall demo` makes for
// 1M contacts over the 90 days ending 2026-11-24 with seed 1 — three in four
// carry a customer reference, hashed (32 hex digits) as a desk stores it, and
// many customers call again — in the order a desk syncs them (start time,
// which is id order). demoContacts(n) is the first n of them.
var benchData struct {
	sync.Mutex
	g  *demo.Generator
	cs []store.Contact
}

const (
	benchTotal = 1_000_000
	benchDays  = 90
)

// demoContacts returns the first n contacts of the benchmark data set,
// made once per process (as far as asked for) and shared: callers must not
// change them.
func demoContacts(tb testing.TB, n int) []store.Contact {
	tb.Helper()
	if n > benchTotal {
		tb.Fatalf("the benchmark data holds %d contacts, %d asked for", benchTotal, n)
	}
	benchData.Lock()
	defer benchData.Unlock()
	if benchData.g == nil {
		oslo, err := time.LoadLocation(store.DefaultZone)
		if err != nil {
			tb.Fatal(err)
		}
		h, err := store.NewRefHasher([]byte("whycall benchmark secret - not for real data"))
		if err != nil {
			tb.Fatal(err)
		}
		benchData.g, err = demo.New(demo.Options{Contacts: benchTotal, Days: benchDays, Seed: 1,
			End: time.Date(2026, 11, 24, 12, 0, 0, 0, oslo), Location: oslo,
			Taxonomy: taxonomy.Default(), Ref: h.Ref})
		if err != nil {
			tb.Fatal(err)
		}
	}
	for len(benchData.cs) < n {
		day, ok := benchData.g.Next()
		if !ok {
			tb.Fatalf("the demo generator made %d contacts, not %d", len(benchData.cs), benchTotal)
		}
		benchData.cs = append(benchData.cs, day...)
	}
	return benchData.cs[:n:n]
}

// demoBatches cuts contacts [from, from+n·benchBatch) of the benchmark
// data into n batches of benchBatch.
func demoBatches(tb testing.TB, from, n int) []*store.IngestBatch {
	tb.Helper()
	cs := demoContacts(tb, from+n*benchBatch)[from:]
	bs := make([]*store.IngestBatch, n)
	for i := range bs {
		bs[i] = newBatch(tb, cs[i*benchBatch:(i+1)*benchBatch:(i+1)*benchBatch])
	}
	return bs
}

var benchTaxonomy = store.IngestTaxonomy{Version: "068c9da915875cd0", TaxonomyID: "example", Revision: 3, YAML: []byte("schema_version: 1\n")}

func newBatch(tb testing.TB, cs []store.Contact) *store.IngestBatch {
	tb.Helper()
	id, err := uuid.NewV7()
	if err != nil {
		tb.Fatal(err)
	}
	return &store.IngestBatch{ID: id.String(), Agent: "agent1", Site: "oslo", Created: time.Now(),
		Taxonomies: []store.IngestTaxonomy{benchTaxonomy}, Contacts: cs}
}

const benchBatch = 1000

// BenchmarkIngest is the collector's first pass over bench/run's data: new
// contacts in batches of 1,000, idempotency checks included, into an empty
// database and into one that holds the first 250k contacts already (as the
// collector of bench/run does a quarter of the way through). Stored
// neighbours and rollup are checked against a recount afterwards.
func BenchmarkIngest(b *testing.B) {
	for _, held := range []int{0, 250_000} {
		b.Run(fmt.Sprintf("holding-%dk", held/1000), func(b *testing.B) {
			in := openIngesterHolding(b, held)
			batches := demoBatches(b, held, b.N)
			b.ResetTimer()
			cpu0 := cpuTime()
			for i := 0; i < b.N; i++ {
				res, err := in.Ingest(ctx, batches[i])
				if err != nil {
					b.Fatal(err)
				}
				if res.Accepted != benchBatch {
					b.Fatalf("accepted %d of %d", res.Accepted, benchBatch)
				}
			}
			reportRate(b, b.N*benchBatch, cpu0)
			b.StopTimer()
			verifyStore(b, in.Store())
		})
	}
}

// verifyStore checks the stored neighbours and rollup against a recount.
func verifyStore(tb testing.TB, s *store.Store) {
	tb.Helper()
	if err := s.VerifyNeighbours(ctx); err != nil {
		tb.Fatal(err)
	}
	if err := s.VerifyRollup(ctx); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkIngestReplay sends contacts the collector holds already, under
// new batch ids (a desk that crashed before it could mark them synced):
// every revision is a duplicate and no contact or rollup row changes.
func BenchmarkIngestReplay(b *testing.B) { benchReplay(b, false) }

// BenchmarkIngestReplaySameBatch sends the same batches again (a retry whose
// first answer was lost): nothing at all changes.
func BenchmarkIngestReplaySameBatch(b *testing.B) { benchReplay(b, true) }

func benchReplay(b *testing.B, sameID bool) {
	in := openIngester(b)
	firsts := demoBatches(b, 0, 64)
	for _, bt := range firsts {
		if _, err := in.Ingest(ctx, bt); err != nil {
			b.Fatal(err)
		}
	}
	replays := make([]*store.IngestBatch, b.N)
	for i := range replays {
		replays[i] = firsts[i%len(firsts)]
		if !sameID {
			replays[i] = newBatch(b, replays[i].Contacts)
		}
	}
	before := contentSum(b, in.Store())
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		res, err := in.Ingest(ctx, replays[i])
		if err != nil {
			b.Fatal(err)
		}
		if res.Duplicate != benchBatch || res.DuplicateBatch != sameID {
			b.Fatalf("replay: %+v", res)
		}
	}
	reportRate(b, b.N*benchBatch, cpu0)
	b.StopTimer()
	if after := contentSum(b, in.Store()); after != before {
		b.Fatalf("replaying changed stored rows: %s, was %s", after, before)
	}
}

// contentSum sums up the contacts and the rollup, so that a change to any
// row shows.
func contentSum(tb testing.TB, s *store.Store) string {
	tb.Helper()
	var out string
	err := s.DB().QueryRowContext(ctx, `SELECT
		(SELECT printf('%d %d %d %d %d', count(*), total(rev), total(updated_at), total(synced_rev), total(length(reasons || team || note))) FROM contacts) || ' / ' ||
		(SELECT printf('%d %d %d %d', count(*), total(primary_n), total(secondary_n), total(handle_ms)) FROM reason_days)`).Scan(&out)
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// reportRate reports contacts per second of wall time and of this process's
// CPU time: on a shared machine the second is the steadier of the two.
func reportRate(b *testing.B, contacts int, cpu0 time.Duration) {
	b.ReportMetric(float64(contacts)/b.Elapsed().Seconds(), "contacts/s")
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(contacts)/cpu.Seconds(), "contacts/cpu-s")
	}
}

// heldDBs are collector databases holding the first n contacts of the
// benchmark data, by n, made once per process in benchDir; TestMain removes
// the folder.
var (
	heldDBs  = map[int]string{}
	benchDir string
)

// openIngesterHolding opens an Ingester on a copy of a collector database
// that holds the first n contacts of the benchmark data (ingested in
// batches, as a collector would have), both closed when the test ends.
func openIngesterHolding(tb testing.TB, n int) *store.Ingester {
	tb.Helper()
	if n == 0 {
		return openIngester(tb)
	}
	benchData.Lock()
	tmpl, ok := heldDBs[n]
	benchData.Unlock()
	if !ok {
		var err error
		if benchDir == "" {
			if benchDir, err = os.MkdirTemp("", "whycall-store-bench-"); err != nil {
				tb.Fatal(err)
			}
		}
		tmpl = filepath.Join(benchDir, fmt.Sprintf("holding-%d.db", n))
		s, err := store.Open(ctx, tmpl, store.Options{Collector: true})
		if err != nil {
			tb.Fatal(err)
		}
		in, err := s.NewIngester()
		if err != nil {
			tb.Fatal(err)
		}
		for _, bt := range demoBatches(tb, 0, n/benchBatch) {
			if _, err := in.Ingest(ctx, bt); err != nil {
				tb.Fatal(err)
			}
		}
		if err := errors.Join(in.Close(), s.Close()); err != nil {
			tb.Fatal(err)
		}
		benchData.Lock()
		heldDBs[n] = tmpl
		benchData.Unlock()
	}
	path := filepath.Join(tb.TempDir(), "collector.db")
	data, err := os.ReadFile(tmpl)
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		tb.Fatal(err)
	}
	s, err := store.Open(ctx, path, store.Options{Collector: true})
	if err != nil {
		tb.Fatal(err)
	}
	in, err := s.NewIngester()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := errors.Join(in.Close(), s.Close()); err != nil {
			tb.Error(err)
		}
	})
	return in
}

// removeBenchDBs removes the databases openIngesterHolding made.
func removeBenchDBs() {
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
}

// openIngester opens a collector's store and an Ingester on it, both closed
// when the test ends.
func openIngester(tb testing.TB) *store.Ingester {
	tb.Helper()
	s := storetest.MustOpen(tb, store.Options{Collector: true})
	in, err := s.NewIngester()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := in.Close(); err != nil {
			tb.Error(err)
		}
	})
	return in
}
