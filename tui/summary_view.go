package tui

import (
	"errors"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"whycall/report"
)

// page is laid-out content of the summary screen or of a reason's details:
// styled lines, and where the table's selectable rows are.
type page struct {
	title string
	lines []string
	// reasons are the table's reason ids in order; rowLine the line of each
	// and plain its text unstyled, drawn reversed when it is selected.
	reasons []string
	rowLine []int
	plain   []string
	// ver changes with every layout, for the frame caches.
	ver int
}

// pageWriter builds a page's lines at width w.
type pageWriter struct {
	sh *shared
	w  int
	p  page
}

// add adds a line its writer made to fit the width: measuring every styled
// line again was most of the cost of a layout.
func (pw *pageWriter) add(s string) { pw.p.lines = append(pw.p.lines, s) }

// addClip adds a line that may be too wide, cut to the width.
func (pw *pageWriter) addClip(s string) { pw.p.lines = append(pw.p.lines, clip(s, pw.w)) }

func (pw *pageWriter) blank() { pw.p.lines = append(pw.p.lines, "") }

// heading adds a section title, with more after it when given.
func (pw *pageWriter) heading(s string, more ...string) {
	pw.addClip(" " + paint(pw.sh.styles.ink.PaneTitle, strings.ToUpper(s)+strings.Join(more, "")))
}

// para adds text wrapped at the width, each line starting with indent
// spaces, the ones after the first with two more.
func (pw *pageWriter) para(k ink, text string, indent int) {
	for i, l := range wrapText(text, pw.w-indent-2) {
		pad := spaces(indent)
		if i > 0 {
			pad = spaces(indent + 2)
		}
		pw.add(pad + paint(k, l))
	}
}

// wrapText breaks text into lines of at most w columns at plain spaces (a
// no-break space, as in "2 800" or "14,6 %", holds), cutting a word longer
// than a line.
func wrapText(text string, w int) []string {
	w = max(w, 8)
	var lines []string
	line, lw := "", 0
	for _, word := range strings.Split(text, " ") {
		ww := ansi.StringWidth(word)
		switch {
		case line == "":
			line, lw = word, ww
		case lw+1+ww <= w:
			line += " " + word
			lw += 1 + ww
		default:
			lines = append(lines, line)
			line, lw = word, ww
		}
		for lw > w {
			cut := ansi.Truncate(line, w, "")
			lines = append(lines, cut)
			line = strings.TrimPrefix(line, cut)
			lw = ansi.StringWidth(line)
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// maxTableReasons is how many reasons the table lists before summing up
// the rest; flagged reasons are always listed (as in the text summary).
const maxTableReasons = 15

// columns of the reason table at one width.
type columns struct{ label, owner, flag int }

// tableColumns fits the table to w: marks, reason, count, share, Δ7, Δ28,
// owner and flag, the p-value only where there is room.
func tableColumns(w int) (columns, bool) {
	const fixed = 3 + 7 + 8 + 8 + 8 + 2
	c := columns{owner: 12, flag: 9}
	withP := w >= 100
	if withP {
		c.owner, c.flag = 14, 15
	}
	c.label = max(12, w-fixed-c.owner-c.flag)
	return c, withP
}

// summaryPage lays out the summary of v at width w.
func summaryPage(sh *shared, v *summaryView, w int) page {
	v.pages++
	pw := &pageWriter{sh: sh, w: w, p: page{ver: v.pages}}
	st := sh.styles
	wd := report.NewWords(sh.locale)
	switch {
	case v.busy && v.sum == nil:
		pw.p.title = "SUMMARY · " + wd.Date(v.key.day)
		pw.add(" " + paint(st.ink.Dim, "computing…"))
		return pw.p
	case v.err != nil:
		pw.p.title = "SUMMARY · " + wd.Date(v.key.day)
		pw.summaryError(v.err)
		return pw.p
	case v.sum == nil:
		pw.p.title = "SUMMARY"
		return pw.p
	}
	s := v.sum
	wd = report.NewWords(s.Lang)
	ph := report.NewPhrases(s)
	pw.p.title = ph.Title

	volume := st.ink.Value
	switch {
	case s.Volume.Spike:
		volume = st.ink.Error
	case s.Volume.Drop:
		volume = st.ink.Hotkey
	}
	pw.para(volume, ph.Volume, 1)
	if len(s.Hours) > 0 {
		counts := make([]int, len(s.Hours))
		for i, h := range s.Hours {
			counts[i] = h.Count
		}
		pw.add(" " + paint(st.ink.Dim, fit(wd.Msg("hours"), 10)) + "00 " + report.Sparkline(counts) + " 24")
	}
	for _, n := range ph.Notices {
		pw.para(st.ink.Warn, "! "+n, 1)
	}

	pw.blank()
	pw.para(st.ink.PaneTitle, strings.ToUpper(wd.Msg("fix_first"))+": "+ph.FixFirst, 1)
	for _, extra := range []string{ph.FixFirstMinutes, ph.FixFirst7d} {
		if extra != "" {
			pw.para(st.ink.Dim, extra, 3)
		}
	}
	pw.table(s, wd, v.owner)
	if v.owner == "" {
		if also := wd.AlsoMentioned(s.Reasons, 8); also != "" {
			pw.para(st.ink.Dim, wd.Msg("also_mentioned")+": "+also, 3)
		}
		if ph.Categories != "" {
			pw.para(st.ink.Dim, wd.Msg("categories")+": "+ph.Categories, 3)
		}
	}

	pw.blank()
	pw.heading(wd.Msg("flags"))
	flagged := false
	for i := range s.Reasons {
		r := &s.Reasons[i]
		if v.owner != "" && r.Owner != v.owner {
			continue
		}
		if ft := report.FlagText(r, s.Lang); ft != "" {
			flagged = true
			k := st.ink.Hotkey
			if r.Spike {
				k = st.ink.Error
			}
			pw.para(k, ft, 3)
		}
		if tt := wd.Trend(r); tt != "" && s.Days == 1 {
			flagged = true
			pw.para(st.ink.Warn, tt, 3)
		}
	}
	if !flagged {
		pw.add("   " + paint(st.ink.Dim, wd.Msg("no_flags")))
	}

	pw.blank()
	for _, l := range []string{ph.Split, ph.Repeats} {
		if l != "" {
			pw.para(st.ink.Value, l, 1)
		}
	}
	if ph.Chains != "" {
		pw.para(st.ink.Dim, wd.Msg("chains")+": "+ph.Chains, 3)
	}
	if ph.RepeatReasons != "" {
		pw.para(st.ink.Dim, wd.Msg("repeat_reasons")+": "+ph.RepeatReasons, 3)
	}
	pw.para(st.ink.Value, ph.FCR, 1)
	if len(s.FCR.Lowest) > 0 {
		pw.para(st.ink.Dim, wd.Msg("fcr_lowest")+": "+wd.LowestFCR(s.FCR.Lowest), 3)
	}
	pw.para(st.ink.Value, ph.Handle, 1)

	pw.blank()
	pw.heading(wd.Msg("owners"))
	// The praise column is 10 wide, wider for a count of four digits or
	// more: numbers are never cut.
	praiseW := 10
	for i := range s.Owners {
		if o := &s.Owners[i]; o.Praise > 0 {
			praiseW = max(praiseW, ansi.StringWidth(wd.Praise(o.Praise))+1)
		}
	}
	for i := range s.Owners {
		if o := &s.Owners[i]; v.owner == "" || o.ID == v.owner {
			pw.owner(wd, o, praiseW)
		}
	}

	pw.blank()
	pw.heading(wd.Msg("praise"))
	praised := false
	for _, pr := range s.Praise {
		if v.owner != "" && pr.Owner != v.owner {
			continue
		}
		praised = true
		pw.para(st.ink.Value, pr.Label+" → "+pr.OwnerLabel+": "+wd.Num(pr.Count), 3)
		pw.notes(wd, pr.Notes, 3, len(pr.Notes), s.Days > 1)
	}
	if !praised {
		pw.add("   " + paint(st.ink.Dim, wd.Msg("no_praise")))
	}

	pw.blank()
	health := st.ink.Value
	switch s.Health.Level {
	case "alert":
		health = st.ink.Error
	case "warn":
		health = st.ink.Warn
	}
	pw.para(health, wd.Msg("health")+": "+ph.Health, 1)
	if len(s.Health.CatchAllNotes) > 0 {
		pw.add("   " + paint(st.ink.Label, wd.Msg("recode")+":"))
		pw.notes(wd, s.Health.CatchAllNotes, 5, s.Health.CatchAllNotesTotal, s.Days > 1)
	}
	if len(s.Health.Unused) > 0 {
		labels := make([]string, len(s.Health.Unused))
		for i, u := range s.Health.Unused {
			labels[i] = u.Label
		}
		pw.para(st.ink.Dim, wd.Msg("unused")+": "+strings.Join(labels, ", "), 3)
	}
	if len(s.Agents) > 0 {
		pw.blank()
		pw.heading(wd.Msg("agents"))
		for _, a := range s.Agents {
			pw.addClip("   " + fit(a.Agent, 20) + " " + padLeft(wd.Num(a.Count), 6) + " " + padLeft(wd.Pct(a.Share, 1), 7) +
				"  " + wd.Msg("catch_all") + " " + wd.Pct(a.CatchAllShare, 0) + "  " + wd.Dur(a.MedianS))
		}
	}
	return pw.p
}

// summaryError explains why there is no summary.
func (pw *pageWriter) summaryError(err error) {
	st := pw.sh.styles
	text := "⚠ Could not compute the summary: " + err.Error()
	hint := "r tries again; the log has the details."
	switch {
	case errors.Is(err, report.ErrNoData):
		text = "No finished contacts in the database yet."
		hint = "Tag and save some contacts first; the summary counts finished ones."
	case errors.Is(err, report.ErrUnknownTeam):
		hint = "t shows all teams."
	}
	pw.para(st.ink.Error, text, 1)
	pw.para(st.ink.Dim, hint, 1)
}

// table lays out the reason table: the first maxTableReasons reasons by
// count and every flagged one (of one owner, when filtered), the vital few
// marked •, and a line summing up the rest.
func (pw *pageWriter) table(s *report.Summary, wd report.Words, owner string) {
	st := pw.sh.styles
	cols, withP := tableColumns(pw.w)
	pw.add(paint(st.ink.Label, "   "+fit(wd.Msg("reason"), cols.label)+" "+padLeft(wd.Msg("count"), 6)+" "+
		padLeft(wd.Msg("share"), 7)+" "+padLeft("Δ7", 7)+" "+padLeft("Δ28", 7)+" "+fit(wd.Msg("owner"), cols.owner)+" "+
		wd.Msg("flag")))
	vital := map[string]bool{}
	for _, id := range s.Pareto.IDs {
		vital[id] = true
	}
	listed, rest, restN := 0, 0, 0
	for i := range s.Reasons {
		r := &s.Reasons[i]
		if owner != "" && r.Owner != owner {
			continue
		}
		flag := clip(wd.Flag(r, withP), cols.flag)
		switch {
		case r.Count == 0 && flag == "":
			continue
		case listed >= maxTableReasons && flag == "":
			rest++
			restN += r.Count
			continue
		}
		listed++
		mark := " "
		if vital[r.ID] {
			mark = "•"
		}
		row := " " + mark + " " + fit(r.Label, cols.label) + " " + padLeft(wd.Num(r.Count), 6) + " " +
			padLeft(wd.Pct(r.Share, 1), 7) + " " + padLeft(wd.Delta(r.Delta7, r.New7), 7) + " " +
			padLeft(wd.Delta(r.Delta28, r.New28), 7) + " " + fit(r.OwnerLabel, cols.owner) + " "
		styled := paint(st.ink.Primary, row[:len(" "+mark)]) + paint(st.ink.Item, row[len(" "+mark):])
		if flag != "" {
			k := st.ink.Warn
			switch {
			case r.Spike:
				k = st.ink.Error
			case r.Drop:
				k = st.ink.Hotkey
			}
			styled += paint(k, flag)
		}
		pw.p.reasons = append(pw.p.reasons, r.ID)
		pw.p.rowLine = append(pw.p.rowLine, len(pw.p.lines))
		pw.p.plain = append(pw.p.plain, row+flag)
		pw.add(styled)
	}
	if listed == 0 {
		pw.add("   " + paint(st.ink.Dim, "no contacts"))
	}
	if more := wd.MoreReasons(rest, restN); more != "" {
		pw.add("   " + paint(st.ink.Dim, more))
	}
}

// owner lays out one owner's line and notes, the praise column praiseW
// wide.
func (pw *pageWriter) owner(wd report.Words, o *report.OwnerRow, praiseW int) {
	st := pw.sh.styles
	flags := ""
	if len(o.Spikes) > 0 {
		flags = wd.Spikes(len(o.Spikes))
	}
	praise := ""
	if o.Praise > 0 {
		praise = wd.Praise(o.Praise)
	}
	head := "   " + fit(o.Label, 16) + padLeft(wd.Num(o.Count), 6) + padLeft(wd.Pct(o.Share, 1), 8) +
		"  Δ28 " + fit(wd.Delta(o.Delta28, o.New28), 7) + " "
	// head is 47 columns, then flags 4 and praise: the top reasons get the
	// rest.
	top := clip(strings.Join(o.TopLabels, ", "), pw.w-51-praiseW)
	pw.add(paint(st.ink.Item, head) + paint(st.ink.Error, fit(flags, 4)) + paint(st.ink.OK, fit(praise, praiseW)) +
		paint(st.ink.Dim, top))
	pw.notes(wd, o.Notes, len(o.Notes), len(o.Notes), false)
}

// notes lays out up to n notes and a line for the rest of total.
func (pw *pageWriter) notes(wd report.Words, notes []report.Note, n, total int, withDate bool) {
	st := pw.sh.styles
	for _, note := range notes[:min(n, len(notes))] {
		pw.para(st.ink.Dim, wd.Note(note, withDate), 5)
	}
	if shown := min(n, len(notes)); total > shown {
		pw.add("     " + paint(st.ink.Dim, wd.MoreNotes(total-shown)))
	}
}

// layout lays out the details of the reason d at width v.w.
func (d *reasonDetail) layout(sh *shared, v *summaryView) {
	v.pages++
	pw := &pageWriter{sh: sh, w: v.w, p: page{ver: v.pages}}
	st := sh.styles
	r := v.row(d.id)
	if r == nil || v.sum == nil {
		d.page = pw.p
		d.vp.SetContentLines(nil)
		return
	}
	s := v.sum
	wd := report.NewWords(s.Lang)
	pw.p.title = r.Label + " · " + wd.Date(v.key.day)

	kind := sh.tax.Kinds.Label(r.Kind, sh.locale, "en")
	if r.Treatment != "" {
		kind += " · " + sh.tax.Treatments.Label(r.Treatment, sh.locale, "en")
	}
	for _, f := range []struct {
		on   bool
		word string
	}{{r.CatchAll, "catch-all"}, {r.Praise, "praise"}, {r.Deprecated, "retired"}, {r.Unknown, "unknown reason"}} {
		if f.on {
			kind += " · " + f.word
		}
	}
	pw.para(st.ink.Dim, r.CategoryLabel+" · "+wd.Msg("owner")+": "+r.OwnerLabel+" · "+kind, 1)
	if rr, ok := sh.idx.byID[r.ID]; ok {
		pw.para(st.ink.Dim, rr.Description.Get(sh.locale, "en"), 1)
	}
	pw.blank()
	figures := wd.Num(r.Count) + " " + wd.Msg("contacts") + " · " + wd.Pct(r.Share, 1) + " · Δ7 " + wd.Delta(r.Delta7, r.New7) +
		" · Δ28 " + wd.Delta(r.Delta28, r.New28) + " · " + wd.Msg("median") + " " + wd.Dur(r.MedianS)
	if r.AlsoMentioned > 0 {
		figures += " · " + wd.Msg("also_mentioned") + " " + wd.Num(r.AlsoMentioned)
	}
	if r.RepeatRate != nil {
		figures += " · " + wd.Msg("repeat_rate") + " " + wd.Pct(*r.RepeatRate, 0) + " (n=" + wd.Num(r.WithRef) + ")"
	}
	pw.para(st.ink.Value, figures, 1)
	if ft := report.FlagText(r, s.Lang); ft != "" {
		k := st.ink.Hotkey
		if r.Spike {
			k = st.ink.Error
		}
		pw.para(k, ft, 1)
	}
	if tt := wd.Trend(r); tt != "" {
		pw.para(st.ink.Warn, tt, 1)
	}

	pw.blank()
	if n := len(r.Daily); n > 0 {
		top := 0
		for _, c := range r.Daily {
			top = max(top, c)
		}
		from := v.key.day.Add(-(n - 1))
		spark := report.Sparkline(r.Daily)
		if 2*n+16 <= pw.w {
			// Two columns a day read better than one.
			var b strings.Builder
			for _, c := range spark {
				b.WriteRune(c)
				b.WriteRune(c)
			}
			spark = b.String()
		}
		pw.add(" " + paint(st.ink.Label, "per day, the "+itoa(n-1)+" days before and the day itself (max "+wd.Num(top)+")"))
		pw.add(" " + paint(st.ink.Dim, wd.ShortDate(from)) + " " + paint(st.ink.Hotkey, spark) + " " +
			paint(st.ink.Dim, wd.ShortDate(v.key.day)))
	}

	pw.blank()
	pw.heading(wd.Msg("notes"), " · "+wd.ShortDate(v.key.day.Add(-notesDays))+"–"+wd.ShortDate(v.key.day))
	switch {
	case d.busy:
		pw.add("   " + paint(st.ink.Dim, "reading notes…"))
	case d.err != nil:
		pw.para(st.ink.Error, "⚠ Could not read the notes: "+d.err.Error(), 3)
	case len(d.notes) == 0:
		pw.add("   " + paint(st.ink.Dim, "no notes"))
	}
	for _, n := range d.notes {
		pw.para(st.ink.Value, wd.NoteAt(time.UnixMilli(n.StartedAt).In(sh.loc), n.Note, true), 3)
	}
	if len(d.notes) >= notesLimit {
		pw.add("   " + paint(st.ink.Dim, "… the newest "+itoa(notesLimit)+" shown"))
	}
	d.page = pw.p
	d.vp.SetContentLines(d.page.lines)
}

// padLeft right-aligns s in w columns.
func padLeft(s string, w int) string {
	if sw := ansi.StringWidth(s); sw < w {
		return spaces(w-sw) + s
	}
	return clip(s, w)
}

// frameKey is what the summary body's title line depends on.
type frameKey struct {
	ver, off, w, gen int
	detail, busy     bool
}

// frameCache holds the title line and the highlighted row of the body.
type frameCache struct {
	title lineCache[frameKey]
	sel   lineCache[[3]int]
}

// view draws the summary body: a title line and the page in view, h lines
// of w columns at most.
func (v *summaryView) view(sh *shared, fc *frameCache) []string {
	st := sh.styles
	pg, vp := &v.page, &v.vp
	if v.detail != nil {
		pg, vp = &v.detail.page, &v.detail.vp
	}
	top, rows := vp.YOffset(), max(1, v.h-1)
	k := frameKey{ver: pg.ver, off: top, w: v.w, gen: sh.gen, detail: v.detail != nil, busy: v.busy}
	out := make([]string, 0, v.h)
	out = append(out, fc.title.get(k, func() string {
		right := ""
		if v.busy {
			right = "computing… · "
		}
		if v.owner != "" && v.detail == nil {
			right += "owner: " + v.ownerLabel() + " · "
		}
		if n := len(pg.lines); n > rows {
			right += itoa(min(top+rows, n)) + "/" + itoa(n)
			switch {
			case top == 0:
				right += " ↓"
			case top+rows >= n:
				right += " ↑"
			default:
				right += " ↕"
			}
		}
		right = strings.TrimSuffix(right, " · ")
		return spread(paint(st.ink.PaneTitle, pg.title), paint(st.ink.Dim, right), v.w)
	}))
	selLine := -1
	if v.detail == nil && v.sel < len(pg.rowLine) {
		selLine = pg.rowLine[v.sel]
	}
	for i := top; i < top+rows && i < len(pg.lines); i++ {
		if i == selLine {
			out = append(out, fc.sel.get([3]int{pg.ver, v.sel, sh.gen}, func() string {
				return paint(st.ink.Selected, fit("▸"+pg.plain[v.sel][1:], v.w))
			}))
			continue
		}
		out = append(out, pg.lines[i])
	}
	for len(out) < v.h {
		out = append(out, "")
	}
	return out
}
