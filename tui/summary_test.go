package tui

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"whycall/report"
)

// today0 is the day of t0, the tests' "today".
var today0 = report.DayOf(t0, oslo)

// summaryHarness is a capture screen with a summary source in lang.
func summaryHarness(t *testing.T, lang string, src *fakeSummary) *harness {
	t.Helper()
	return newHarness(t, newStore(t), withSummary(src), func(o *Options) { o.Locale = lang })
}

// body is the summary body of the current frame: the lines between the
// header's rule and the description line.
func (h *harness) body() string {
	lines := strings.Split(h.screen(), "\n")
	return strings.Join(lines[2:len(lines)-4], "\n")
}

// step sends msg to the model without running the commands it returns.
func (h *harness) step(msg tea.Msg) tea.Cmd {
	h.t.Helper()
	next, cmd := h.m.Update(msg)
	h.m = next.(*Model)
	return cmd
}

// collect runs cmd and returns the summary and notes messages it yields,
// without delivering them.
func collect(cmd tea.Cmd) []tea.Msg {
	var out []tea.Msg
	runCmds(cmd, func(msg tea.Msg) tea.Cmd {
		switch msg.(type) {
		case summaryMsg, notesMsg:
			out = append(out, msg)
		}
		return nil
	})
	return out
}

func TestSummaryScreen(t *testing.T) {
	t.Run("S shows today's summary of all teams and esc goes back to the contact in progress", func(t *testing.T) {
		src := handSource("en")
		h := summaryHarness(t, "en", src)
		h.press("3", "f", "S")
		if h.m.Screen() != ScreenSummary {
			t.Fatalf("screen %v", h.m.Screen())
		}
		if !slices.Equal(src.days, []report.Day{today0}) || src.teams[0] != "" {
			t.Fatalf("computed %v for teams %q, want today for all teams", src.days, src.teams)
		}
		body := h.body()
		for _, want := range []string{"Contact reasons Monday 2 Mar 2026 · all teams", "412 contacts", "FIX FIRST",
			"▸• Late delivery", "⚠ ×2.9", "SPIKES AND DROPS"} {
			if !strings.Contains(body, want) {
				t.Errorf("summary lacks %q:\n%s", want, body)
			}
		}
		h.press("esc")
		if h.m.Screen() != ScreenCapture || len(h.m.Contact().Reasons) != 1 {
			t.Fatalf("esc: screen %v, contact %+v", h.m.Screen(), h.m.Contact())
		}
	})

	t.Run("the screen says computing… until the summary arrives", func(t *testing.T) {
		h := summaryHarness(t, "en", handSource("en"))
		cmd := h.step(keyMsg("S"))
		if !strings.Contains(h.body(), "computing…") {
			t.Fatalf("no sign of the computation:\n%s", h.body())
		}
		for _, msg := range collect(cmd) {
			h.send(msg)
		}
		if b := h.body(); strings.Contains(b, "computing…") || !strings.Contains(b, "412 contacts") {
			t.Fatalf("the summary did not replace “computing…”:\n%s", b)
		}
	})

	t.Run("← and → step through the days and the future is refused", func(t *testing.T) {
		src := handSource("nb")
		h := summaryHarness(t, "nb", src)
		h.press("S", "right")
		if !strings.Contains(h.status(), "has not begun") || len(src.days) != 1 {
			t.Fatalf("→ from today: status %q, computed %v", h.status(), src.days)
		}
		h.press("left", "left")
		want := []report.Day{today0, today0.Add(-1), today0.Add(-2)}
		if !slices.Equal(src.days, want) {
			t.Fatalf("computed %v, want %v", src.days, want)
		}
		if !strings.Contains(h.body(), "lørdag 28.02.2026") {
			t.Errorf("title does not name the day:\n%s", h.body())
		}
		h.press("right")
		if len(src.days) != 3 || !strings.Contains(h.body(), "søndag 01.03.2026") {
			t.Errorf("a day computed before was computed again (%v) or not shown:\n%s", src.days, h.body())
		}
	})

	t.Run("a summary for a day no longer shown is dropped", func(t *testing.T) {
		h := summaryHarness(t, "en", handSource("en"))
		h.press("S")
		first := collect(h.step(keyMsg("left")))
		second := collect(h.step(keyMsg("left")))
		for _, msg := range first {
			h.send(msg)
		}
		if b := h.body(); !strings.Contains(b, "Saturday 28 Feb") || !strings.Contains(b, "computing…") {
			t.Fatalf("the answer for the day before showed up:\n%s", b)
		}
		for _, msg := range second {
			h.send(msg)
		}
		if b := h.body(); !strings.Contains(b, "Contact reasons Saturday 28 Feb 2026") || strings.Contains(b, "computing…") {
			t.Fatalf("the day asked for last is not shown:\n%s", b)
		}
	})

	t.Run("enter on a reason shows its notes and sparkline; ↓ moves to the next reason", func(t *testing.T) {
		src := handSource("nb")
		h := summaryHarness(t, "nb", src)
		h.press("S", "enter")
		b := h.body()
		for _, want := range []string{"Forsinket levering · mandag 02.03.2026", "Eier: Logistikk", "61 kontakter",
			"⚠ Forsinket levering 61 (ventet 21,4; ×2,9; p<0,001)", "02.02 ", " 02.03", "02.03 13:40 «pakken står på terminalen»",
			"27.02 15:03 «kunden venter fortsatt»"} {
			if !strings.Contains(b, want) {
				t.Errorf("details lack %q:\n%s", want, b)
			}
		}
		if !strings.ContainsAny(b, "▁▂▃▄▅▆▇█") {
			t.Errorf("no sparkline:\n%s", b)
		}
		h.press("down")
		if !strings.Contains(h.body(), "Hvor er varen min? · mandag") {
			t.Errorf("↓ did not open the next reason:\n%s", h.body())
		}
		if !slices.Equal(src.asked, []string{"delivery_late", "delivery_status"}) {
			t.Errorf("notes read for %v", src.asked)
		}
		h.press("esc")
		if h.m.sum.detail != nil || h.m.Screen() != ScreenSummary || !strings.Contains(h.body(), "▸• Hvor er varen min?") {
			t.Fatalf("esc from the details:\n%s", h.body())
		}
		h.press("esc")
		if h.m.Screen() != ScreenCapture {
			t.Errorf("second esc left screen %v", h.m.Screen())
		}
	})

	t.Run("details stay open on another day and read that day's notes", func(t *testing.T) {
		src := handSource("en")
		h := summaryHarness(t, "en", src)
		h.press("S", "enter", "left")
		if !strings.Contains(h.body(), "Late delivery · Sunday 1 Mar 2026") || len(src.asked) != 2 {
			t.Fatalf("notes read %v:\n%s", src.asked, h.body())
		}
	})

	t.Run("o filters by owner, one after the other, and back to all", func(t *testing.T) {
		h := summaryHarness(t, "en", handSource("en"))
		h.press("S", "o")
		b := h.body()
		if !strings.Contains(b, "owner: Logistics") || !slices.Equal(h.m.sum.page.reasons, []string{"delivery_late", "delivery_status"}) {
			t.Fatalf("filtered by Logistics, listed %v:\n%s", h.m.sum.page.reasons, b)
		}
		h.press("o")
		if b := h.body(); !strings.Contains(b, "owner: Billing") || !slices.Equal(h.m.sum.page.reasons, []string{"invoice_unclear"}) {
			t.Fatalf("filtered by Billing, listed %v:\n%s", h.m.sum.page.reasons, b)
		}
		h.press("o", "o", "o")
		if b := h.body(); strings.Contains(b, "owner:") || len(h.m.sum.page.reasons) != 8 {
			t.Fatalf("after the last owner, all again, listed %v:\n%s", h.m.sum.page.reasons, b)
		}
	})

	t.Run("a failing source shows its error and r tries again", func(t *testing.T) {
		src := handSource("en")
		src.err = errSummaryDown
		h := summaryHarness(t, "en", src)
		h.press("S")
		if b := h.body(); !strings.Contains(b, "⚠ Could not compute the summary: read rollup: database is locked") {
			t.Fatalf("error not shown:\n%s", b)
		}
		src.err = nil
		h.press("r")
		if b := h.body(); !strings.Contains(b, "412 contacts") {
			t.Fatalf("r did not compute again:\n%s", b)
		}
	})

	t.Run("an empty database says what to do", func(t *testing.T) {
		src := handSource("en")
		src.err = report.ErrNoData
		h := summaryHarness(t, "en", src)
		h.press("S")
		if b := h.body(); !strings.Contains(b, "No finished contacts in the database yet") {
			t.Fatalf("no data:\n%s", b)
		}
	})

	t.Run("t switches between all teams and the desk's team", func(t *testing.T) {
		src := handSource("en")
		h := summaryHarness(t, "en", src)
		h.press("S", "t")
		if !strings.Contains(h.body(), "team Nord") {
			t.Errorf("title:\n%s", h.body())
		}
		h.press("t")
		if !slices.Equal(src.teams, []string{"", "Nord"}) || strings.Contains(h.body(), "team Nord") {
			t.Errorf("teams asked %q:\n%s", src.teams, h.body())
		}
	})

	t.Run("↓ selects reason after reason, then scrolls the rest of the page", func(t *testing.T) {
		h := summaryHarness(t, "en", handSource("en"))
		h.press("S")
		rows := len(h.m.sum.page.reasons)
		for i := 1; i < rows; i++ {
			h.press("down")
			if h.m.sum.sel != i || !strings.Contains(h.body(), "▸") {
				t.Fatalf("after %d × ↓ selection %d (marker shown: %v)", i, h.m.sum.sel, strings.Contains(h.body(), "▸"))
			}
		}
		top := h.m.sum.vp.YOffset()
		h.press("down", "down")
		if h.m.sum.sel != rows-1 || h.m.sum.vp.YOffset() != top+2 {
			t.Fatalf("past the table: selection %d, offset %d (was %d)", h.m.sum.sel, h.m.sum.vp.YOffset(), top)
		}
		h.press("end")
		if !strings.Contains(h.body(), "“Other” 2% ·") && !strings.Contains(h.body(), "Taxonomy health") {
			t.Errorf("end does not show the bottom:\n%s", h.body())
		}
		h.press("up")
		if h.m.sum.sel != rows-1 {
			t.Errorf("↑ with the selection out of sight moved it to %d", h.m.sum.sel)
		}
	})

	t.Run("without a summary source S says so and stays", func(t *testing.T) {
		h := newHarness(t, newStore(t))
		h.press("S")
		if h.m.Screen() != ScreenCapture || !strings.Contains(h.status(), "No summary") {
			t.Fatalf("screen %v, status %q", h.m.Screen(), h.status())
		}
	})

	t.Run("every frame has exactly the window's lines and no line is wider", func(t *testing.T) {
		h := summaryHarness(t, "nb", handSource("nb"))
		h.press("S")
		h.checkFrames([][2]int{{80, 24}, {100, 30}, {70, 20}, {200, 60}, {60, 15}},
			[][]string{{}, {"pgdown"}, {"end"}, {"home", "enter"}, {"esc", "o"}, {"?"}, {"esc", "o", "o", "o", "o"}})
	})
}

// TestSummaryGoldenViews pins the summary screen at 80×24 with the
// hand-made day, in nb and en.
func TestSummaryGoldenViews(t *testing.T) {
	scenes := []struct {
		name string
		keys []string
	}{
		{"top", nil},
		{"owners", []string{"pgdown"}},
		{"details", []string{"enter"}},
		{"third_reason", []string{"down", "down"}},
		{"owner_filter", []string{"o"}},
	}
	for _, lang := range []string{"nb", "en"} {
		for _, sc := range scenes {
			t.Run(lang+"/"+sc.name, func(t *testing.T) {
				h := summaryHarness(t, lang, handSource(lang))
				h.press("S")
				h.press(sc.keys...)
				golden.RequireEqual(t, h.screen())
			})
		}
	}
}

// TestSummaryOfARealStore: NewSummarySource on the store's reader shows
// what was just tagged on the capture screen, and the reason's notes.
func TestSummaryOfARealStore(t *testing.T) {
	s := newStore(t)
	tax := testTax(t)
	if err := s.SaveTaxonomy(context.Background(), tax.Version, tax.ID, tax.Revision, tax.Source); err != nil {
		t.Fatal(err)
	}
	r := s.SummaryReader()
	t.Cleanup(func() {
		if err := r.Close(); err != nil {
			t.Error(err)
		}
	})
	opt := report.DefaultOptions()
	opt.Lang, opt.Now, opt.Taxonomy = "en", func() time.Time { return t0.Add(time.Hour) }, tax
	h := newHarness(t, s, withSummary(NewSummarySource(r, opt)))
	h.press("3", "f", "tab", "tab", "tab")
	h.typeText("pakken kom aldri")
	h.press("enter", "enter", "3", "f", "enter", "6", "f", "enter")
	h.press("S")
	b := h.body()
	for _, want := range []string{"3 contacts so far today", "Late delivery", "Wrong invoice"} {
		if !strings.Contains(b, want) {
			t.Errorf("summary lacks %q:\n%s", want, b)
		}
	}
	h.press("enter")
	if b := h.body(); !strings.Contains(b, "2 Mar 14:05 «pakken kom aldri»") {
		t.Errorf("details lack the note:\n%s", b)
	}
}
