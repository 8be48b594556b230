package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"whycall/store"
	"whycall/store/storetest"
)

// genContacts makes n finished contacts as desks make them: UUIDv7 ids in
// time order, a few teams and reasons, some refs and notes.
func genContacts(tb testing.TB, n int, start time.Time) []store.Contact {
	tb.Helper()
	reasons := [][]string{{"late_delivery"}, {"invoice_unclear", "late_delivery"}, {"delivery_other"}, {"price_question"}, nil}
	cs := make([]store.Contact, n)
	for i := range cs {
		id, err := uuid.NewV7()
		if err != nil {
			tb.Fatal(err)
		}
		at := start.Add(time.Duration(i) * 7 * time.Second).Truncate(time.Millisecond)
		c := store.Contact{
			ID: id.String(), Agent: fmt.Sprintf("agent%d", i%50), Team: fmt.Sprintf("team%d", i%5), Site: "oslo",
			Channel: store.Channels[i%len(store.Channels)], StartedAt: at, EndedAt: at.Add(time.Duration(60+i%400) * time.Second),
			Reasons: reasons[i%len(reasons)], Outcome: store.Outcomes[i%len(store.Outcomes)],
			TaxonomyVersion: "068c9da915875cd0", Rev: int64(2 + i%3), UpdatedAt: at.Add(10 * time.Minute),
		}
		if i%3 == 0 {
			c.CustomerRef = fmt.Sprintf("h1:%064x", i)
		}
		if i%5 == 2 {
			c.Note = "Kunden ønsket å hente pakken selv på terminalen"
		}
		cs[i] = c
	}
	return cs
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

// BenchmarkIngest is the collector's first pass: new contacts in batches of
// 1,000, idempotency checks included.
func BenchmarkIngest(b *testing.B) {
	in := openIngester(b)
	start := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	batches := make([]*store.IngestBatch, b.N)
	for i := range batches {
		batches[i] = newBatch(b, genContacts(b, benchBatch, start.Add(time.Duration(i)*2*time.Hour)))
	}
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
	start := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	var firsts []*store.IngestBatch
	for i := 0; i < 64; i++ {
		bt := newBatch(b, genContacts(b, benchBatch, start.Add(time.Duration(i)*2*time.Hour)))
		if _, err := in.Ingest(ctx, bt); err != nil {
			b.Fatal(err)
		}
		firsts = append(firsts, bt)
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
