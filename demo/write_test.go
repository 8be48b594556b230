package demo

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"whycall/store"
	"whycall/store/storetest"
)

// fill writes a data set into a fresh store and returns the store.
func fill(t *testing.T, opt Options) (*store.Store, *Generator) {
	t.Helper()
	opt.Taxonomy, opt.End, opt.Location = testTaxonomy(), testEnd, oslo
	g, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	start := g.Start()
	s := storetest.MustOpen(t, store.Options{Location: oslo, Collector: true, Now: func() time.Time { return start }})
	if err := Fill(context.Background(), s, g, nil); err != nil {
		t.Fatal(err)
	}
	return s, g
}

// digest hashes every row of the tables demo data touches, in key order.
func digest(t *testing.T, db *sql.DB) string {
	t.Helper()
	return fmt.Sprintf("%x", sha256.Sum256([]byte(storetest.Rows(t, db,
		`SELECT * FROM contacts ORDER BY id`,
		`SELECT * FROM reason_days ORDER BY day, team, reason_id`,
		`SELECT * FROM taxonomies ORDER BY version`))))
}

func TestFill(t *testing.T) {
	ctx := context.Background()
	opt := Options{Contacts: 25_000, Days: 35, Seed: 5}
	a, g := fill(t, opt)

	t.Run("stores every contact and keeps the rollup exact", func(t *testing.T) {
		var n, primary int
		if err := a.DB().QueryRow(`SELECT count(*) FROM contacts WHERE ended_at IS NOT NULL AND deleted = 0`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if err := a.DB().QueryRow(`SELECT sum(primary_n) FROM reason_days`).Scan(&primary); err != nil {
			t.Fatal(err)
		}
		if n != 25_000 || primary != 25_000 {
			t.Errorf("%d finished contacts, rollup counts %d; want 25000", n, primary)
		}
		if err := a.VerifyRollup(ctx); err != nil {
			t.Error(err)
		}
	})

	t.Run("the rollup shows the planted spike on its days", func(t *testing.T) {
		sp := g.Spike()
		for i, day := range sp.Days {
			var n int
			err := a.DB().QueryRow(`SELECT coalesce(sum(primary_n), 0) FROM reason_days WHERE day = ? AND reason_id = ?`, day, sp.Reason).Scan(&n)
			if err != nil {
				t.Fatal(err)
			}
			if n != sp.Counts[i] {
				t.Errorf("%s %s: rollup has %d, planted %d", day, sp.Reason, n, sp.Counts[i])
			}
		}
	})

	t.Run("the same seed makes an identical database", func(t *testing.T) {
		b, _ := fill(t, opt)
		if da, db := digest(t, a.DB()), digest(t, b.DB()); da != db {
			t.Errorf("digests differ: %s and %s", da, db)
		}
	})

	t.Run("filling again with the same seed changes nothing", func(t *testing.T) {
		before := digest(t, a.DB())
		g2, err := New(g.Options())
		if err != nil {
			t.Fatal(err)
		}
		if err := Fill(ctx, a, g2, nil); err != nil {
			t.Fatal(err)
		}
		if after := digest(t, a.DB()); after != before {
			t.Error("a second fill with the same seed changed the database")
		}
	})

	t.Run("census tells demo contacts from real ones", func(t *testing.T) {
		demo, real, err := Census(ctx, a.DB())
		if err != nil || demo != 25_000 || real != 0 {
			t.Fatalf("census: %d demo, %d real, %v", demo, real, err)
		}
		if _, err := a.StartDraft(ctx, store.Draft{Agent: "kari", TaxonomyVersion: "testversion"}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.StartDraft(ctx, store.Draft{Agent: "DEMO-kari", TaxonomyVersion: "testversion"}); err != nil {
			t.Fatal(err)
		}
		if demo, real, err = Census(ctx, a.DB()); err != nil || demo != 25_000 || real != 2 {
			t.Fatalf("census after two real drafts: %d demo, %d real, %v", demo, real, err)
		}
	})
}

func TestCensusOfAnEmptyDatabase(t *testing.T) {
	s := storetest.MustOpen(t)
	demo, real, err := Census(context.Background(), s.DB())
	if err != nil || demo != 0 || real != 0 {
		t.Fatalf("census: %d demo, %d real, %v", demo, real, err)
	}
}

// failAfter is a sink that fails once it has taken n contacts.
type failAfter struct{ n, got int }

func (f *failAfter) PutMany(_ context.Context, cs []store.Contact) error {
	if f.got+len(cs) > f.n {
		return errors.New("disk full")
	}
	f.got += len(cs)
	return nil
}

func TestWrite(t *testing.T) {
	newGen := func() *Generator {
		g, err := New(Options{Contacts: 30_000, Days: 20, Taxonomy: testTaxonomy(), End: testEnd, Location: oslo})
		if err != nil {
			t.Fatal(err)
		}
		return g
	}

	t.Run("reports progress up to the total", func(t *testing.T) {
		var seen []int
		sink := &failAfter{n: 30_000}
		if err := Write(context.Background(), newGen(), sink, func(done int) { seen = append(seen, done) }); err != nil {
			t.Fatal(err)
		}
		if len(seen) < 10 || seen[len(seen)-1] != 30_000 || sink.got != 30_000 {
			t.Fatalf("progress %v, sink took %d", seen, sink.got)
		}
		for i := 1; i < len(seen); i++ {
			if seen[i] <= seen[i-1] {
				t.Fatalf("progress went back: %v", seen)
			}
		}
	})

	t.Run("stops at the first failed batch and says why", func(t *testing.T) {
		sink := &failAfter{n: 10_000}
		err := Write(context.Background(), newGen(), sink, nil)
		if err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Fatalf("got %v, want the sink's error", err)
		}
	})

	t.Run("stops when the context is cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := Write(ctx, newGen(), &failAfter{n: 30_000}, nil); !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v, want context.Canceled", err)
		}
	})
}
