package report

import (
	"cmp"
	"slices"
	"strings"
)

// Phrases are the summary's sentences in its language, shared by every
// renderer (and meant for the TUI's summary screen too), so all of them say
// the same thing the same way. An empty phrase means there is nothing to say.
type Phrases struct {
	Title    string // "Kontaktårsaker tirsdag 14.01.2026 · alle team"
	Volume   string // "412 kontakter (snitt 4 tirsdager: 388, +6 %)"
	FixFirst string // "9 av 41 irritasjonsårsaker = 80 % av irritasjonene"
	FixFirstMinutes,
	FixFirst7d string
	Split   string // "Irritasjon 78 % · verdi 19 % · ukodet («annet») 3 % (28 d: 80/17/3) · forebyggbart 70 %"
	Repeats string
	Chains  string // "status → forsinket 9 · …"
	// RepeatReasons are the reasons customers most often come back with
	// (at least 20 contacts with a reference).
	RepeatReasons string
	// Categories is the volume per category: "Levering 121 (29 %) · …".
	Categories string
	FCR        string
	Handle     string
	Health     string
	// Notices explain missing or weak figures, one sentence each.
	Notices []string
}

// NewPhrases words s in s.Lang.
func NewPhrases(s *Summary) Phrases {
	p := printer{s.Lang}
	var ph Phrases
	last, _ := parseDayString(s.Date)
	first, _ := parseDayString(s.From)
	when := p.date(last)
	if s.Days > 1 {
		when = p.msgf("range", p.shortDate(first), p.shortDate(last), s.Days)
	}
	team := p.msg("all_teams")
	if s.Team != "" {
		team = p.msgf("team", s.Team)
	}
	ph.Title = p.msg("title") + " " + when + " · " + team

	unit := p.msg("contacts")
	if s.Total == 1 {
		unit = p.msg("contacts_one")
	}
	ph.Volume = p.num(s.Total) + " " + unit
	if !s.Complete {
		ph.Volume += " " + p.msg("so_far")
	}
	v := s.Volume
	plural := weekdaysPlural[p.locale()][last.Weekday()]
	switch {
	case v.WeekdayMean != nil && s.Days == 1:
		ph.Volume += " (" + p.msgf("weekday_mean", v.Weekdays, plural, p.num(int(*v.WeekdayMean+0.5)), p.delta(v.Change, false)) + ")"
	case v.WeekdayMean != nil:
		ph.Volume += " (" + p.msgf("period_mean", v.Weekdays, p.num(int(*v.WeekdayMean+0.5)), p.delta(v.Change, false)) + ")"
	case s.Days == 1:
		ph.Volume += " (" + p.msgf("no_weekdays", plural) + ")"
	}
	if v.Spike || v.Drop {
		ph.Volume += " " + flagMark(v.Spike) + " " + p.expected(v.Expected, float64(s.Total), v.PValue)
	}

	ph.FixFirst = p.paretoLine("fix_first_line", s.Pareto)
	if len(s.ParetoMinutes.IDs) > 0 {
		ph.FixFirstMinutes = p.msgf("fix_first_min", len(s.ParetoMinutes.IDs), s.ParetoMinutes.Of, p.pct(s.ParetoMinutes.Share, 0))
	}
	if s.Days == 1 && len(s.Pareto7d.IDs) > 0 {
		ph.FixFirst7d = p.msgf("fix_first_7d", len(s.Pareto7d.IDs), s.Pareto7d.Of, p.pct(s.Pareto7d.Share, 0))
	}

	sp := s.Split
	ph.Split = p.msgf("split", p.pct(sp.Irritant.Share, 0), p.pct(sp.Value.Share, 0), p.pct(sp.Uncoded.Share, 0))
	if b := sp.Baseline28; b != nil {
		ph.Split += " " + p.msgf("split_28", p.dec(b.Irritant*100, 0), p.dec(b.Value*100, 0), p.dec(b.Uncoded*100, 0))
	}
	ph.Split += " · " + p.msgf("preventable", p.pct(sp.Preventable.Share, 0))

	if r := s.Repeats; r != nil {
		if r.WithRef == 0 {
			ph.Repeats = p.msg("no_refs")
		} else {
			ph.Repeats = p.msgf("repeats", r.WindowDays, p.pctp(r.Rate, 0), p.pctp(r.SameCategoryRate, 0), p.pct(r.Coverage, 0))
			if r.Rolling != nil {
				ph.Repeats += " · " + p.msgf("repeats_rolling", r.RollingDays, p.pct(*r.Rolling, 0))
			}
		}
		var cs []string
		for _, c := range r.Chains {
			cs = append(cs, c.FromLabel+" → "+c.ToLabel+" "+p.num(c.Count))
		}
		ph.Chains = strings.Join(cs, " · ")
		ph.RepeatReasons = p.repeatReasons(s.Reasons, 3)
	}
	var cats []string
	for _, c := range s.Categories {
		cats = append(cats, c.Label+" "+p.num(c.Count)+" ("+p.pct(c.Share, 0)+")")
	}
	ph.Categories = strings.Join(cats, " · ")

	f := s.FCR
	cohort := p.msg("na")
	if d, ok := parseDayString(f.CohortTo); ok {
		cohort = p.shortDate(d)
		if f.CohortFrom != f.CohortTo {
			d0, _ := parseDayString(f.CohortFrom)
			cohort = p.shortDate(d0) + "–" + cohort
		}
	}
	measured := p.pctp(f.Measured, 0)
	if f.SameCategory && f.Measured != nil {
		measured += " (" + p.msg("fcr_same_category") + ")"
	}
	ph.FCR = p.msgf("fcr", p.pctp(f.Reported, 0), cohort, measured)
	if !s.Detail {
		ph.FCR = strings.TrimSuffix(ph.FCR, " "+p.msg("na"))
	}
	ph.FCR += " · " + p.msgf("fcr_unknown", p.pct(f.UnknownShare, 0))
	if f.Rolling != nil {
		ph.FCR += " · " + p.msgf("repeats_rolling", f.RollingDays, p.pct(*f.Rolling, 0))
	}

	h := s.Handle
	ph.Handle = p.msgf("handle", p.durp(h.MedianS), p.durp(h.MeanS), p.num(int(h.TotalMinutes+0.5)))
	if h.Dropped > 0 {
		ph.Handle += " · " + p.msgf("handle_dropped", p.num(h.Dropped))
	}

	hl := s.Health
	unused := p.msg("na")
	if hl.Unused != nil {
		unused = p.num(len(hl.Unused))
	}
	if hl.Level == "warn" || hl.Level == "alert" {
		ph.Health = "⚠ "
	}
	ph.Health += p.msgf("health_line", p.pct(hl.CatchAllShare, 0), hl.UnusedDays, unused, p.pct(hl.UnknownShare, 0), p.pct(hl.RefCoverage, 0))
	var high []string
	for _, c := range s.Categories {
		if c.Level == "warn" || c.Level == "alert" {
			high = append(high, c.Label+" "+p.pct(c.CatchAllShare, 0))
		}
	}
	if len(high) > 0 {
		ph.Health += " · ⚠ " + p.msgf("catch_all_high", strings.Join(high, ", "))
	}
	if hl.Taxonomy.ID != "" {
		ph.Health += " · " + p.msgf("taxonomy", hl.Taxonomy.ID, hl.Taxonomy.Revision)
	}

	for _, n := range s.Notices {
		key := "notice." + n
		switch n {
		case "not_enough_history":
			ph.Notices = append(ph.Notices, p.msgf(key, s.HistoryDays, baselineDays, s.Options.MinHistoryDays))
		case "low_volume":
			ph.Notices = append(ph.Notices, p.msgf(key, DefaultOptions().LowVolume))
		case "no_detail":
			ph.Notices = append(ph.Notices, p.msgf(key, DefaultOptions().DetailDays))
		case "unused_needs_history":
			ph.Notices = append(ph.Notices, p.msgf(key, hl.UnusedDays))
		default:
			ph.Notices = append(ph.Notices, p.msg(key))
		}
	}
	return ph
}

func (p printer) paretoLine(key string, pr Pareto) string {
	if pr.Of == 0 {
		return p.msg("no_irritants")
	}
	return p.msgf(key, len(pr.IDs), pr.Of, p.pct(pr.Share, 0))
}

// expected formats "expected 12,4; ×2,5; p<0,001".
func (p printer) expected(exp *float64, n float64, pv *float64) string {
	if exp == nil || pv == nil {
		return ""
	}
	return p.msgf("expected", p.dec(*exp, 1), p.dec(n / *exp, 1), p.pvalue(*pv))
}

// flagMark is the sign of a spike (⚠) or a drop (↓).
func flagMark(spike bool) string {
	if spike {
		return "⚠"
	}
	return "↓"
}

// FlagText words a reason's spike or drop as in summary-metrics §3.1:
// "⚠ Forsinket levering 31 (ventet 12,4; ×2,5; p<0,001)"; "" when the
// reason has no flag.
func FlagText(r *ReasonRow, lang string) string {
	if !r.Spike && !r.Drop {
		return ""
	}
	p := printer{lang}
	return flagMark(r.Spike) + " " + r.Label + " " + p.num(r.Count) + " (" + p.expected(r.Expected, float64(r.Count), r.PValue) + ")"
}

// flagShort is a reason's flag for a table cell: "⚠ ×2,5 p<0,001".
func (p printer) flagShort(r *ReasonRow) string {
	if (!r.Spike && !r.Drop) || r.Ratio == nil || r.PValue == nil {
		if r.Trend != nil && r.Trend.Spike {
			return "↗ 7d ×" + p.dec(r.Trend.Ratio, 1)
		}
		return ""
	}
	return flagMark(r.Spike) + " ×" + p.dec(*r.Ratio, 1) + " " + p.pvalue(*r.PValue)
}

// Sparkline draws counts as a line of block characters, scaled to the
// largest.
func Sparkline(counts []int) string {
	const bars = "▁▂▃▄▅▆▇█"
	runes := []rune(bars)
	top := 0
	for _, c := range counts {
		top = max(top, c)
	}
	var b strings.Builder
	for _, c := range counts {
		switch {
		case c == 0:
			b.WriteRune(' ')
		case top == 0:
			b.WriteRune(runes[0])
		default:
			b.WriteRune(runes[min(len(runes)-1, c*len(runes)/(top+1))])
		}
	}
	return b.String()
}

// lowestFCR words the reasons with the lowest measured FCR.
func (p printer) lowestFCR(ls []ReasonFCR) string {
	var parts []string
	for _, l := range ls {
		parts = append(parts, l.Label+" "+p.pct(l.FCR, 0)+" (n="+p.num(l.Contacts)+")")
	}
	return strings.Join(parts, " · ")
}

// alsoMentioned words the reasons most often mentioned as secondary, at
// most n of them, most mentioned first.
func (p printer) alsoMentioned(reasons []ReasonRow, n int) string {
	var rs []*ReasonRow
	for i := range reasons {
		if reasons[i].AlsoMentioned > 0 {
			rs = append(rs, &reasons[i])
		}
	}
	slices.SortStableFunc(rs, func(a, b *ReasonRow) int { return cmp.Compare(b.AlsoMentioned, a.AlsoMentioned) })
	var parts []string
	for _, r := range rs[:min(n, len(rs))] {
		parts = append(parts, r.Label+" "+p.num(r.AlsoMentioned))
	}
	if len(rs) > n {
		parts = append(parts, "…")
	}
	return strings.Join(parts, " · ")
}

// listedReason is a reason row a renderer lists, with what it shows beside
// the figures.
type listedReason struct {
	*ReasonRow
	Flag  string // flagShort
	Vital bool   // in the "fix first" list
}

// listReasons picks the reasons a table lists: the first max with contacts,
// by count, and every flagged one; it sums up the rest (reasons only
// mentioned as secondary are left to "also mentioned").
func (p printer) listReasons(s *Summary, max int) (rows []listedReason, rest, restN int) {
	vital := map[string]bool{}
	for _, id := range s.Pareto.IDs {
		vital[id] = true
	}
	for i := range s.Reasons {
		r := &s.Reasons[i]
		flag := p.flagShort(r)
		switch {
		case r.Count == 0 && flag == "":
		case i >= max && flag == "":
			rest++
			restN += r.Count
		default:
			rows = append(rows, listedReason{r, flag, vital[r.ID]})
		}
	}
	return rows, rest, restN
}

// moreReasons words the reasons a table left out, or "" for none.
func (p printer) moreReasons(rest, restN int) string {
	if rest == 0 {
		return ""
	}
	return p.msgf("more_reasons", rest, p.num(restN))
}

// minRepeatContacts is how many contacts with a reference a reason needs to
// be listed among the most repeated.
const minRepeatContacts = 20

// repeatReasons words the n reasons with the highest repeat rate.
func (p printer) repeatReasons(reasons []ReasonRow, n int) string {
	var rs []*ReasonRow
	for i := range reasons {
		if r := &reasons[i]; r.RepeatRate != nil && r.WithRef >= minRepeatContacts {
			rs = append(rs, r)
		}
	}
	slices.SortStableFunc(rs, func(a, b *ReasonRow) int { return cmp.Compare(*b.RepeatRate, *a.RepeatRate) })
	var parts []string
	for _, r := range rs[:min(n, len(rs))] {
		parts = append(parts, r.Label+" "+p.pct(*r.RepeatRate, 0)+" (n="+p.num(r.WithRef)+")")
	}
	return strings.Join(parts, " · ")
}
