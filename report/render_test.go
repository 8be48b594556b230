package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -run %s -update to accept):\n%s", name, t.Name(), got)
	}
}

func render(t *testing.T, s *Summary, f SummaryFormat, o TextOptions) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, s, f, o); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestRenderingsOfTheHandMadeDay(t *testing.T) {
	f := handMade(t)
	for _, c := range []struct {
		lang   string
		format SummaryFormat
		file   string
	}{
		{"nb", FormatText, "hand.nb.txt"},
		{"en", FormatText, "hand.en.txt"},
		{"sv", FormatMarkdown, "hand.sv.md"},
		{"en", FormatJSON, "hand.en.json"},
	} {
		t.Run(c.file+" matches its golden file", func(t *testing.T) {
			o := handOptions()
			o.Lang = c.lang
			o.FCRMinContacts = 5
			golden(t, c.file, render(t, f.summarize(handDay, o), c.format, TextOptions{}))
		})
	}
}

func TestTextFitsOneHundredColumns(t *testing.T) {
	f := handMade(t)
	// Long labels and notes, from the language that makes the longest lines.
	f.add(contact{at: at(handDay, 16, 0), reasons: []string{"delivery_other"},
		note: strings.Repeat("Kunden fortalte en lang historie om pakken som aldri kom fram ", 4)})
	f.save()
	for _, lang := range []string{"nb", "sv", "en"} {
		for _, color := range []bool{false, true} {
			o := handOptions()
			o.Lang = lang
			out := render(t, f.summarize(handDay, o), FormatText, TextOptions{Color: color})
			for i, line := range strings.Split(string(out), "\n") {
				if w := ansi.StringWidth(line); w > 100 {
					t.Errorf("%s colour=%v line %d is %d columns: %q", lang, color, i+1, w, ansi.Strip(line))
				}
			}
			if hasEsc := bytes.Contains(out, []byte("\x1b[")); hasEsc != color {
				t.Errorf("%s: escapes %v with colour %v", lang, hasEsc, color)
			}
		}
	}
	t.Run("a narrower terminal is honoured", func(t *testing.T) {
		out := render(t, f.summarize(handDay, handOptions()), FormatText, TextOptions{Width: 80})
		for i, line := range strings.Split(string(out), "\n") {
			if w := ansi.StringWidth(line); w > 80 {
				t.Errorf("line %d is %d columns: %q", i+1, w, line)
			}
		}
	})
}

func TestTextNeverCutsNumbers(t *testing.T) {
	f := handMade(t)
	for _, lang := range []string{"nb", "sv", "en"} {
		for _, width := range []int{100, 80} {
			o := handOptions()
			o.Lang = lang
			s := f.summarize(handDay, o)
			// A 90-day range on a big collector: counts, minutes and praise
			// wider than the columns are made for.
			s.Reasons[0].Count = 1234567
			s.Owners[0].Count, s.Owners[0].Minutes, s.Owners[0].Praise = 2345678, 12345678, 12345
			out := string(render(t, s, FormatText, TextOptions{Width: width}))
			p := printer{lang}
			for _, want := range []string{p.num(1234567), p.num(2345678), p.num(12345678) + " min",
				p.msgf("praise_short", p.num(12345))} {
				if !strings.Contains(out, want) {
					t.Errorf("%s at %d columns: %q is not shown whole:\n%s", lang, width, want, out)
				}
			}
			for i, line := range strings.Split(out, "\n") {
				if w := ansi.StringWidth(line); w > width {
					t.Errorf("%s: line %d is %d columns, more than %d: %q", lang, i+1, w, width, line)
				}
			}
		}
	}
}

func TestJSONHasTheDocumentedFields(t *testing.T) {
	f := handMade(t)
	var v map[string]any
	if err := json.Unmarshal(render(t, f.summarize(handDay, handOptions()), FormatJSON, TextOptions{}), &v); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"date", "timezone", "total", "reasons", "pareto", "owners", "repeat_rate",
		"fcr_reported", "fcr_measured", "catch_all_share", "praise"} {
		if _, ok := v[k]; !ok {
			t.Errorf("no %q", k)
		}
	}
	r := v["reasons"].([]any)[0].(map[string]any)
	for _, k := range []string{"id", "label", "category", "owner", "kind", "count", "share", "expected", "spike", "drop", "p_value"} {
		if _, ok := r[k]; !ok {
			t.Errorf("reasons[0] has no %q", k)
		}
	}
	p := v["pareto"].(map[string]any)
	if _, ok := p["ids"]; !ok || p["share"] == nil {
		t.Errorf("pareto %v", p)
	}
	if v["date"] != "2026-01-14" || v["timezone"] != "Europe/Oslo" {
		t.Errorf("date %v zone %v", v["date"], v["timezone"])
	}
}

func TestHTMLIsSelfContained(t *testing.T) {
	f := handMade(t)
	f.add(contact{at: at(handDay, 16, 0), reasons: []string{"delivery_other"}, note: `<script>alert("x")</script> & "quotes"`})
	f.save()
	out := string(render(t, f.summarize(handDay, handOptions()), FormatHTML, TextOptions{}))
	for _, bad := range []string{"<script", "http://", "https://", "<link", "src=", "@import", "url("} {
		if strings.Contains(out, bad) {
			t.Errorf("HTML contains %q", bad)
		}
	}
	for _, want := range []string{"<!DOCTYPE html>", "<svg", "<style>", "@media print", "Levering for sent", "&lt;script&gt;"} {
		if !strings.Contains(out, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if strings.Count(out, "<table") != strings.Count(out, "</table>") || strings.Count(out, "<svg") != strings.Count(out, "</svg>") {
		t.Error("unbalanced tables or charts")
	}
}

func TestMarkdownEscapesLabelsAndNotes(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a|b", `a\|b`},
		{"p<0,001", "p<0,001"},
		{"<b>bold</b>", "&lt;b>bold&lt;/b>"},
		{"*stars* and _under_", `\*stars\* and \_under\_`},
		{"two\nlines", "two lines"},
	}
	for _, tt := range tests {
		if got := md(tt.in); got != tt.want {
			t.Errorf("md(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNumbersFollowTheLanguage(t *testing.T) {
	d := 0.06
	tests := []struct {
		lang string
		got  string
		want string
	}{
		{"nb", printer{"nb"}.pct(0.148, 1), "14,8\u00a0%"},
		{"en", printer{"en"}.pct(0.148, 1), "14.8%"},
		{"nb", printer{"nb"}.num(1234567), "1\u00a0234\u00a0567"},
		{"en", printer{"en"}.num(1234567), "1,234,567"},
		{"en", printer{"en"}.dec(1318.7, 1), "1,318.7"},
		{"nb", printer{"nb"}.dec(-21318.75, 2), "−21\u00a0318,75"},
		{"sv", printer{"sv"}.dec(999.5, 0), "1\u00a0000"},
		{"sv", printer{"sv"}.delta(&d, false), "+6\u00a0%"},
		{"nb", printer{"nb"}.delta(ptr(-0.001), false), "0\u00a0%"},
		{"nb", printer{"nb"}.delta(nil, true), "ny"},
		{"en", printer{"en"}.pvalue(0.0004), "p<0.001"},
		{"nb", printer{"nb"}.pvalue(0.0123), "p=0,012"},
		{"nb", printer{"nb"}.dur(252), "4:12"},
		{"nb", printer{"nb"}.dur(3725), "1:02:05"},
		{"nb", printer{"nb"}.date(Day{2026, time.January, 13}), "tirsdag 13.01.2026"},
		{"sv", printer{"sv"}.date(Day{2026, time.January, 13}), "tisdag 2026-01-13"},
		{"en", printer{"en"}.date(Day{2026, time.January, 13}), "Tuesday 13 Jan 2026"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.lang, tt.got, tt.want)
		}
	}
	t.Run("the flag reads as in the metrics sketch", func(t *testing.T) {
		r := &ReasonRow{Label: "Forsinket levering", Count: 31, Spike: true, Expected: ptr(12.4), PValue: ptr(0.0001)}
		if got := FlagText(r, "nb"); got != "⚠ Forsinket levering 31 (ventet 12,4; ×2,5; p<0,001)" {
			t.Errorf("got %q", got)
		}
	})
}

func TestBarChartLabelsHaveRoom(t *testing.T) {
	xs := regexp.MustCompile(`<text x="([0-9.]+)"`)
	for _, n := range []int{24, 35, 118, 394} {
		labels := make([]string, n)
		for i := range labels {
			labels[i] = "26 Aug"
		}
		svg := string(barChart(make([]int, n), labels, 7, 640, 90))
		var last float64 = -chartLabelWidth
		found := xs.FindAllStringSubmatch(svg, -1)
		if len(found) < 2 {
			t.Errorf("%d bars: %d labels", n, len(found))
		}
		for _, m := range found {
			x, _ := strconv.ParseFloat(m[1], 64)
			if x-last < chartLabelWidth || x+chartLabelWidth-8 > 640 {
				t.Errorf("%d bars: a label at x=%.1f (the one before at %.1f) overlaps or runs off the chart", n, x, last)
			}
			last = x
		}
	}
}

func TestSparkline(t *testing.T) {
	if got := Sparkline([]int{0, 1, 4, 8}); got != " ▁▄█" {
		t.Errorf("got %q", got)
	}
}
