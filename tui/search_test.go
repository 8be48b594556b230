package tui

import (
	"slices"
	"strings"
	"testing"

	"whycall/store"
)

func TestSearch(t *testing.T) {
	t.Run("slash, a few letters and enter tag the best match", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("/")
		if h.m.Focus() != FocusSearch {
			t.Fatalf("focus %v after /", h.m.Focus())
		}
		h.typeText("late deliv")
		r := h.m.search.picked()
		if r == nil || r.ID != "delivery_late" {
			t.Fatalf("best match %v, want delivery_late; results %v", r, h.m.search.results)
		}
		if !strings.Contains(h.screen(), "3f Late delivery") {
			t.Errorf("result row does not show the hotkeys and label:\n%s", h.screen())
		}
		h.press("enter")
		if got := only(t, s).Reasons; !slices.Equal(got, []string{"delivery_late"}) {
			t.Fatalf("stored %v", got)
		}
		if h.m.Focus() != FocusMenu {
			t.Errorf("focus %v after picking", h.m.Focus())
		}
	})

	t.Run("the labels of the configured language are searched and arrows move", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s, func(o *Options) { o.Locale = "nb" })
		h.press("/")
		h.typeText("faktura")
		if len(h.m.search.results) < 2 {
			t.Fatalf("want several matches for faktura, got %d", len(h.m.search.results))
		}
		second := h.m.search.results[1].Reason.ID
		h.press("down", "enter")
		if got := only(t, s).Reasons; !slices.Equal(got, []string{second}) {
			t.Fatalf("stored %v, want the second match %s", got, second)
		}
	})

	t.Run("hotkeys type into the search and esc closes it without tagging", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("/")
		h.typeText("R3")
		h.press("esc")
		if len(contacts(t, s)) != 0 || h.m.Contact().Outcome != store.OutcomeUnknown {
			t.Fatal("keys typed into the search acted on the contact")
		}
		if h.m.Focus() != FocusMenu {
			t.Errorf("focus %v after esc", h.m.Focus())
		}
	})
}
