package tui

import (
	"slices"
	"strings"
	"testing"

	"whycall/store"
)

// TestTypingGuard covers the ways text meant for a field could land in the
// menu as hotkeys.
func TestTypingGuard(t *testing.T) {
	t.Run("text typed on after enter left the note is held back, not taken as hotkeys", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("3", "f", "tab", "tab", "tab")
		h.typeText("kunde vil bytte")
		h.press("enter")
		h.typeText(" til mindre modell, 5 ganger R")
		c := only(t, s)
		if !slices.Equal(c.Reasons, []string{"delivery_late"}) || c.Outcome != store.OutcomeUnknown || h.m.menu.level >= 0 {
			t.Fatalf("text became hotkeys: reasons %v, outcome %s, menu level %d", c.Reasons, c.Outcome, h.m.menu.level)
		}
		if !strings.Contains(h.status(), "Held back “…") || !strings.Contains(h.status(), "ganger R”") {
			t.Errorf("status %q does not show what was held back", h.status())
		}
		h.now = h.now.Add(typingPause)
		h.press("R")
		if c := only(t, s); c.Outcome != store.OutcomeResolved {
			t.Errorf("after a pause R did not set the outcome: %s", c.Outcome)
		}
	})

	t.Run("text typed on after enter picked a search result is held back", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("/")
		h.typeText("forsinket")
		h.press("enter")
		h.typeText(" levering 3 dager")
		if c := only(t, s); !slices.Equal(c.Reasons, []string{"delivery_late"}) || h.m.menu.level >= 0 {
			t.Fatalf("text after the search became hotkeys: %v, menu level %d", c.Reasons, h.m.menu.level)
		}
	})

	t.Run("a letter outside a category holds back the keys typed right after it", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.typeText("kunde 3 ganger")
		if len(contacts(t, s)) != 0 || h.m.menu.level >= 0 {
			t.Fatalf("stray typing opened a category (level %d) or wrote a contact", h.m.menu.level)
		}
		h.now = h.now.Add(typingPause)
		h.press("3", "f")
		if c := only(t, s); !slices.Equal(c.Reasons, []string{"delivery_late"}) {
			t.Fatalf("hotkeys after a pause: %v", c.Reasons)
		}
	})

	t.Run("a capital that is no command starts the guard too", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.typeText("Kunden Ringer")
		if len(contacts(t, s)) != 0 {
			t.Fatalf("stray typing wrote a contact: %+v", contacts(t, s))
		}
	})

	t.Run("enter right after held-back text does not save; the next enter does", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("3", "f")
		h.typeText("kunden er sur")
		h.press("enter")
		if c := only(t, s); !c.Draft() {
			t.Fatal("saved right after typing into nowhere")
		}
		if !strings.Contains(h.status(), "Enter again saves") {
			t.Errorf("status %q", h.status())
		}
		h.press("enter")
		if c := only(t, s); c.Draft() {
			t.Fatal("the second enter did not save")
		}
	})

	t.Run("a note, enter and enter save at once", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("3", "x")
		h.typeText("ringte om faktura")
		h.press("enter", "enter")
		if c := only(t, s); c.Draft() || c.Note != "ringte om faktura" {
			t.Fatalf("not saved: %+v", c)
		}
	})

	t.Run("a mistyped reason letter does not hold back the right one", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("3", "q", "f")
		if c := only(t, s); !slices.Equal(c.Reasons, []string{"delivery_late"}) {
			t.Fatalf("stored %v after a typo", c.Reasons)
		}
	})

	t.Run("two wrong letters in a category hold back the rest of the word", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("3")
		h.typeText("qqf")
		if len(contacts(t, s)) != 0 {
			t.Fatalf("a letter typed among stray ones tagged a reason: %+v", contacts(t, s))
		}
	})

	t.Run("tab after held-back text ends the guard at once", func(t *testing.T) {
		s := newStore(t)
		h := newHarness(t, s)
		h.press("3", "f", "enter")
		h.typeText("hei")
		h.press("esc", "6", "f")
		cs := contacts(t, s)
		if len(cs) != 2 || !slices.Equal(cs[1].Reasons, []string{"invoice_wrong"}) {
			t.Fatalf("keys after esc were held back: %+v", cs)
		}
	})
}
