package store_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"whycall/store"
	"whycall/store/storetest"
)

var t0 = time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)

func TestStartDraft(t *testing.T) {
	s := storetest.MustOpen(t, store.Options{Now: newClock(t0).Now})
	c := mustDraft(t, s, "ann")
	if c.Rev != 1 || !c.Draft() || c.Channel != store.ChannelPhone || c.Outcome != store.OutcomeUnknown {
		t.Errorf("new draft %+v: want rev 1, a draft, phone, unknown outcome", c)
	}
	if !c.StartedAt.After(t0) || !c.UpdatedAt.Equal(c.StartedAt) {
		t.Errorf("started %v updated %v, want both at one reading of the test clock", c.StartedAt, c.UpdatedAt)
	}
	if len(c.ID) != 36 || c.ID[14] != '7' {
		t.Errorf("id %q is not a UUIDv7", c.ID)
	}
	got, err := s.Get(t.Context(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !equalContacts(got, c) {
		t.Errorf("Get = %+v\nwant %+v", got, c)
	}
	if _, err := s.StartDraft(t.Context(), store.Draft{Agent: "ann"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("draft without a taxonomy version: %v, want ErrInvalid", err)
	}
	if _, err := s.Get(t.Context(), "no-such-id"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get of an unknown id: %v, want ErrNotFound", err)
	}
}

func equalContacts(a, b store.Contact) bool {
	return a.ID == b.ID && a.Agent == b.Agent && a.Team == b.Team && a.Site == b.Site &&
		a.Channel == b.Channel && a.StartedAt.Equal(b.StartedAt) && a.EndedAt.Equal(b.EndedAt) &&
		slices.Equal(a.Reasons, b.Reasons) && a.Outcome == b.Outcome && a.CustomerRef == b.CustomerRef &&
		a.Note == b.Note && a.TaxonomyVersion == b.TaxonomyVersion && a.Rev == b.Rev &&
		a.UpdatedAt.Equal(b.UpdatedAt) && a.Deleted == b.Deleted
}

func TestEveryChangeBumpsRev(t *testing.T) {
	clk := newClock(t0)
	s := storetest.MustOpen(t, store.Options{Now: clk.Now})
	c := mustDraft(t, s, "ann")
	id := c.ID
	steps := []struct {
		name   string
		change func() (store.Contact, error)
		check  func(store.Contact) bool
	}{
		{"adding a reason", func() (store.Contact, error) { return s.AddReason(ctx, id, "late") },
			func(c store.Contact) bool { return c.Primary() == "late" }},
		{"adding a second reason", func() (store.Contact, error) { return s.AddReason(ctx, id, "damaged") },
			func(c store.Contact) bool { return slices.Equal(c.Reasons, []string{"late", "damaged"}) }},
		{"reordering the reasons", func() (store.Contact, error) { return s.SetReasons(ctx, id, []string{"damaged", "late"}) },
			func(c store.Contact) bool { return c.Primary() == "damaged" }},
		{"removing a reason", func() (store.Contact, error) { return s.RemoveReason(ctx, id, "damaged") },
			func(c store.Contact) bool { return slices.Equal(c.Reasons, []string{"late"}) }},
		{"setting the outcome", func() (store.Contact, error) { return s.SetOutcome(ctx, id, store.OutcomeResolved) },
			func(c store.Contact) bool { return c.Outcome == store.OutcomeResolved }},
		{"setting the channel", func() (store.Contact, error) { return s.SetChannel(ctx, id, store.ChannelChat) },
			func(c store.Contact) bool { return c.Channel == store.ChannelChat }},
		{"setting the customer ref", func() (store.Contact, error) { return s.SetCustomerRef(ctx, id, " AB-12.34 ") },
			func(c store.Contact) bool { return c.CustomerRef == "ab1234" }},
		{"setting the note", func() (store.Contact, error) { return s.SetNote(ctx, id, "wants a call back") },
			func(c store.Contact) bool { return c.Note == "wants a call back" }},
		{"finishing", func() (store.Contact, error) { return s.Finish(ctx, id, time.Time{}) },
			func(c store.Contact) bool { return !c.Draft() }},
		{"reopening", func() (store.Contact, error) { return s.Reopen(ctx, id) },
			func(c store.Contact) bool { return c.Draft() }},
		{"finishing again", func() (store.Contact, error) { return s.Finish(ctx, id, t0.Add(time.Hour)) },
			func(c store.Contact) bool { return c.EndedAt.Equal(t0.Add(time.Hour)) }},
		{"deleting", func() (store.Contact, error) { return s.Delete(ctx, id) },
			func(c store.Contact) bool { return c.Deleted }},
	}
	prev := c
	for _, st := range steps {
		t.Run(st.name+" bumps rev and updated_at", func(t *testing.T) {
			got, err := st.change()
			if err != nil {
				t.Fatal(err)
			}
			if got.Rev != prev.Rev+1 || !got.UpdatedAt.After(prev.UpdatedAt) {
				t.Errorf("rev %d updated %v, want rev %d and later than %v", got.Rev, got.UpdatedAt, prev.Rev+1, prev.UpdatedAt)
			}
			if !st.check(got) {
				t.Errorf("change not applied: %+v", got)
			}
			stored, err := s.Get(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if !equalContacts(stored, got) {
				t.Errorf("stored %+v\nreturned %+v", stored, got)
			}
			if !stored.StartedAt.Equal(c.StartedAt) {
				t.Errorf("start time moved from %v to %v", c.StartedAt, stored.StartedAt)
			}
			prev = got
		})
	}
}

func TestChangeThatChangesNothingKeepsRev(t *testing.T) {
	s := storetest.MustOpen(t, store.Options{Now: newClock(t0).Now})
	c := mustDraft(t, s, "ann")
	c, _ = s.SetNote(ctx, c.ID, "same")
	for name, change := range map[string]func() (store.Contact, error){
		"the same note":               func() (store.Contact, error) { return s.SetNote(ctx, c.ID, "same") },
		"removing a reason not there": func() (store.Contact, error) { return s.RemoveReason(ctx, c.ID, "x") },
		"the same channel":            func() (store.Contact, error) { return s.SetChannel(ctx, c.ID, c.Channel) },
	} {
		t.Run(name+" keeps rev", func(t *testing.T) {
			got, err := change()
			if err != nil {
				t.Fatal(err)
			}
			if got.Rev != c.Rev {
				t.Errorf("rev %d, want %d", got.Rev, c.Rev)
			}
		})
	}
}

func TestInvalidChangesAreRefused(t *testing.T) {
	s := storetest.MustOpen(t)
	c := mustDraft(t, s, "ann")
	for _, r := range []string{"a", "b", "c", "d"} {
		if _, err := s.AddReason(ctx, c.ID, r); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name   string
		change func() (store.Contact, error)
		want   error
	}{
		{"a reason beyond the maximum", func() (store.Contact, error) { return s.AddReason(ctx, c.ID, "e") }, store.ErrInvalid},
		{"a reason twice", func() (store.Contact, error) { return s.AddReason(ctx, c.ID, "a") }, store.ErrInvalid},
		{"a list with a duplicate", func() (store.Contact, error) { return s.SetReasons(ctx, c.ID, []string{"a", "a"}) }, store.ErrInvalid},
		{"an empty reason id", func() (store.Contact, error) { return s.SetReasons(ctx, c.ID, []string{""}) }, store.ErrInvalid},
		{"a reason id with the separator", func() (store.Contact, error) { return s.SetReasons(ctx, c.ID, []string{"a|b"}) }, store.ErrInvalid},
		{"an unknown outcome", func() (store.Contact, error) { return s.SetOutcome(ctx, c.ID, "great") }, store.ErrInvalid},
		{"an unknown channel", func() (store.Contact, error) { return s.SetChannel(ctx, c.ID, "fax") }, store.ErrInvalid},
		{"an end before the start", func() (store.Contact, error) { return s.Finish(ctx, c.ID, c.StartedAt.Add(-time.Minute)) }, store.ErrInvalid},
		{"reopening a draft", func() (store.Contact, error) { return s.Reopen(ctx, c.ID) }, store.ErrDraft},
		{"changing an unknown contact", func() (store.Contact, error) { return s.SetNote(ctx, "nope", "x") }, store.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run("refuses "+tt.name, func(t *testing.T) {
			if _, err := tt.change(); !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
			got, err := s.Get(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Rev != 5 || len(got.Reasons) != 4 {
				t.Errorf("contact changed: rev %d reasons %v", got.Rev, got.Reasons)
			}
		})
	}
}

func TestFinishTwiceIsRefused(t *testing.T) {
	s := storetest.MustOpen(t)
	c := mustDraft(t, s, "ann")
	if _, err := s.Finish(ctx, c.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Finish(ctx, c.ID, time.Time{}); !errors.Is(err, store.ErrFinished) {
		t.Errorf("second Finish: %v, want ErrFinished", err)
	}
}

func TestReopenAfterFinish(t *testing.T) {
	s := storetest.MustOpen(t, store.Options{Now: newClock(t0).Now})
	c := mustDraft(t, s, "ann")
	s.AddReason(ctx, c.ID, "late")
	done, err := s.Finish(ctx, c.ID, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	re, err := s.Reopen(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !re.Draft() || !re.StartedAt.Equal(c.StartedAt) || re.Rev != done.Rev+1 || re.Primary() != "late" {
		t.Errorf("reopened %+v: want a draft with the same start, reasons and rev %d", re, done.Rev+1)
	}
	drafts, err := s.Drafts(ctx, "ann")
	if err != nil || len(drafts) != 1 || drafts[0].ID != c.ID {
		t.Errorf("Drafts = %v, %v; want the reopened contact", drafts, err)
	}
	if err := s.VerifyRollup(ctx); err != nil {
		t.Error(err)
	}
}

func TestTombstones(t *testing.T) {
	s := storetest.MustOpen(t, store.Options{Now: newClock(t0).Now})
	c := mustDraft(t, s, "ann")
	s.AddReason(ctx, c.ID, "late")
	before, _ := s.Finish(ctx, c.ID, time.Time{})
	del, err := s.Delete(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, c.ID)
	if err != nil || !got.Deleted || got.Rev != before.Rev+1 {
		t.Fatalf("Get after Delete = %+v, %v; want the tombstone at rev %d", got, err, before.Rev+1)
	}
	changes := map[string]func() (store.Contact, error){
		"deleting again":  func() (store.Contact, error) { return s.Delete(ctx, c.ID) },
		"adding a reason": func() (store.Contact, error) { return s.AddReason(ctx, c.ID, "x") },
		"setting a note":  func() (store.Contact, error) { return s.SetNote(ctx, c.ID, "x") },
		"reopening":       func() (store.Contact, error) { return s.Reopen(ctx, c.ID) },
	}
	for name, change := range changes {
		t.Run(name+" is refused", func(t *testing.T) {
			if _, err := change(); !errors.Is(err, store.ErrDeleted) {
				t.Errorf("error %v, want ErrDeleted", err)
			}
		})
	}
	recent, _ := s.Recent(ctx, "ann", time.Time{}, 10)
	if len(recent) != 0 {
		t.Errorf("Recent lists the tombstone: %v", recent)
	}
	if err := s.VerifyRollup(ctx); err != nil {
		t.Error(err)
	}
	t.Run("restoring undoes the delete as a new revision", func(t *testing.T) {
		back, err := s.Restore(ctx, before)
		if err != nil {
			t.Fatal(err)
		}
		if back.Deleted || back.Rev != del.Rev+1 || back.Primary() != "late" {
			t.Errorf("restored %+v", back)
		}
		if err := s.VerifyRollup(ctx); err != nil {
			t.Error(err)
		}
	})
}

func TestRestoreWritesEarlierState(t *testing.T) {
	s := storetest.MustOpen(t, store.Options{Now: newClock(t0).Now})
	c := mustDraft(t, s, "ann")
	early, _ := s.AddReason(ctx, c.ID, "late")
	s.SetReasons(ctx, c.ID, []string{"damaged", "late"})
	last, _ := s.SetNote(ctx, c.ID, "oops")
	got, err := s.Restore(ctx, early)
	if err != nil {
		t.Fatal(err)
	}
	if got.Rev != last.Rev+1 || !slices.Equal(got.Reasons, early.Reasons) || got.Note != "" {
		t.Errorf("Restore = %+v, want %v at rev %d", got, early.Reasons, last.Rev+1)
	}
}

func TestCustomerRefAndNotePrivacy(t *testing.T) {
	h, err := store.NewRefHasher([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	hashed := storetest.MustOpen(t, store.Options{Refs: h})
	raw := storetest.MustOpen(t, store.Options{KeepNotesRaw: true})
	const note = "kunde 010170 12345 ringte" // not a valid number: kept
	const fnr = "fnr 13097248022 ringte"
	for _, tt := range []struct {
		name      string
		s         *store.Store
		ref, note string
		wantRef   string
		wantNote  string
	}{
		{"hashes the ref and masks the note by default", hashed, "NO 123-456", fnr, h.Ref("no123456"), "fnr [fnr] ringte"},
		{"keeps an unmasked note when asked", raw, "NO 123-456", fnr, "no123456", fnr},
		{"leaves numbers with wrong check digits", hashed, "", note, "", note},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := mustDraft(t, tt.s, "ann")
			c, err := tt.s.SetCustomerRef(ctx, c.ID, tt.ref)
			if err != nil {
				t.Fatal(err)
			}
			c, err = tt.s.SetNote(ctx, c.ID, tt.note)
			if err != nil {
				t.Fatal(err)
			}
			if c.CustomerRef != tt.wantRef || c.Note != tt.wantNote {
				t.Errorf("stored ref %q note %q, want %q and %q", c.CustomerRef, c.Note, tt.wantRef, tt.wantNote)
			}
		})
	}
}

func TestRecentAndDrafts(t *testing.T) {
	s := storetest.MustOpen(t, store.Options{Now: newClock(t0).Now})
	day := time.Date(2026, 5, 4, 0, 0, 0, 0, oslo(t))
	var finished []string
	for i := range 6 {
		c, err := s.StartDraft(ctx, store.Draft{Agent: "ann", TaxonomyVersion: "v", StartedAt: day.Add(time.Duration(i-2) * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if i%3 == 2 {
			continue // stays a draft
		}
		if _, err := s.Finish(ctx, c.ID, c.StartedAt.Add(5*time.Minute)); err != nil {
			t.Fatal(err)
		}
		finished = append(finished, c.ID)
	}
	other := mustDraft(t, s, "bob")
	s.Finish(ctx, other.ID, time.Time{})
	// Started at -2h, -1h, 1h, 2h: the last three are today, newest first.
	recent, err := s.Recent(ctx, "ann", day, 2)
	if err != nil {
		t.Fatal(err)
	}
	if ids := contactIDs(recent); !slices.Equal(ids, []string{finished[3], finished[2]}) {
		t.Errorf("Recent = %v, want %v", ids, []string{finished[3], finished[2]})
	}
	all, _ := s.Recent(ctx, "ann", time.Time{}, 100)
	if len(all) != 4 {
		t.Errorf("Recent since ever = %d contacts, want 4", len(all))
	}
	drafts, err := s.Drafts(ctx, "ann")
	if err != nil {
		t.Fatal(err)
	}
	if len(drafts) != 2 || !drafts[0].StartedAt.Before(drafts[1].StartedAt) {
		t.Errorf("Drafts = %v, want 2, oldest first", drafts)
	}
}

func contactIDs(cs []store.Contact) []string {
	var ids []string
	for _, c := range cs {
		ids = append(ids, c.ID)
	}
	return ids
}
