package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	"whycall/store"
	"whycall/store/storetest"
)

// TestStaleDraft: a contact left unfinished long ago (a crash, a closed
// terminal) is saved with its last change as its end, not with the time it
// is finally saved, so its handle time is not inflated.
func TestStaleDraft(t *testing.T) {
	// leftBehind stores a draft started at start and last changed at last,
	// on a store whose clock the test sets.
	leftBehind := func(t *testing.T, start, last time.Time) *store.Store {
		t.Helper()
		clock := start
		s := storetest.MustOpen(t, store.Options{Location: oslo, Now: func() time.Time { return clock }})
		ctx := context.Background()
		d, err := s.StartDraft(ctx, store.Draft{Agent: "kari", TaxonomyVersion: "v", StartedAt: start})
		if err != nil {
			t.Fatal(err)
		}
		clock = last
		if _, err := s.AddReason(ctx, d.ID, "delivery_late"); err != nil {
			t.Fatal(err)
		}
		clock = t0
		return s
	}

	t.Run("a draft untouched for hours is saved ending at its last change", func(t *testing.T) {
		start := t0.Add(-20 * time.Hour)
		last := start.Add(7 * time.Minute)
		s := leftBehind(t, start, last)
		h := newHarness(t, s)
		if st := h.status(); !strings.Contains(st, "idle since 01.03 18:12: saving ends it then, not now") {
			t.Errorf("the resume does not say it is stale: %q", st)
		}
		if scr := h.screen(); !strings.Contains(scr, "◼ 7:00 ended 01.03 18:12") || strings.Contains(scr, "● 20:") ||
			!strings.Contains(scr, "ends 01.03 18:12 (last change)") {
			t.Errorf("the header runs the timer of a call long over:\n%s", scr)
		}
		h.press("R", "enter")
		c := only(t, s)
		if c.Draft() || !c.EndedAt.Equal(last) || c.Duration() != 7*time.Minute {
			t.Fatalf("saved ending %v (handle %v), want its last change %v (7m0s)", c.EndedAt, c.Duration(), last)
		}
		if c.Outcome != store.OutcomeResolved {
			t.Errorf("the outcome set after resuming was lost: %s", c.Outcome)
		}
		if !strings.Contains(h.status(), "ended 01.03 18:12 (its last change)") {
			t.Errorf("status %q", h.status())
		}
	})

	t.Run("a draft changed a few minutes ago is a call going on and ends now", func(t *testing.T) {
		start := t0.Add(-12 * time.Minute)
		s := leftBehind(t, start, t0.Add(-staleDraft+time.Minute))
		h := newHarness(t, s)
		h.press("enter")
		if c := only(t, s); !c.EndedAt.Equal(t0) {
			t.Fatalf("ended %v, want now %v", c.EndedAt, t0)
		}
	})
}
