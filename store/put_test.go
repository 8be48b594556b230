package store_test

import (
	"errors"
	"testing"
	"time"

	"whycall/store"
	"whycall/store/storetest"
)

func finished(tb testing.TB, start time.Time, reasons ...string) store.Contact {
	tb.Helper()
	id, err := store.NewID()
	if err != nil {
		tb.Fatal(err)
	}
	return store.Contact{ID: id, Agent: "ann", Team: "billing", StartedAt: start, EndedAt: start.Add(3 * time.Minute),
		Reasons: reasons, Outcome: store.OutcomeResolved, TaxonomyVersion: "v1", CustomerRef: "r", Note: "n"}
}

func TestPut(t *testing.T) {
	s := storetest.MustOpen(t)
	c := finished(t, t0, "late")
	c.Note = "fnr 13097248022" // stored as is: Put does not mask
	if err := s.Put(ctx, c); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Rev != 1 || got.Channel != store.ChannelPhone || got.Note != c.Note || !got.EndedAt.Equal(c.EndedAt) {
		t.Errorf("Put stored %+v", got)
	}

	t.Run("a higher rev replaces, an equal or lower one is ignored", func(t *testing.T) {
		newer := c
		newer.Rev, newer.Reasons = 3, []string{"damaged"}
		older := c
		older.Rev, older.Reasons = 2, []string{"refund"}
		same := newer
		same.Note = "other"
		if err := s.PutMany(ctx, []store.Contact{newer, older, same}); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Get(ctx, c.ID)
		if got.Rev != 3 || got.Primary() != "damaged" || got.Note != c.Note {
			t.Errorf("after PutMany: %+v", got)
		}
		if err := s.VerifyRollup(ctx); err != nil {
			t.Error(err)
		}
	})
	t.Run("an invalid contact stores nothing of the batch", func(t *testing.T) {
		good := finished(t, t0)
		bad := finished(t, t0, "a", "a")
		err := s.PutMany(ctx, []store.Contact{good, bad})
		if !errors.Is(err, store.ErrInvalid) {
			t.Errorf("error %v, want ErrInvalid", err)
		}
		if _, err := s.Get(ctx, good.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the valid contact of a failed batch was stored: %v", err)
		}
	})
	t.Run("a contact without id or agent is refused", func(t *testing.T) {
		for _, c := range []store.Contact{{Agent: "ann", StartedAt: t0}, {ID: "x", StartedAt: t0}, {ID: "x", Agent: "ann"}} {
			if err := s.Put(ctx, c); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("Put(%+v) = %v, want ErrInvalid", c, err)
			}
		}
	})
}

func TestPutManyInChunks(t *testing.T) {
	s := storetest.MustOpen(t)
	var cs []store.Contact
	for i := range 100 {
		cs = append(cs, finished(t, t0.Add(time.Duration(i)*time.Minute), []string{"late", "damaged", "refund"}[i%3]))
	}
	if err := s.PutMany(ctx, cs); err != nil {
		t.Fatal(err)
	}
	// The same batch again, some contacts newer, one twice in a chunk and
	// a few new ones: whole chunks meet stored ids and go row by row.
	again := append([]store.Contact(nil), cs...)
	for i := 0; i < len(again); i += 9 {
		again[i].Rev, again[i].Reasons, again[i].Deleted = 2, []string{"other"}, i%2 == 0
	}
	again[5] = again[4]
	for range 40 {
		again = append(again, finished(t, t0, "late"))
	}
	// A new id twice in one chunk, the second copy newer.
	twice := again[len(again)-1]
	twice.Rev, twice.Reasons = 3, []string{"refund"}
	again = append(again, twice)
	if err := s.PutMany(ctx, again); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Get(ctx, twice.ID); got.Rev != 3 || got.Primary() != "refund" {
		t.Errorf("a new id given twice: stored %+v, want the newer copy", got)
	}
	for i := 0; i < len(cs); i += 9 {
		got, err := s.Get(ctx, cs[i].ID)
		if err != nil || got.Rev != 2 || got.Primary() != "other" || got.Deleted != (i%2 == 0) {
			t.Errorf("contact %d after the second batch: %+v, %v", i, got, err)
		}
	}
	recent, _ := s.Recent(ctx, "ann", time.Time{}, 1000)
	deleted := 6 // i = 0, 18, 36, 54, 72, 90
	if len(recent) != 140-deleted {
		t.Errorf("%d contacts listed, want %d", len(recent), 140-deleted)
	}
	if err := s.VerifyRollup(ctx); err != nil {
		t.Error(err)
	}
}

func TestPurge(t *testing.T) {
	s := storetest.MustOpen(t, store.Options{Now: newClock(t0.AddDate(0, 2, 0)).Now})
	old := finished(t, t0, "late", "damaged")
	young := finished(t, t0.AddDate(0, 1, 0), "late")
	bare := finished(t, t0.Add(time.Hour), "late")
	bare.Note, bare.CustomerRef = "", ""
	if err := s.PutMany(ctx, []store.Contact{old, young, bare}); err != nil {
		t.Fatal(err)
	}
	n, err := s.Purge(ctx, t0.AddDate(0, 0, 7))
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("purged %d contacts, want 1", n)
	}
	got, _ := s.Get(ctx, old.ID)
	if got.Note != "" || got.CustomerRef != "" || got.Rev != 2 || got.Primary() != "late" || len(got.Reasons) != 2 {
		t.Errorf("purged contact %+v: want note and ref blank, reasons kept, rev 2", got)
	}
	if got, _ := s.Get(ctx, young.ID); got.Note != "n" || got.Rev != 1 {
		t.Errorf("young contact changed: %+v", got)
	}
	if got, _ := s.Get(ctx, bare.ID); got.Rev != 1 {
		t.Errorf("contact with nothing to purge got rev %d", got.Rev)
	}
	if err := s.VerifyRollup(ctx); err != nil {
		t.Error(err)
	}
	if rows := rollupRows(t, s); rows["2026-05-04 late"][0] != 2 {
		t.Errorf("the rollup lost contacts: %v", rows)
	}
}
