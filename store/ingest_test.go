package store_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"whycall/store"
	"whycall/store/storetest"
)

// snapshot is every stored row that ingest may change, as text, to compare
// before and after.
func snapshot(tb testing.TB, s *store.Store) string {
	tb.Helper()
	return storetest.Rows(tb, s.DB(),
		`SELECT id, agent, team, site, channel, started_at, coalesce(ended_at, -1), reasons, primary_reason, outcome,
			customer_ref, note, taxonomy_version, rev, updated_at, deleted, synced_rev, coalesce(prev_at, -1)
			FROM contacts ORDER BY id`,
		`SELECT day, team, reason_id, primary_n, secondary_n, handle_n, handle_ms, resolved_n, unresolved_n,
			follow_up_n, escalated_n, unknown_n, ref_n FROM reason_days ORDER BY day, team, reason_id`,
		`SELECT version, yaml FROM taxonomies ORDER BY version`)
}

func verifyRollup(tb testing.TB, s *store.Store) {
	tb.Helper()
	if err := s.VerifyRollup(ctx); err != nil {
		tb.Fatal(err)
	}
}

func mustIngest(tb testing.TB, in *store.Ingester, b *store.IngestBatch) store.IngestResult {
	tb.Helper()
	res, err := in.Ingest(ctx, b)
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

func collector(tb testing.TB) (*store.Store, *store.Ingester) {
	tb.Helper()
	in := openIngester(tb)
	return in.Store(), in
}

func TestIngestIsIdempotentByBatchAndByRevision(t *testing.T) {
	s, in := collector(t)
	start := time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC)
	cs := genContacts(t, 50, start)
	first := newBatch(t, cs)
	if res := mustIngest(t, in, first); res != (store.IngestResult{Accepted: 50}) {
		t.Fatalf("first delivery: %+v", res)
	}
	verifyRollup(t, s)
	before := snapshot(t, s)

	t.Run("the same batch again changes nothing", func(t *testing.T) {
		if res := mustIngest(t, in, first); res != (store.IngestResult{Duplicate: 50, DuplicateBatch: true}) {
			t.Fatalf("got %+v", res)
		}
		if snapshot(t, s) != before {
			t.Fatal("stored rows changed")
		}
	})
	t.Run("the same revisions in a new batch change nothing", func(t *testing.T) {
		if res := mustIngest(t, in, newBatch(t, cs)); res != (store.IngestResult{Duplicate: 50}) {
			t.Fatalf("got %+v", res)
		}
		if snapshot(t, s) != before {
			t.Fatal("stored rows changed")
		}
	})
	t.Run("older revisions are stale and change nothing", func(t *testing.T) {
		old := append([]store.Contact(nil), cs[:10]...)
		for i := range old {
			old[i].Rev--
			old[i].Team = "overwritten"
		}
		if res := mustIngest(t, in, newBatch(t, old)); res != (store.IngestResult{Stale: 10}) {
			t.Fatalf("got %+v", res)
		}
		if snapshot(t, s) != before {
			t.Fatal("stored rows changed")
		}
	})
	t.Run("newer revisions replace edits and deletes and keep the rollup exact", func(t *testing.T) {
		newer := append([]store.Contact(nil), cs[:20]...)
		for i := range newer {
			c := &newer[i]
			c.Rev++
			switch i % 4 {
			case 0:
				c.Deleted = true
			case 1:
				c.Reasons = []string{"invoice_unclear", "late_delivery"}
			case 2:
				c.Team, c.Outcome = "team9", store.OutcomeEscalated
			case 3:
				c.StartedAt = c.StartedAt.Add(-30 * time.Hour) // another day
			}
		}
		batch := append(newer, cs[20:]...)
		if res := mustIngest(t, in, newBatch(t, batch)); res != (store.IngestResult{Accepted: 20, Duplicate: 30}) {
			t.Fatalf("got %+v", res)
		}
		verifyRollup(t, s)
		for _, c := range newer {
			got, err := s.Get(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Rev != c.Rev || got.Deleted != c.Deleted || got.Team != c.Team || !got.StartedAt.Equal(c.StartedAt) ||
				strings.Join(got.Reasons, ",") != strings.Join(c.Reasons, ",") {
				t.Fatalf("stored %+v, sent %+v", got, c)
			}
		}
	})
}

func TestIngestKeepsTheHighestRevisionWhateverTheOrder(t *testing.T) {
	s, in := collector(t)
	rng := rand.New(rand.NewPCG(7, 11))
	base := genContacts(t, 40, time.Date(2026, 3, 28, 22, 0, 0, 0, time.UTC)) // across the DST change
	latest := map[string]store.Contact{}
	var revisions []store.Contact
	teams := []string{"team0", "team1", ""}
	reasons := [][]string{{"a"}, {"b", "a"}, {"c", "b", "a"}, nil}
	for _, c := range base {
		for rev := int64(1); rev <= 6; rev++ {
			v := c
			v.Rev = rev
			v.Team = teams[rng.IntN(len(teams))]
			v.Reasons = reasons[rng.IntN(len(reasons))]
			v.Outcome = store.Outcomes[rng.IntN(len(store.Outcomes))]
			v.StartedAt = c.StartedAt.Add(time.Duration(rng.IntN(48)-24) * time.Hour)
			v.EndedAt = v.StartedAt.Add(time.Duration(rng.IntN(20000)) * time.Second)
			v.Deleted = rng.IntN(4) == 0
			if v.Deleted && rng.IntN(2) == 0 {
				v.EndedAt = time.Time{} // deleted while reopened
			}
			v.CustomerRef = []string{"", "h1:x"}[rng.IntN(2)]
			revisions = append(revisions, v)
			if rev > latest[c.ID].Rev {
				latest[c.ID] = v
			}
		}
	}
	rng.Shuffle(len(revisions), func(i, j int) { revisions[i], revisions[j] = revisions[j], revisions[i] })
	// Deliver in batches of distinct ids, some batches twice.
	for len(revisions) > 0 {
		seen := map[string]bool{}
		var batch, rest []store.Contact
		for _, c := range revisions {
			if seen[c.ID] || len(batch) == 25 {
				rest = append(rest, c)
				continue
			}
			seen[c.ID] = true
			batch = append(batch, c)
		}
		b := newBatch(t, batch)
		mustIngest(t, in, b)
		if rng.IntN(3) == 0 {
			mustIngest(t, in, b)
		}
		revisions = rest
		verifyRollup(t, s)
	}
	for id, want := range latest {
		got, err := s.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got.Rev != want.Rev || got.Team != want.Team || got.Deleted != want.Deleted || !got.EndedAt.Equal(want.EndedAt) {
			t.Fatalf("%s: stored rev %d, want the highest, %d", id, got.Rev, want.Rev)
		}
	}
}

func TestIngestAllStoresWhatIngestStoresOneByOne(t *testing.T) {
	refused, twice := 0, 0
	for seed := range uint64(4) {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 13))
			// Revisions of few contacts with few references and start
			// times, in random order, so that batches in one transaction
			// share contacts, references and neighbours.
			base := genContacts(t, 30, time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC))
			var revisions []store.Contact
			for _, c := range base {
				for rev := int64(1); rev <= 3; rev++ {
					v := c
					v.Rev = rev
					v.StartedAt = c.StartedAt.Add(time.Duration(rng.IntN(6)) * time.Hour)
					v.EndedAt = v.StartedAt.Add(time.Minute)
					v.CustomerRef = []string{"", "h1:a", "h1:b", "h1:c"}[rng.IntN(4)]
					v.Deleted = rng.IntN(5) == 0
					revisions = append(revisions, v)
				}
			}
			rng.Shuffle(len(revisions), func(i, j int) { revisions[i], revisions[j] = revisions[j], revisions[i] })
			var batches []*store.IngestBatch
			for len(revisions) > 0 {
				n := min(len(revisions), 1+rng.IntN(8))
				seen := map[string]bool{}
				var cs []store.Contact
				for _, c := range revisions[:n] {
					if !seen[c.ID] {
						seen[c.ID] = true
						cs = append(cs, c)
					}
				}
				revisions = revisions[n:]
				b := newBatch(t, cs)
				switch rng.IntN(8) {
				case 0: // delivered twice
					batches = append(batches, b)
				case 1: // refused: a contact without agent
					b.Contacts = append([]store.Contact(nil), b.Contacts...)
					b.Contacts[0].Agent = ""
				}
				batches = append(batches, b)
			}

			all, one := openIngester(t), openIngester(t)
			for len(batches) > 0 {
				group := batches[:min(len(batches), 1+rng.IntN(8))]
				batches = batches[len(group):]
				res, errs := all.IngestAll(ctx, group)
				for i, b := range group {
					want, werr := one.Ingest(ctx, b)
					if errors.Is(werr, store.ErrInvalid) {
						refused++
					}
					if want.DuplicateBatch {
						twice++
					}
					if res[i] != want || errors.Is(errs[i], store.ErrInvalid) != errors.Is(werr, store.ErrInvalid) ||
						(errs[i] == nil) != (werr == nil) {
						t.Fatalf("batch %d of %d: IngestAll gave %+v, %v; Ingest %+v, %v", i, len(group), res[i], errs[i], want, werr)
					}
				}
			}
			if got, want := snapshot(t, all.Store()), snapshot(t, one.Store()); got != want {
				t.Fatalf("IngestAll stored\n%s\nIngest one by one\n%s", got, want)
			}
			verifyStore(t, all.Store())
		})
	}
	if refused == 0 || twice == 0 {
		t.Errorf("the test data had %d refused batches and %d delivered twice: both must occur", refused, twice)
	}
	t.Run("a cancelled IngestAll writes nothing", func(t *testing.T) {
		in := openIngester(t)
		before := snapshot(t, in.Store())
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		bs := []*store.IngestBatch{newBatch(t, genContacts(t, 3, t0)), newBatch(t, genContacts(t, 2, t0))}
		_, errs := in.IngestAll(cctx, bs)
		for i, err := range errs {
			if !errors.Is(err, context.Canceled) {
				t.Errorf("batch %d: got %v, want context.Canceled", i, err)
			}
		}
		if snapshot(t, in.Store()) != before {
			t.Fatal("stored rows changed")
		}
	})
}

func TestIngestRefusesABadBatchAndChangesNothing(t *testing.T) {
	s, in := collector(t)
	cs := genContacts(t, 5, time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC))
	mustIngest(t, in, newBatch(t, cs))
	before := snapshot(t, s)
	more := genContacts(t, 3, time.Date(2026, 3, 3, 7, 0, 0, 0, time.UTC))
	for _, tc := range []struct {
		name string
		edit func(b *store.IngestBatch)
	}{
		{"a batch without id", func(b *store.IngestBatch) { b.ID = "" }},
		{"a contact twice", func(b *store.IngestBatch) { b.Contacts = append(b.Contacts, b.Contacts[0]) }},
		{"a contact without agent", func(b *store.IngestBatch) { b.Contacts[2].Agent = "" }},
		{"a contact id with a quote", func(b *store.IngestBatch) { b.Contacts[1].ID = `x"y` }},
		{"a revision 0", func(b *store.IngestBatch) { b.Contacts[1].Rev = 0 }},
		{"a reason with the separator", func(b *store.IngestBatch) { b.Contacts[0].Reasons = []string{"a|b"} }},
	} {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			b := newBatch(t, append([]store.Contact(nil), more...))
			tc.edit(b)
			if _, err := in.Ingest(ctx, b); !errors.Is(err, store.ErrInvalid) {
				t.Fatalf("got %v, want ErrInvalid", err)
			}
			if snapshot(t, s) != before {
				t.Fatal("stored rows changed")
			}
		})
	}
	t.Run("a cancelled ingest writes nothing", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := in.Ingest(cctx, newBatch(t, more)); !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v", err)
		}
		if snapshot(t, s) != before {
			t.Fatal("stored rows changed")
		}
	})
}

func TestIngestStoresTaxonomiesUnknownReasonsAndFiles(t *testing.T) {
	s, in := collector(t)
	cs := genContacts(t, 3, time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC))
	cs[0].Reasons = []string{"retired_long_ago", "late_delivery"}
	b := newBatch(t, cs)
	b.File, b.FileSize = "whycall-kari-x.json", 1234
	mustIngest(t, in, b)
	got, err := s.Get(ctx, cs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Primary() != "retired_long_ago" || got.TaxonomyVersion != benchTaxonomy.Version {
		t.Fatalf("stored %+v: the reasons and the taxonomy version must be kept as sent", got)
	}
	if y, err := s.TaxonomyYAML(ctx, benchTaxonomy.Version); err != nil || string(y) != string(benchTaxonomy.YAML) {
		t.Fatalf("taxonomy: %q %v", y, err)
	}
	if n, err := outbox(t, s).PendingCount(ctx); err != nil || n != 0 {
		t.Fatalf("%d contacts pending on the collector (%v): ingested contacts are synced", n, err)
	}
	// The same batch under another file name: remembered, not ingested again.
	b.File = "copy-of-it.json"
	if res := mustIngest(t, in, b); !res.DuplicateBatch {
		t.Fatalf("got %+v", res)
	}
	files, err := in.IngestedFiles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || !files["whycall-kari-x.json"] || !files["copy-of-it.json"] {
		t.Fatalf("files %v", files)
	}
}

func TestIngesterAndStoreWriteTheSameFileInTurn(t *testing.T) {
	s, in := collector(t)
	done := make(chan error)
	go func() {
		for i := 0; i < 20; i++ {
			if _, err := in.Ingest(ctx, newBatch(t, genContacts(t, 20, time.Date(2026, 3, 2, 7, i, 0, 0, time.UTC)))); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for i := 0; i < 20; i++ {
		captured(t, s, "lead")
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	verifyRollup(t, s)
	var n int
	if err := s.DB().QueryRowContext(ctx, `SELECT count(*) FROM contacts`).Scan(&n); err != nil || n != 420 {
		t.Fatalf("%d contacts (%v), want 420", n, err)
	}
}

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

func TestConcurrentIngestsAreEachStoredOnce(t *testing.T) {
	s, in := collector(t)
	const n = 40
	batches := make([]*store.IngestBatch, n)
	for i := range batches {
		batches[i] = newBatch(t, genContacts(t, 5, time.Date(2026, 3, 2, 7, i, 0, 0, time.UTC)))
	}
	// Each batch is delivered twice at once, by two callers: one of them
	// must get it accepted and the other a duplicate batch, whichever
	// group of the writer each lands in.
	type got struct {
		i   int
		res store.IngestResult
		err error
	}
	out := make(chan got, 2*n)
	var wg sync.WaitGroup
	for i := range 2 * n {
		wg.Go(func() {
			res, err := in.Ingest(ctx, batches[i%n])
			out <- got{i % n, res, err}
		})
	}
	wg.Wait()
	close(out)
	accepted, twice := make([]int, n), make([]int, n)
	for g := range out {
		if g.err != nil {
			t.Fatalf("batch %d: %v", g.i, g.err)
		}
		switch g.res {
		case store.IngestResult{Accepted: 5}:
			accepted[g.i]++
		case store.IngestResult{Duplicate: 5, DuplicateBatch: true}:
			twice[g.i]++
		default:
			t.Fatalf("batch %d: %+v", g.i, g.res)
		}
	}
	for i := range n {
		if accepted[i] != 1 || twice[i] != 1 {
			t.Errorf("batch %d: accepted %d times, a duplicate %d times; want once each", i, accepted[i], twice[i])
		}
	}
	var contacts int
	if err := s.DB().QueryRowContext(ctx, `SELECT count(*) FROM contacts`).Scan(&contacts); err != nil {
		t.Fatal(err)
	}
	if contacts != 5*n {
		t.Errorf("%d contacts stored, want %d", contacts, 5*n)
	}
	verifyStore(t, s)
}

func TestIngestAfterCloseFailsAtOnce(t *testing.T) {
	s := storetest.MustOpen(t, store.Options{Collector: true})
	in, err := s.NewIngester()
	if err != nil {
		t.Fatal(err)
	}
	if err := in.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := in.Ingest(ctx, newBatch(t, genContacts(t, 1, t0))); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("Ingest after Close = %v, want an error that says the ingester is closed", err)
	}
}
