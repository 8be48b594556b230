package tui

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"whycall/store"
	"whycall/taxonomy/taxtest"
)

func TestCaptureFlow(t *testing.T) {
	t.Run("a digit, a letter, an outcome and enter save a tagged contact", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("3")
		h.now = h.now.Add(40 * time.Second)
		h.press("f", "R")
		h.now = h.now.Add(20 * time.Second)
		h.press("enter")

		c := only(t, s)
		if !slices.Equal(c.Reasons, []string{"delivery_late"}) || c.Outcome != store.OutcomeResolved {
			t.Fatalf("stored %v / %s, want [delivery_late] / resolved", c.Reasons, c.Outcome)
		}
		if !c.StartedAt.Equal(t0) {
			t.Errorf("started %v, want the first keystroke %v", c.StartedAt, t0)
		}
		if c.Draft() || c.Duration() != time.Minute {
			t.Errorf("handle time %v (draft %v), want 1m0s finished", c.Duration(), c.Draft())
		}
		if got := h.m.Contact(); len(got.Reasons) != 0 || got.ID != "" {
			t.Errorf("the next contact is not ready: %+v", got)
		}
		if !strings.Contains(h.status(), "✓ Saved 14:05 Late delivery") {
			t.Errorf("status %q does not confirm the save", h.status())
		}
		if h.m.PendingWrites() != 0 {
			t.Errorf("%d writes still pending", h.m.PendingWrites())
		}
	})

	t.Run("the next contact starts at its own first keystroke", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("3", "f", "enter")
		h.now = h.now.Add(5 * time.Minute)
		h.press("6", "f", "enter")
		cs := contacts(t, s)
		if len(cs) != 2 || !cs[1].StartedAt.Equal(t0.Add(5*time.Minute)) {
			t.Fatalf("second contact started %v, want %v", cs[1].StartedAt, t0.Add(5*time.Minute))
		}
	})

	t.Run("N starts the timer when the call is picked up", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("N")
		c := only(t, s)
		if !c.Draft() || !c.StartedAt.Equal(t0) {
			t.Fatalf("N did not store a draft started now: %+v", c)
		}
		h.now = h.now.Add(90 * time.Second)
		h.send(tickMsg{})
		if !strings.Contains(h.screen(), "● 1:30 phone") {
			t.Errorf("header does not show the running timer:\n%s", h.screen())
		}
		h.press("3", "f", "enter")
		if c := only(t, s); c.Duration() != 90*time.Second {
			t.Errorf("handle time %v, want 1m30s from N", c.Duration())
		}
	})

	t.Run("esc goes back one level and a contact not begun stops its timer", func(t *testing.T) {
		h := newHarness(t, newStore(t))
		h.press("3")
		if h.m.menu.level < 0 || h.m.Contact().ID != "" {
			t.Fatalf("a digit should open the category without writing")
		}
		h.press("esc")
		if h.m.menu.level >= 0 || !h.m.card.slot.started.IsZero() {
			t.Errorf("esc should return to the categories and leave the contact unstarted")
		}
	})

	t.Run("letters outside a category and unknown digits only warn", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("f")
		if !strings.Contains(h.status(), "Open a category first") {
			t.Errorf("status %q", h.status())
		}
		h.now = h.now.Add(2 * typingPause) // the agent reads the warning
		h.press("3", "q")
		if !strings.Contains(h.status(), "No reason “q”") {
			t.Errorf("status %q", h.status())
		}
		if len(contacts(t, s)) != 0 {
			t.Error("a stray key wrote a contact")
		}
	})

	t.Run("a retired reason is not offered", func(t *testing.T) {
		h := newHarness(t, newStore(t), func(o *Options) { o.Taxonomy = smallTax() })
		h.press("3", "o")
		if len(h.m.Contact().Reasons) != 0 || strings.Contains(h.screen(), "Old reason") {
			t.Errorf("retired reason offered: %v", h.m.Contact().Reasons)
		}
	})

	t.Run("arrows and space pick the highlighted reason", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("down", "down", "space") // third category
		h.press("down", "space")         // its second reason
		want := h.m.sh.idx.offered[2][1].ID
		if got := h.m.Contact().Reasons; !slices.Equal(got, []string{want}) {
			t.Fatalf("picked %v, want [%s]", got, want)
		}
	})

	t.Run("reasons from two categories keep their order and another can be made primary", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("3", "f", "6", "f")
		if got := only(t, s).Reasons; !slices.Equal(got, []string{"delivery_late", "invoice_wrong"}) {
			t.Fatalf("stored %v", got)
		}
		h.press("tab")
		if h.m.Focus() != FocusReasons {
			t.Fatalf("tab focused %v, want reasons", h.m.Focus())
		}
		h.press("down", "space")
		if got := only(t, s).Reasons; !slices.Equal(got, []string{"invoice_wrong", "delivery_late"}) {
			t.Fatalf("after make-primary stored %v", got)
		}
		h.press("down", "delete")
		if got := only(t, s).Reasons; !slices.Equal(got, []string{"invoice_wrong"}) {
			t.Fatalf("after remove stored %v", got)
		}
		h.press("esc", "3", "f")
		if got := h.m.Contact().Reasons; !slices.Equal(got, []string{"invoice_wrong", "delivery_late"}) {
			t.Fatalf("hotkeys after leaving the list: %v", got)
		}
	})

	t.Run("a reason picked twice is not added twice", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("3", "f", "3", "f")
		if got := only(t, s).Reasons; len(got) != 1 {
			t.Fatalf("stored %v", got)
		}
		if !strings.Contains(h.status(), "already tagged") {
			t.Errorf("status %q", h.status())
		}
	})

	t.Run("outcome keys set, change and clear the outcome and C cycles the channel", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		steps := []struct {
			key  string
			want store.Outcome
		}{
			{"U", store.OutcomeUnresolved}, {"F", store.OutcomeFollowUp}, {"E", store.OutcomeEscalated},
			{"R", store.OutcomeResolved}, {"R", store.OutcomeUnknown},
		}
		for _, st := range steps {
			h.press(st.key)
			if got := only(t, s).Outcome; got != st.want {
				t.Fatalf("after %s outcome %s, want %s", st.key, got, st.want)
			}
		}
		h.press("C")
		if got := only(t, s).Channel; got != store.ChannelChat {
			t.Errorf("channel %s, want chat", got)
		}
	})

	t.Run("enter does not save a contact without a reason", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("enter")
		if !strings.Contains(h.status(), "Nothing to save") {
			t.Errorf("status %q", h.status())
		}
		h.press("R", "enter")
		if c := only(t, s); !c.Draft() {
			t.Error("a contact without a reason was saved")
		}
		if !strings.Contains(h.status(), "Tag a reason before saving") {
			t.Errorf("status %q", h.status())
		}
	})
}

func TestTextFields(t *testing.T) {
	t.Run("a note is written when the agent leaves the field and shows masked as stored", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("3", "f", "tab", "tab", "tab")
		if h.m.Focus() != FocusNote {
			t.Fatalf("focus %v, want note", h.m.Focus())
		}
		h.typeText("RFC 3339 hjalp ikke")
		if c := only(t, s); c.Note != "" {
			t.Fatalf("note written before the pause: %q", c.Note)
		}
		h.press("enter")
		if c := only(t, s); c.Note != "RFC 3339 hjalp ikke" {
			t.Fatalf("note %q", c.Note)
		}
		if h.m.Focus() != FocusMenu {
			t.Errorf("enter in the note left focus on %v", h.m.Focus())
		}
	})

	t.Run("typing pauses write the note without leaving the field", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("3", "f", "tab", "tab", "tab")
		h.typeText("ringer igjen")
		h.fire(func(m tea.Msg) bool { _, ok := m.(fieldIdleMsg); return ok })
		if c := only(t, s); c.Note != "ringer igjen" {
			t.Fatalf("note %q after the pause", c.Note)
		}
		if h.m.Focus() != FocusNote {
			t.Errorf("the pause moved the focus to %v", h.m.Focus())
		}
	})

	t.Run("hotkeys type text while a field has focus", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("3", "f", "tab", "tab", "tab")
		h.typeText("R3fD?")
		h.press("enter")
		c := only(t, s)
		if c.Note != "R3fD?" || c.Outcome != store.OutcomeUnknown || len(c.Reasons) != 1 || h.m.Screen() != ScreenCapture {
			t.Fatalf("keys in the note field acted as hotkeys: %+v", c)
		}
	})

	t.Run("the customer ref is stored hashed and shown as typed, never as the hash", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("3", "f", "tab", "tab")
		if h.m.Focus() != FocusRef {
			t.Fatalf("focus %v, want ref", h.m.Focus())
		}
		h.typeText("Ordre 4711-22")
		h.press("esc")
		c := only(t, s)
		if c.CustomerRef == "" || strings.Contains(c.CustomerRef, "4711") {
			t.Fatalf("ref stored as %q, want a hash", c.CustomerRef)
		}
		scr := h.screen()
		if !strings.Contains(scr, "Ordre 4711-22 ✓") || strings.Contains(scr, c.CustomerRef[:8]) {
			t.Errorf("card should show the typed ref, not the hash:\n%s", scr)
		}
		h.press("enter", "L", "enter")
		if scr := h.screen(); !strings.Contains(scr, "ref ✓") || strings.Contains(scr, c.CustomerRef[:8]) {
			t.Errorf("an edited contact should show only “ref ✓”:\n%s", scr)
		}
	})
}

func TestCatchAllNeedsANote(t *testing.T) {
	t.Run("picking a catch-all focuses the note and asks for it", func(t *testing.T) {
		h := newHarness(t, newStore(t))
		h.press("3", "x")
		if h.m.Focus() != FocusNote {
			t.Fatalf("a catch-all should focus the note, focus is %v", h.m.Focus())
		}
		if !strings.Contains(h.status(), "“Other delivery issue” needs a note: type it, then enter") {
			t.Errorf("status %q does not ask for a note", h.status())
		}
	})

	t.Run("enter on the empty note keeps the focus, so what is typed next goes into it", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("5", "x", "enter")
		if h.m.Focus() != FocusNote || !strings.Contains(h.status(), "needs a note: type it, then enter (esc leaves)") {
			t.Fatalf("enter on an empty required note: focus %v, status %q", h.m.Focus(), h.status())
		}
		h.typeText("kunde vil bytte til mindre modell")
		h.press("enter")
		c := only(t, s)
		if len(c.Reasons) != 1 || c.Note != "kunde vil bytte til mindre modell" || h.m.menu.level >= 0 {
			t.Fatalf("the note became hotkeys: reasons %v, note %q, menu level %d", c.Reasons, c.Note, h.m.menu.level)
		}
	})

	t.Run("esc leaves the empty note and saving asks for it again", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("3", "x", "esc")
		if h.m.Focus() != FocusMenu || !strings.Contains(h.status(), "still needed") {
			t.Fatalf("esc: focus %v, status %q", h.m.Focus(), h.status())
		}
		h.press("enter")
		if c := only(t, s); !c.Draft() {
			t.Fatal("a catch-all without a note was saved")
		}
		if h.m.Focus() != FocusNote || !strings.Contains(h.status(), "“Other delivery issue” needs a note before saving") {
			t.Errorf("save without a note: focus %v, status %q", h.m.Focus(), h.status())
		}
	})

	t.Run("once the note is typed the status moves on and enter saves", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("3", "x")
		h.typeText("kunden ville bytte adresse")
		h.press("enter")
		if st := h.status(); strings.Contains(st, "needed") || !strings.Contains(st, "Note added — enter saves the contact") {
			t.Errorf("status after the note: %q", st)
		}
		if strings.Contains(h.screen(), "needed (tab") {
			t.Errorf("the card still asks for the note:\n%s", h.screen())
		}
		h.press("enter")
		c := only(t, s)
		if c.Draft() || c.Note != "kunden ville bytte adresse" {
			t.Fatalf("not saved with its note: %+v", c)
		}
	})
}

func TestUndo(t *testing.T) {
	t.Run("ctrl+z takes back the last changes one at a time", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("3", "f", "6", "f", "R")
		h.press("ctrl+z")
		if c := only(t, s); c.Outcome != store.OutcomeUnknown || len(c.Reasons) != 2 {
			t.Fatalf("first undo: %+v", c)
		}
		h.press("ctrl+z")
		if c := only(t, s); !slices.Equal(c.Reasons, []string{"delivery_late"}) {
			t.Fatalf("second undo: %v", c.Reasons)
		}
		h.press("ctrl+z")
		if c := only(t, s); len(c.Reasons) != 0 {
			t.Fatalf("third undo: %v", c.Reasons)
		}
		h.press("ctrl+z")
		if !strings.Contains(h.status(), "Nothing to undo") {
			t.Errorf("status %q", h.status())
		}
		if c := only(t, s); c.Rev < 7 {
			t.Errorf("undo must write new revisions, rev is %d", c.Rev)
		}
	})

	t.Run("undo restores a note and a ref as they were stored", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("3", "f", "tab", "tab")
		h.typeText("12345")
		h.press("tab")
		h.typeText("first")
		h.press("enter")
		before := only(t, s)
		h.press("tab", "tab", "tab")
		h.typeText(" and second")
		h.press("enter")
		h.press("ctrl+z")
		after := only(t, s)
		if after.Note != before.Note || after.CustomerRef != before.CustomerRef {
			t.Fatalf("undo of the note: %q/%q, want %q/%q", after.Note, after.CustomerRef, before.Note, before.CustomerRef)
		}
		h.press("ctrl+z")
		if c := only(t, s); c.Note != "" || c.CustomerRef != before.CustomerRef {
			t.Fatalf("second undo should clear only the note: %+v", c)
		}
		h.press("ctrl+z")
		if c := only(t, s); c.CustomerRef != "" {
			t.Fatalf("third undo should clear the ref: %+v", c)
		}
	})
}

func TestRecentList(t *testing.T) {
	t.Run("a saved contact is edited in place and keeps its times", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("3", "f", "R")
		h.now = h.now.Add(2 * time.Minute)
		h.press("enter")
		saved := only(t, s)
		h.now = h.now.Add(10 * time.Minute)
		h.press("1", "r") // the next call is in progress
		h.press("L")
		if h.m.Screen() != ScreenRecent || !strings.Contains(h.screen(), "Late delivery") {
			t.Fatalf("today's list:\n%s", h.screen())
		}
		h.press("down") // the draft is not listed; the saved one is the only row
		h.press("enter")
		if h.m.Screen() != ScreenCapture || !h.m.card.slot.editing {
			t.Fatalf("enter did not open the contact for editing")
		}
		h.press("U", "enter")
		cs := contacts(t, s)
		if len(cs) != 2 {
			t.Fatalf("want the edited contact and the draft, got %d", len(cs))
		}
		edited := cs[0]
		if edited.ID != saved.ID || edited.Outcome != store.OutcomeUnresolved || edited.Rev <= saved.Rev {
			t.Fatalf("edit not stored in place: %+v (was rev %d)", edited, saved.Rev)
		}
		if !edited.EndedAt.Equal(saved.EndedAt) || !edited.StartedAt.Equal(saved.StartedAt) {
			t.Errorf("edit moved the times: %v–%v, was %v–%v", edited.StartedAt, edited.EndedAt, saved.StartedAt, saved.EndedAt)
		}
		if got := h.m.Contact(); got.ID != cs[1].ID || !slices.Equal(got.Reasons, []string{"purchase_advice"}) {
			t.Errorf("the call in progress did not come back after the edit: %+v", got)
		}
		if !strings.Contains(h.status(), "Saved the edit") {
			t.Errorf("status %q", h.status())
		}
	})

	t.Run("esc leaves an edit without changes untouched", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("3", "f", "enter", "L", "enter", "esc")
		if c := only(t, s); c.Rev != 3 {
			t.Errorf("viewing an old contact wrote to it: rev %d", c.Rev)
		}
		if h.m.card.slot.editing {
			t.Error("still editing after esc")
		}
	})

	t.Run("delete asks first and n keeps the contact", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("3", "f", "enter", "L", "D")
		if !strings.Contains(h.status(), "Delete the contact") {
			t.Fatalf("no question asked: %q", h.status())
		}
		h.press("n")
		if c := only(t, s); c.Deleted {
			t.Fatal("n deleted the contact")
		}
		h.press("D")
		h.answer("y")
		if c := only(t, s); !c.Deleted {
			t.Fatal("y did not delete the contact")
		}
		if !strings.Contains(h.status(), "✓ Deleted") || strings.Contains(h.screen(), "Late delivery +") {
			t.Errorf("status %q", h.status())
		}
		if len(h.m.recent.items) != 0 {
			t.Errorf("the deleted contact is still listed")
		}
	})

	t.Run("ctrl+z in the list brings back the contact deleted last", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("3", "f", "R", "enter")
		saved := only(t, s)
		h.press("L", "D")
		h.answer("y")
		if !strings.Contains(h.status(), "ctrl+z brings it back") {
			t.Errorf("the delete does not say it can be undone: %q", h.status())
		}
		h.press("ctrl+z")
		c := only(t, s)
		if c.Deleted || c.Rev <= saved.Rev || c.Outcome != store.OutcomeResolved || !c.EndedAt.Equal(saved.EndedAt) {
			t.Fatalf("not brought back as it was: %+v (was %+v)", c, saved)
		}
		if len(h.m.recent.items) != 1 || !strings.Contains(h.status(), "✓ Brought back 14:05 Late delivery") {
			t.Errorf("list %d items, status %q", len(h.m.recent.items), h.status())
		}
		h.press("ctrl+z")
		if c := only(t, s); c.Deleted || !strings.Contains(h.status(), "Nothing to undo") {
			t.Errorf("a second ctrl+z: deleted %v, status %q", c.Deleted, h.status())
		}
	})

	t.Run("ctrl+z brings back a contact deleted while its delete is still failing", func(t *testing.T) {
		fs := &flakyStore{Store: newStore(t)}
		h := newHarness(t, fs)
		h.press("3", "f", "enter", "L")
		fs.failNext(1)
		h.press("D")
		h.answer("y")
		h.press("ctrl+z")
		if !strings.Contains(h.status(), "NOT SAVED (delete contact)") {
			t.Fatalf("the failing delete is not shown: %q", h.status())
		}
		h.fire(isRetry)
		if c := only(t, fs.Store); c.Deleted {
			t.Fatalf("the undo was lost behind the failing delete: %+v", c)
		}
		if got := fs.calls[len(fs.calls)-3:]; !slices.Equal(got, []string{"Delete", "Delete", "Restore"}) {
			t.Errorf("writes %v, want the delete retried, then the restore", got)
		}
	})

	t.Run("a delete of an edited contact is undone from the capture screen", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("3", "f", "enter", "L", "enter", "D")
		h.answer("y")
		if c := only(t, s); !c.Deleted {
			t.Fatal("not deleted")
		}
		h.press("ctrl+z")
		if c := only(t, s); c.Deleted || c.Draft() {
			t.Fatalf("not brought back as saved: %+v", c)
		}
	})

	t.Run("a change after the delete makes ctrl+z undo that change instead", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("3", "f", "enter", "L", "D")
		h.answer("y")
		h.press("esc", "6", "f", "ctrl+z")
		cs := contacts(t, s)
		if len(cs) != 2 || !cs[0].Deleted || len(cs[1].Reasons) != 0 {
			t.Fatalf("ctrl+z undid the wrong thing: %+v", cs)
		}
	})

	t.Run("a y typed on at once does not answer the question", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("3", "f")
		h.typeText("Dyrt")
		if c := only(t, s); c.Deleted || h.m.Contact().ID != c.ID {
			t.Fatalf("typing “Dyrt” discarded the contact: %+v", c)
		}
		if h.m.confirm == nil {
			t.Fatal("the question went away")
		}
		h.answer("n")
		if c := only(t, s); c.Deleted || h.m.confirm != nil {
			t.Fatalf("n: deleted %v, question %v", c.Deleted, h.m.confirm)
		}
	})

	t.Run("D discards the contact in progress after a confirm", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("3", "f", "D")
		h.answer("y")
		if c := only(t, s); !c.Deleted {
			t.Fatal("discard did not tombstone the draft")
		}
		if h.m.Contact().ID != "" {
			t.Error("the card still shows the discarded contact")
		}
	})
}

func TestNeverLoseATag(t *testing.T) {
	t.Run("a failed write is shown, retried and then confirmed", func(t *testing.T) {
		fs := &flakyStore{Store: newStore(t)}
		h := newHarness(t, fs)
		fs.failNext(2)
		h.press("3", "f")
		if !strings.Contains(h.status(), "NOT SAVED") || !strings.Contains(h.status(), "disk I/O error") {
			t.Fatalf("failure not shown: %q", h.status())
		}
		if !strings.Contains(h.screen(), "⚠ NOT SAVED") {
			t.Errorf("card does not warn:\n%s", h.screen())
		}
		if got := h.m.Contact().Reasons; !slices.Equal(got, []string{"delivery_late"}) {
			t.Errorf("the tag vanished from the screen: %v", got)
		}
		h.fire(isRetry)
		if !strings.Contains(h.status(), "attempt 3") {
			t.Fatalf("second failure not shown: %q", h.status())
		}
		h.fire(isRetry)
		if strings.Contains(h.status(), "NOT SAVED") || !strings.Contains(h.status(), "nothing was lost") {
			t.Fatalf("recovery not shown: %q", h.status())
		}
		if c := only(t, fs.Store); !slices.Equal(c.Reasons, []string{"delivery_late"}) {
			t.Fatalf("stored %v", c.Reasons)
		}
	})

	t.Run("the agent is not told saved while the save is failing", func(t *testing.T) {
		fs := &flakyStore{Store: newStore(t)}
		h := newHarness(t, fs)
		h.press("3", "f")
		fs.failNext(1)
		h.press("enter")
		if strings.Contains(h.status(), "✓") || !strings.Contains(h.status(), "NOT SAVED (save contact)") {
			t.Fatalf("status %q while Finish fails", h.status())
		}
		if c := only(t, fs.Store); !c.Draft() {
			t.Fatal("finished although Finish failed")
		}
		h.fire(isRetry)
		if c := only(t, fs.Store); c.Draft() {
			t.Fatal("the retry did not finish the contact")
		}
		if !strings.Contains(h.status(), "✓ Saved") {
			t.Errorf("status %q after the retry", h.status())
		}
	})

	t.Run("changes made while a write fails are kept in order", func(t *testing.T) {
		fs := &flakyStore{Store: newStore(t)}
		h := newHarness(t, fs)
		fs.failNext(1)
		h.press("3", "f", "6", "f", "R")
		if h.m.PendingWrites() != 4 {
			t.Fatalf("%d writes queued, want 4", h.m.PendingWrites())
		}
		h.fire(isRetry)
		c := only(t, fs.Store)
		if !slices.Equal(c.Reasons, []string{"delivery_late", "invoice_wrong"}) || c.Outcome != store.OutcomeResolved {
			t.Fatalf("stored %+v", c)
		}
	})

	t.Run("an unfinished contact is resumed at start with its start time", func(t *testing.T) {
		s := newStore(t)
		ctx := context.Background()
		started := t0.Add(-3 * time.Minute)
		d, err := s.StartDraft(ctx, store.Draft{Agent: "kari", TaxonomyVersion: "v", StartedAt: started})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddReason(ctx, d.ID, "delivery_late"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetNote(ctx, d.ID, "kunden venter"); err != nil {
			t.Fatal(err)
		}
		h := newHarness(t, s)
		c := h.m.Contact()
		if c.ID != d.ID || !slices.Equal(c.Reasons, []string{"delivery_late"}) || c.Note != "kunden venter" {
			t.Fatalf("not resumed: %+v", c)
		}
		if !h.m.card.slot.started.Equal(started) || !strings.Contains(h.screen(), "● 3:00") {
			t.Errorf("timer does not run from the original start:\n%s", h.screen())
		}
		if !strings.Contains(h.status(), "Resumed") {
			t.Errorf("status %q", h.status())
		}
		h.press("enter")
		if c := only(t, s); c.Draft() || c.Duration() != 3*time.Minute {
			t.Fatalf("resumed contact not saved with its handle time: %+v", c)
		}
	})

	t.Run("other agents' drafts are not resumed", func(t *testing.T) {
		s := newStore(t)
		if _, err := s.StartDraft(context.Background(), store.Draft{Agent: "ola", TaxonomyVersion: "v"}); err != nil {
			t.Fatal(err)
		}
		h := newHarness(t, s)
		if h.m.Contact().ID != "" {
			t.Fatal("resumed another agent's draft")
		}
	})

	t.Run("keys typed before the unfinished contact is read are replayed onto it", func(t *testing.T) {
		s := newStore(t)
		d, err := s.StartDraft(context.Background(), store.Draft{Agent: "kari", TaxonomyVersion: "v", StartedAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		h := &harness{t: t, now: t0, store: s}
		m, err := New(Options{Store: s, Taxonomy: testTax(t), Agent: "kari", Location: oslo, Now: func() time.Time { return h.now }})
		if err != nil {
			t.Fatal(err)
		}
		m.setAfter(h.after)
		h.m = m
		h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
		h.press("3", "f") // before Init's commands ran
		h.run(h.m.Init())
		c := only(t, s)
		if c.ID != d.ID || !slices.Equal(c.Reasons, []string{"delivery_late"}) {
			t.Fatalf("early keys lost or applied elsewhere: %+v", c)
		}
	})

	t.Run("ctrl+c quits and keeps the unfinished contact", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("3", "f", "ctrl+c")
		if !h.quit {
			t.Fatal("ctrl+c did not quit")
		}
		if c := only(t, s); !c.Draft() || c.Deleted || len(c.Reasons) != 1 {
			t.Fatalf("draft not kept: %+v", c)
		}
	})

	t.Run("ctrl+c writes the note being typed before quitting", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("3", "f", "tab", "tab", "tab")
		h.typeText("halvferdig")
		h.press("ctrl+c")
		if !h.quit || only(t, s).Note != "halvferdig" {
			t.Fatalf("quit %v, note %q", h.quit, only(t, s).Note)
		}
	})

	t.Run("quitting waits while writes fail and a second ctrl+c leaves", func(t *testing.T) {
		fs := &flakyStore{Store: newStore(t)}
		h := newHarness(t, fs)
		fs.failNext(1)
		h.press("3", "f", "ctrl+c")
		if h.quit || !strings.Contains(h.screen(), "NOT SAVED") {
			t.Fatalf("quit with a failing write (quit=%v)", h.quit)
		}
		h.fire(isRetry)
		if !h.quit {
			t.Fatal("did not quit once the writes were stored")
		}
		if c := only(t, fs.Store); len(c.Reasons) != 1 {
			t.Fatalf("stored %+v", c)
		}
	})
}

func TestHelpAndSizes(t *testing.T) {
	for _, sc := range []struct {
		screen Screen
		keys   []string
	}{{ScreenCapture, nil}, {ScreenRecent, []string{"L"}}, {ScreenSummary, []string{"S"}}} {
		t.Run("? on the "+sc.screen.String()+" screen shows every key of that screen and esc closes it", func(t *testing.T) {
			h := newHarness(t, newStore(t), withSummary(handSource("en")))
			h.press(sc.keys...)
			h.press("?")
			if h.m.Screen() != ScreenHelp {
				t.Fatalf("screen %v", h.m.Screen())
			}
			scr := h.screen()
			for _, g := range h.m.sh.keys.helpGroups(sc.screen) {
				for _, b := range g.bindings {
					if !strings.Contains(scr, b.Help().Key+" ") || !strings.Contains(scr, b.Help().Desc) {
						t.Errorf("help lacks %q %q", b.Help().Key, b.Help().Desc)
					}
				}
			}
			h.press("esc")
			if h.m.Screen() != sc.screen {
				t.Errorf("esc left screen %v", h.m.Screen())
			}
		})
	}

	t.Run("a window too small asks to be larger and ignores hotkeys", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.send(tea.WindowSizeMsg{Width: 60, Height: 15})
		h.press("3", "f")
		if len(contacts(t, s)) != 0 {
			t.Error("hotkeys acted on a screen the agent cannot see")
		}
		if !strings.Contains(strings.Join(strings.Fields(h.screen()), " "), "Make the window larger") {
			t.Errorf("no request to enlarge:\n%s", h.screen())
		}
		h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
		h.press("3", "f")
		if len(contacts(t, s)) != 1 {
			t.Error("keys do not work again after enlarging")
		}
	})

	t.Run("every frame has exactly the window's lines and no line is wider", func(t *testing.T) {
		h := newHarness(t, newStore(t))
		h.checkFrames([][2]int{{80, 24}, {100, 30}, {70, 20}, {200, 60}, {60, 15}, {20, 5}},
			[][]string{{}, {"3"}, {"f", "tab", "tab"}, {"esc", "/"}, {"esc", "L"}, {"esc", "?"}, {"esc"}})
	})
}

// checkFrames resizes the window to each size and presses each run of keys
// in turn, checking that every frame has exactly the window's lines and no
// line is wider than the window.
func (h *harness) checkFrames(sizes [][2]int, runs [][]string) {
	h.t.Helper()
	for _, size := range sizes {
		h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		for _, keys := range runs {
			h.press(keys...)
			lines := strings.Split(h.screen(), "\n")
			if len(lines) != size[1] {
				h.t.Errorf("%dx%d after %v: %d lines", size[0], size[1], keys, len(lines))
			}
			for i, l := range lines {
				if w := ansiWidth(l); w > size[0] {
					h.t.Errorf("%dx%d after %v: line %d is %d wide: %q", size[0], size[1], keys, i, w, l)
				}
			}
		}
	}
}

func TestLargeTaxonomy(t *testing.T) {
	big := func(o *Options) { o.Taxonomy = taxtest.MustGenerate(t, 2000) }

	t.Run("a category with a letter hotkey opens from the top and its last reasons are reachable", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s, big)
		h.press("z")
		ci := h.m.menu.level
		if ci < 0 || h.m.sh.idx.cats[ci].Hotkey != "z" {
			t.Fatalf("z opened level %d", ci)
		}
		list := h.m.sh.idx.offered[ci]
		for range len(list) / h.m.menu.rows() {
			h.press("pgdown")
		}
		h.press("pgdown", "up", "space") // the reason above the catch-all: no hotkey
		want := list[len(list)-2]
		if want.Hotkey != "" {
			t.Fatalf("fixture: expected a reason without hotkey, got %q", want.Hotkey)
		}
		if got := only(t, s).Reasons; !slices.Equal(got, []string{want.ID}) {
			t.Fatalf("stored %v, want [%s]", got, want.ID)
		}
	})

	t.Run("the highlighted category stays visible when coming back to a long list", func(t *testing.T) {
		h := newHarness(t, newStore(t), big)
		h.press("z", "esc")
		if !strings.Contains(h.screen(), "▸z") {
			t.Fatalf("highlighted category z scrolled out of sight:\n%s", h.screen())
		}
	})
}
