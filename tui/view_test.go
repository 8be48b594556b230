package tui

import (
	"image/color"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

// goldenScenes are the screens the golden files pin down, each reached by
// keys from a fresh start at t0.
var goldenScenes = []struct {
	name  string
	flaky bool
	drive func(h *harness)
}{
	{"ready", false, func(h *harness) {}},
	{"tagging", false, func(h *harness) {
		h.press("3", "f")
		h.now = h.now.Add(72 * time.Second)
		h.press("R", "6", "down")
	}},
	{"catch_all_needs_note", false, func(h *harness) {
		h.press("3", "x")
	}},
	{"two_reasons_list_focused", false, func(h *harness) {
		h.press("3", "f", "6", "f", "C", "tab", "down")
	}},
	{"search", false, func(h *harness) {
		h.press("/")
		h.typeText("fak")
	}},
	{"recent", false, func(h *harness) {
		h.press("3", "f", "R")
		h.now = h.now.Add(3*time.Minute + 10*time.Second)
		h.press("enter")
		h.now = h.now.Add(time.Minute)
		h.press("6", "f", "6", "p", "E", "tab", "tab")
		h.typeText("12345678")
		h.press("enter")
		h.now = h.now.Add(2 * time.Minute)
		h.press("enter", "L")
	}},
	{"help", false, func(h *harness) { h.press("?") }},
	{"write_failing", true, func(h *harness) { h.press("3", "f") }},
}

func TestGoldenViews(t *testing.T) {
	for _, lang := range []string{"nb", "en"} {
		for _, sc := range goldenScenes {
			t.Run(lang+"/"+sc.name, func(t *testing.T) {
				s := newStore(t)
				fs := &flakyStore{Store: s}
				h := newHarness(t, fs, func(o *Options) { o.Locale = lang })
				if sc.flaky {
					fs.failNext(1000)
				}
				sc.drive(h)
				golden.RequireEqual(t, h.screen())
			})
		}
	}
	t.Run("too_small", func(t *testing.T) {
		h := newHarness(t, newStore(t))
		h.send(tea.WindowSizeMsg{Width: 60, Height: 15})
		golden.RequireEqual(t, h.screen())
	})
}

// TestViewIsReadableWithoutColour checks that what colour says is also said
// by a symbol or an attribute the ASCII profile keeps.
func TestViewIsReadableWithoutColour(t *testing.T) {
	h := newHarness(t, newStore(t))
	h.press("3", "down")
	scr := h.screen()
	if !strings.Contains(scr, "▸") {
		t.Error("the highlighted row has no marker besides colour")
	}
	if !strings.Contains(h.m.View().Content, "\x1b[1;7") && !strings.Contains(h.m.View().Content, ";7m") {
		t.Error("the highlighted row is not reversed")
	}
}

// TestFooterFitsAt80Columns: every key a footer offers is shown whole in
// an 80-column window (the help bubble silently drops what does not fit).
func TestFooterFitsAt80Columns(t *testing.T) {
	h := newHarness(t, newStore(t))
	for s := footMenuReady; s < footTooSmall; s++ {
		line := ansi.Strip(h.m.cache.foot.render(h.m.sh, s, 80))
		for _, b := range h.m.sh.keys.footerBindings(s) {
			if want := b.Help().Key + " " + b.Help().Desc; !strings.Contains(line, want) {
				t.Errorf("footer %d lacks %q: %q", s, want, line)
			}
		}
	}
}

// TestLightBackground: a light terminal gets the light styles, and the
// screen says the same things in them.
func TestLightBackground(t *testing.T) {
	h := newHarness(t, newStore(t))
	h.press("3", "f")
	dark := h.screen()
	h.send(tea.BackgroundColorMsg{Color: color.White})
	if h.m.sh.styles.Dark {
		t.Fatal("a white background kept the dark styles")
	}
	if light := h.screen(); light != dark {
		t.Errorf("light and dark screens differ in text:\n%s\n---\n%s", light, dark)
	}
	if h.m.View().Content == "" || !strings.Contains(h.m.View().Content, "\x1b[") {
		t.Error("the light frame has no styles")
	}
}
