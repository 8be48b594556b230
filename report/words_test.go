package report

import (
	"strings"
	"testing"
	"time"
)

// TestWordsSayWhatTheTextSays: the words other views use are those of the
// text rendering, in each language.
func TestWordsSayWhatTheTextSays(t *testing.T) {
	f := handMade(t)
	for _, lang := range []string{"nb", "sv", "en"} {
		t.Run(lang+" figures appear in the text rendering as Words format them", func(t *testing.T) {
			o := handOptions()
			o.Lang = lang
			s := f.summarize(handDay, o)
			text := string(render(t, s, FormatText, TextOptions{}))
			w := NewWords(lang)
			for _, want := range []string{
				w.Msg("fix_first"), w.Msg("owners"), w.Msg("health"),
				w.Num(s.Reasons[0].Count), w.Pct(s.Reasons[0].Share, 1),
				w.Delta(s.Reasons[0].Delta28, s.Reasons[0].New28), w.Dur(s.Reasons[0].MedianS),
			} {
				if !strings.Contains(text, want) {
					t.Errorf("%q is not in the text rendering", want)
				}
			}
		})
	}
	t.Run("numbers follow the language", func(t *testing.T) {
		nb, en := NewWords("nb"), NewWords("en")
		if got := nb.Num(2800) + " " + nb.Pct(0.146, 1); got != "2\u00a0800 14,6\u00a0%" {
			t.Errorf("nb: %q", got)
		}
		if got := en.Num(2800) + " " + en.Pct(0.146, 1); got != "2,800 14.6%" {
			t.Errorf("en: %q", got)
		}
		at := time.Date(2026, 11, 23, 18, 49, 0, 0, time.UTC)
		if got := nb.NoteAt(at, "levert", true); got != "23.11 18:49 «levert»" {
			t.Errorf("note: %q", got)
		}
		if got := NewWords("en").Msg("no such key"); got != "no such key" {
			t.Errorf("unknown key: %q", got)
		}
	})
}

func TestWordsFlag(t *testing.T) {
	w := NewWords("nb")
	ratio, p := 2.54, 0.0001
	cases := []struct {
		name  string
		r     ReasonRow
		withP bool
		want  string
	}{
		{"a spike with its p-value", ReasonRow{Spike: true, Ratio: &ratio, PValue: &p}, true, "⚠ ×2,5 p<0,001"},
		{"a spike for a narrow table", ReasonRow{Spike: true, Ratio: &ratio, PValue: &p}, false, "⚠ ×2,5"},
		{"a drop for a narrow table", ReasonRow{Drop: true, Ratio: &ratio, PValue: &p}, false, "↓ ×2,5"},
		{"a 7-day trend", ReasonRow{Trend: &Trend{Spike: true, Ratio: 2.1}}, false, "↗ 7d ×2,1"},
		{"no flag", ReasonRow{}, true, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := w.Flag(&c.r, c.withP); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}
