package store_test

import (
	"testing"
	"time"

	"whycall/store"
	"whycall/store/storetest"
)

// captured starts and finishes a contact with one reason.
func captured(tb testing.TB, s *store.Store, agent string) store.Contact {
	tb.Helper()
	c := mustDraft(tb, s, agent)
	if _, err := s.AddReason(ctx, c.ID, "late_delivery"); err != nil {
		tb.Fatal(err)
	}
	c, err := s.Finish(ctx, c.ID, time.Time{})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// outbox opens an Outbox on s, closed when the test ends.
func outbox(tb testing.TB, s *store.Store) *store.Outbox {
	tb.Helper()
	o, err := s.NewOutbox()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := o.Close(); err != nil {
			tb.Error(err)
		}
	})
	return o
}

func pendingIDs(tb testing.TB, s *store.Outbox) map[string]int64 {
	tb.Helper()
	cs, err := s.Pending(ctx, "", 1000)
	if err != nil {
		tb.Fatal(err)
	}
	n, err := s.PendingCount(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	if n != len(cs) {
		tb.Fatalf("PendingCount %d, Pending returned %d", n, len(cs))
	}
	revs := make(map[string]int64, len(cs))
	for _, c := range cs {
		revs[c.ID] = c.Rev
	}
	return revs
}

func markSynced(tb testing.TB, s *store.Outbox, cs ...store.Contact) int {
	tb.Helper()
	var revs []store.Revision
	for _, c := range cs {
		revs = append(revs, store.Revision{ID: c.ID, Rev: c.Rev})
	}
	n, err := s.MarkSynced(ctx, revs)
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

func TestPendingHoldsWhatATargetHasNotAcknowledged(t *testing.T) {
	s := storetest.MustOpen(t, store.Options{Now: newClock(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)).Now})
	o := outbox(t, s)

	draft := mustDraft(t, s, "kari")
	done := captured(t, s, "kari")
	sentThenDeleted := captured(t, s, "kari")
	neverSentDeleted := captured(t, s, "kari")
	abandoned := mustDraft(t, s, "kari")
	if _, err := s.Delete(ctx, neverSentDeleted.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Delete(ctx, abandoned.ID); err != nil {
		t.Fatal(err)
	}

	got := pendingIDs(t, o)
	if len(got) != 2 || got[done.ID] != done.Rev || got[sentThenDeleted.ID] != sentThenDeleted.Rev {
		t.Fatalf("pending %v: want exactly the two finished contacts", got)
	}
	if _, ok := got[draft.ID]; ok {
		t.Fatal("a draft is pending")
	}

	if n := markSynced(t, o, done, sentThenDeleted); n != 2 {
		t.Fatalf("MarkSynced changed %d contacts, want 2", n)
	}
	if got := pendingIDs(t, o); len(got) != 0 {
		t.Fatalf("pending after the ack: %v", got)
	}

	tomb, err := s.Delete(ctx, sentThenDeleted.ID)
	if err != nil {
		t.Fatal(err)
	}
	edited, err := s.SetOutcome(ctx, done.ID, store.OutcomeEscalated)
	if err != nil {
		t.Fatal(err)
	}
	got = pendingIDs(t, o)
	if len(got) != 2 || got[tomb.ID] != tomb.Rev || got[edited.ID] != edited.Rev {
		t.Fatalf("pending %v: want the edit and the tombstone of a sent contact", got)
	}
	reopened, err := s.Reopen(ctx, edited.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := pendingIDs(t, o)[reopened.ID]; ok {
		t.Fatal("a sent contact reopened as a draft is pending; the collector keeps its finished state until it is finished again")
	}
}

func TestMarkSyncedOnlyRaisesToTheAcknowledgedRevision(t *testing.T) {
	s := storetest.MustOpen(t)
	o := outbox(t, s)
	c := captured(t, s, "kari")
	sent := c
	newer, err := s.SetNote(ctx, c.ID, "edited while the batch was on its way")
	if err != nil {
		t.Fatal(err)
	}
	markSynced(t, o, sent)
	if got := pendingIDs(t, o); got[c.ID] != newer.Rev {
		t.Fatalf("pending %v: the edit made after the batch was cut must stay pending", got)
	}
	markSynced(t, o, newer)
	if got := pendingIDs(t, o); len(got) != 0 {
		t.Fatalf("pending %v after the newer revision was acknowledged", got)
	}
	if n := markSynced(t, o, sent); n != 0 {
		t.Fatalf("an older acknowledgement changed %d contacts", n)
	}
	if _, err := s.SetOutcome(ctx, c.ID, store.OutcomeResolved); err != nil {
		t.Fatal(err)
	}
	if got := pendingIDs(t, o); len(got) != 1 {
		t.Fatalf("a late, older acknowledgement hid a new edit: pending %v", got)
	}
	if n := markSynced(t, o, store.Contact{ID: c.ID, Rev: 99}); n != 0 {
		t.Fatalf("an acknowledgement above the contact's own rev changed %d contacts", n)
	}
	if _, err := o.MarkSynced(ctx, []store.Revision{{ID: c.ID, Rev: 0}}); err == nil {
		t.Fatal("rev 0 was accepted")
	}
}

func TestPendingPagesInIDOrder(t *testing.T) {
	s := storetest.MustOpen(t)
	o := outbox(t, s)
	var want []string
	for i := 0; i < 7; i++ {
		want = append(want, captured(t, s, "kari").ID)
	}
	var got []string
	after := ""
	for {
		page, err := o.Pending(ctx, after, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, c := range page {
			got = append(got, c.ID)
		}
		after = page[len(page)-1].ID
	}
	if len(got) != len(want) {
		t.Fatalf("paged %d contacts, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("page order %v, want %v (UUIDv7 ids in creation order)", got, want)
		}
	}
}

func TestTaxonomySourceReturnsTheYAMLWithItsHeader(t *testing.T) {
	s := storetest.MustOpen(t)
	if err := s.SaveTaxonomy(ctx, "v1hash", "default", 4, []byte("schema_version: 1\n")); err != nil {
		t.Fatal(err)
	}
	o := outbox(t, s)
	v, y, err := o.TaxonomySource(ctx, "v1hash")
	if err != nil {
		t.Fatal(err)
	}
	if v.TaxonomyID != "default" || v.Revision != 4 || string(y) != "schema_version: 1\n" {
		t.Fatalf("got %+v %q", v, y)
	}
	if _, _, err := o.TaxonomySource(ctx, "nope"); !errorsIs(err, store.ErrUnknownTaxonomy) {
		t.Fatalf("unknown version: %v", err)
	}
}
