package report

import "time"

// Words formats a Summary's figures and names its parts in one language,
// exactly as the text, Markdown and HTML renderings do, for other views of
// a Summary (the TUI's summary screen): nb and sv write 14,8 % and 1 234,
// en writes 14.8% and 1,234.
type Words struct{ p printer }

// NewWords returns the words of lang: nb, sv or en (others fall back to nb
// for dates and to the message key for words).
func NewWords(lang string) Words { return Words{printer{lang}} }

// Msg returns one of the summary's own words: a section or column name such
// as "fix_first", "flags", "owners", "praise", "health", "recode", "hours",
// "reason", "count", "share", "owner", "flag", "no_flags", "no_praise",
// "also_mentioned", "categories", "chains", "notes", "agents". An unknown key
// comes back as itself, so a missing word shows instead of vanishing.
func (w Words) Msg(key string) string { return w.p.msg(key) }

// Num formats a count with thousands separators.
func (w Words) Num(n int) string { return w.p.num(n) }

// Dec formats x with n decimals.
func (w Words) Dec(x float64, n int) string { return w.p.dec(x, n) }

// Pct formats a share (0.148) as a percentage with n decimals.
func (w Words) Pct(share float64, n int) string { return w.p.pct(share, n) }

// Delta formats a relative change (+0.06 → "+6 %"); nil is "–", and isNew
// says "new" for a zero baseline.
func (w Words) Delta(d *float64, isNew bool) string { return w.p.delta(d, isNew) }

// Dur formats optional seconds as m:ss; nil is "–".
func (w Words) Dur(sec *float64) string { return w.p.durp(sec) }

// PValue formats a p-value: "p<0,001", "p=0,012".
func (w Words) PValue(x float64) string { return w.p.pvalue(x) }

// Date formats a day with its weekday: "mandag 23.11.2026".
func (w Words) Date(d Day) string { return w.p.date(d) }

// ShortDate formats a day without weekday: "23.11", "11-23", "23 Nov".
func (w Words) ShortDate(d Day) string { return w.p.shortDate(d) }

// Note formats a note as the renderings list it: "18:49 «text»", with the
// short date first when withDate is set.
func (w Words) Note(n Note, withDate bool) string {
	return w.p.clock(n.At, withDate) + " «" + n.Text + "»"
}

// NoteAt formats a note read on its own (a reason's recent notes).
func (w Words) NoteAt(at time.Time, text string, withDate bool) string {
	return w.Note(Note{At: at, Text: text}, withDate)
}

// Trend words a reason's 7-day spike as the text rendering does ("↗ Late
// delivery 7 days: 96 (expected 41,0; ×2,3; p<0,001)"); "" when it has none.
func (w Words) Trend(r *ReasonRow) string {
	if r.Trend == nil || !r.Trend.Spike {
		return ""
	}
	t := r.Trend
	return "↗ " + r.Label + " " + w.p.msgf("trend", w.p.num(t.Count), w.p.dec(t.Expected, 1), w.p.dec(t.Ratio, 1), w.p.pvalue(t.PValue))
}

// MoreReasons words the reasons a table left out ("… and 35 more reasons
// (768 contacts)"), or "" for none.
func (w Words) MoreReasons(rest, restN int) string { return w.p.moreReasons(rest, restN) }

// AlsoMentioned words the n reasons most often mentioned as secondary.
func (w Words) AlsoMentioned(reasons []ReasonRow, n int) string { return w.p.alsoMentioned(reasons, n) }

// MoreNotes words the notes a list left out ("… and 7 more notes").
func (w Words) MoreNotes(n int) string { return w.p.msgf("more_notes", w.p.num(n)) }

// LowestFCR words the reasons with the lowest measured FCR.
func (w Words) LowestFCR(ls []ReasonFCR) string { return w.p.lowestFCR(ls) }

// Flag is a reason's flag for a table cell: "⚠ ×2,5 p<0,001" for a spike,
// "↓ ×0,4 p=0,0012" for a drop, "↗ 7d ×2,1" for a 7-day trend, "" for
// none. Without withP the p-value is left out, for narrow tables.
func (w Words) Flag(r *ReasonRow, withP bool) string {
	if withP || ((!r.Spike && !r.Drop) || r.Ratio == nil) {
		return w.p.flagShort(r)
	}
	return flagMark(r.Spike) + " ×" + w.p.dec(*r.Ratio, 1)
}

// Spikes words an owner's count of spiking reasons ("⚠2").
func (w Words) Spikes(n int) string { return w.p.msgf("spikes_n", n) }

// Praise words an owner's praise count ("ros 7").
func (w Words) Praise(n int) string { return w.p.msgf("praise_short", w.p.num(n)) }
