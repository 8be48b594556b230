package report

import (
	"bufio"
	"io"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// TextOptions control the terminal rendering.
type TextOptions struct {
	// Color adds ANSI colours; the caller turns it off for NO_COLOR and
	// when the output is not a terminal.
	Color bool
	// Width is the most columns a line may take (0 means 100).
	Width int
	// MaxReasons is how many reasons the table lists before summing up the
	// rest; flagged reasons are always listed (0 means 15).
	MaxReasons int
}

// ANSI styles of the text rendering.
const (
	sgrBold   = "\x1b[1m"
	sgrDim    = "\x1b[2m"
	sgrRed    = "\x1b[31m"
	sgrYellow = "\x1b[33m"
	sgrCyan   = "\x1b[36m"
	sgrReset  = "\x1b[0m"
)

// textWriter writes lines of at most width columns, with optional colour.
type textWriter struct {
	w     *bufio.Writer
	color bool
	width int
}

// style wraps s in an SGR sequence when colour is on.
func (t *textWriter) style(sgr, s string) string {
	if !t.color || s == "" {
		return s
	}
	return sgr + s + sgrReset
}

func (t *textWriter) line(s string) { t.w.WriteString(s); t.w.WriteByte('\n') }

// para writes text wrapped at the width, continuation lines indented by
// indent spaces. It breaks at " · " first, then at spaces.
func (t *textWriter) para(text string, indent int, sgr string) {
	for _, l := range wrap(text, t.width, indent) {
		t.line(t.style(sgr, l))
	}
}

// wrap splits text into lines of at most width columns.
func wrap(text string, width, indent int) []string {
	var lines []string
	pad := strings.Repeat(" ", indent)
	cur := ""
	var words []string
	for _, w := range strings.SplitAfter(text, " ") {
		// Keep a " · " separator with the word after it, so lines break
		// before it rather than after.
		if n := len(words); n > 0 && words[n-1] == "· " {
			words[n-1] += w
			continue
		}
		words = append(words, w)
	}
	for _, word := range words {
		if cur != "" && ansi.StringWidth(strings.TrimRight(cur+word, " ")) > width {
			lines = append(lines, strings.TrimRight(cur, " "))
			cur = pad
		}
		for ansi.StringWidth(cur+word) > width && ansi.StringWidth(cur) == len(pad) {
			// A single word longer than the line: cut it.
			cut := ansi.Truncate(cur+word, width, "")
			lines = append(lines, cut)
			word = strings.TrimPrefix(cur+word, cut)
			cur = pad
		}
		cur += word
	}
	if strings.TrimSpace(cur) != "" {
		lines = append(lines, strings.TrimRight(cur, " "))
	}
	return lines
}

// cell pads or truncates s to exactly w columns, right-aligned if right.
func cell(s string, w int, right bool) string {
	if ansi.StringWidth(s) > w {
		s = ansi.Truncate(s, w, "…")
	}
	gap := strings.Repeat(" ", w-ansi.StringWidth(s))
	if right {
		return gap + s
	}
	return s + gap
}

// textColumn is one column of the reason table.
type textColumn struct {
	key   string
	width int
	right bool
}

// reasonTable returns the reason table's columns for a width: at 100, 2 +
// 28 + 6 + 7 + 7 + 7 + 6 + 13 + 15 + 8 separating spaces = 99 columns; a
// narrower table drops Δ7, then narrows the label and owner columns.
func reasonTable(width int) []textColumn {
	cols := []textColumn{
		{"reason", 28, false}, {"count", 6, true}, {"share", 7, true}, {"Δ7", 7, true}, {"Δ28", 7, true},
		{"median", 6, true}, {"owner", 13, false}, {"flag", 15, false},
	}
	over := 99 - width
	if over <= 0 {
		return cols
	}
	cols = slices.Delete(cols, 3, 4)
	over -= 8
	if over > 0 {
		cut := min(over, 12)
		cols[0].width -= cut
		over -= cut
	}
	if over > 0 {
		cols[5].width -= min(over, 5)
	}
	return cols
}

// WriteText renders s for a terminal: aligned, at most o.Width columns.
func WriteText(w io.Writer, s *Summary, o TextOptions) error {
	if o.Width <= 0 {
		o.Width = 100
	}
	if o.MaxReasons <= 0 {
		o.MaxReasons = 15
	}
	t := &textWriter{w: bufio.NewWriter(w), color: o.Color, width: o.Width}
	p := printer{s.Lang}
	ph := NewPhrases(s)

	t.para(ph.Title, 2, sgrBold)
	volumeStyle := ""
	if s.Volume.Spike {
		volumeStyle = sgrRed
	} else if s.Volume.Drop {
		volumeStyle = sgrCyan
	}
	t.para(ph.Volume, 2, volumeStyle)
	if len(s.Hours) > 0 {
		counts := make([]int, len(s.Hours))
		for i, h := range s.Hours {
			counts[i] = h.Count
		}
		t.line(t.style(sgrDim, cell(p.msg("hours"), 10, false)) + "00 " + Sparkline(counts) + " 24")
	} else if len(s.Daily) > 0 {
		counts := make([]int, 0, len(s.Daily))
		for _, d := range s.Daily[max(0, len(s.Daily)-60):] {
			counts = append(counts, d.Count)
		}
		t.line(t.style(sgrDim, cell(p.msg("days_series"), 10, false)) + Sparkline(counts))
	}
	for _, n := range ph.Notices {
		t.para("! "+n, 2, sgrYellow)
	}

	t.line("")
	t.para(p.msg("fix_first")+": "+ph.FixFirst, 2, sgrBold)
	for _, extra := range []string{ph.FixFirstMinutes, ph.FixFirst7d} {
		if extra != "" {
			t.para("  "+extra, 4, sgrDim)
		}
	}
	t.writeReasons(s, p, o.MaxReasons)
	if ph.Categories != "" {
		t.para("  "+p.msg("categories")+": "+ph.Categories, 4, sgrDim)
	}

	t.line("")
	t.line(t.style(sgrBold, p.msg("flags")))
	flagged := false
	for i := range s.Reasons {
		r := &s.Reasons[i]
		if ft := FlagText(r, s.Lang); ft != "" {
			flagged = true
			t.para("  "+ft, 4, map[bool]string{true: sgrRed, false: sgrCyan}[r.Spike])
		}
	}
	for i := range s.Reasons {
		r := &s.Reasons[i]
		if r.Trend != nil && r.Trend.Spike && s.Days == 1 {
			flagged = true
			t.para("  ↗ "+r.Label+" "+p.msgf("trend", p.num(r.Trend.Count), p.dec(r.Trend.Expected, 1),
				p.dec(r.Trend.Ratio, 1), p.pvalue(r.Trend.PValue)), 4, sgrYellow)
		}
	}
	if !flagged {
		t.line(t.style(sgrDim, "  "+p.msg("no_flags")))
	}

	t.line("")
	t.para(ph.Split, 2, "")
	if ph.Repeats != "" {
		t.para(ph.Repeats, 2, "")
		if ph.Chains != "" {
			t.para("  "+p.msg("chains")+": "+ph.Chains, 4, sgrDim)
		}
		if ph.RepeatReasons != "" {
			t.para("  "+p.msg("repeat_reasons")+": "+ph.RepeatReasons, 4, sgrDim)
		}
	}
	t.para(ph.FCR, 2, "")
	if len(s.FCR.Lowest) > 0 {
		t.para("  "+p.msg("fcr_lowest")+": "+p.lowestFCR(s.FCR.Lowest), 4, sgrDim)
	}
	t.para(ph.Handle, 2, "")

	t.line("")
	t.line(t.style(sgrBold, p.msg("owners")))
	for _, o := range s.Owners {
		t.writeOwner(p, &o)
	}

	t.line("")
	t.line(t.style(sgrBold, p.msg("praise")))
	if len(s.Praise) == 0 {
		t.line(t.style(sgrDim, "  "+p.msg("no_praise")))
	}
	for _, pr := range s.Praise {
		t.para("  "+pr.Label+" → "+pr.OwnerLabel+": "+p.num(pr.Count), 4, "")
		t.writeNotes(p, pr.Notes, 3, s.Days > 1, len(pr.Notes))
	}

	t.line("")
	t.para(p.msg("health")+": "+ph.Health, 2, healthStyle(s.Health.Level))
	if len(s.Health.CatchAllNotes) > 0 {
		t.line("  " + p.msg("recode") + ":")
		t.writeNotes(p, s.Health.CatchAllNotes, 5, s.Days > 1, s.Health.CatchAllNotesTotal)
	}
	if len(s.Health.Unused) > 0 {
		var ls []string
		for _, u := range s.Health.Unused {
			ls = append(ls, u.Label)
		}
		t.para("  "+p.msgf("unused", s.Health.UnusedDays)+": "+strings.Join(ls, ", "), 4, sgrDim)
	}
	if len(s.Agents) > 0 {
		t.line("")
		t.line(t.style(sgrBold, p.msg("agents")))
		for _, a := range s.Agents {
			t.line("  " + cell(a.Agent, 20, false) + " " + cell(p.num(a.Count), 6, true) + " " +
				cell(p.pct(a.Share, 1), 7, true) + "  " + cell(p.msg("catch_all"), 8, false) + " " +
				cell(p.pct(a.CatchAllShare, 0), 5, true) + "  " + p.durp(a.MedianS))
		}
	}
	return t.w.Flush()
}

func healthStyle(level string) string {
	switch level {
	case "alert":
		return sgrRed
	case "warn":
		return sgrYellow
	}
	return ""
}

// writeReasons writes the reason table: the first max reasons by count,
// every flagged one, and a line summing up the rest.
func (t *textWriter) writeReasons(s *Summary, p printer, maxRows int) {
	table := reasonTable(t.width)
	var head strings.Builder
	head.WriteString("  ")
	for i, c := range table {
		if i > 0 {
			head.WriteByte(' ')
		}
		head.WriteString(cell(p.msg(c.key), c.width, c.right))
	}
	t.line(t.style(sgrDim, strings.TrimRight(head.String(), " ")))
	rows, rest, restN := p.listReasons(s, maxRows)
	for _, r := range rows {
		mark := "  "
		if r.Vital {
			mark = "• "
		}
		cells := map[string]string{"reason": r.Label, "count": p.num(r.Count), "share": p.pct(r.Share, 1),
			"Δ7": p.delta(r.Delta7, r.New7), "Δ28": p.delta(r.Delta28, r.New28), "median": p.durp(r.MedianS),
			"owner": r.OwnerLabel, "flag": r.Flag}
		var b strings.Builder
		b.WriteString(mark)
		for j, c := range table {
			if j > 0 {
				b.WriteByte(' ')
			}
			text := cell(cells[c.key], c.width, c.right)
			if j == len(table)-1 {
				text = strings.TrimRight(text, " ")
				switch {
				case r.Spike:
					text = t.style(sgrRed, text)
				case r.Drop:
					text = t.style(sgrCyan, text)
				case r.Trend != nil && r.Trend.Spike:
					text = t.style(sgrYellow, text)
				}
			}
			b.WriteString(text)
		}
		t.line(strings.TrimRight(b.String(), " "))
	}
	if more := p.moreReasons(rest, restN); more != "" {
		t.line(t.style(sgrDim, "  "+more))
	}
	if also := p.alsoMentioned(s.Reasons, 8); also != "" {
		t.para("  "+p.msg("also_mentioned")+": "+also, 4, sgrDim)
	}
}

// writeOwner writes one owner's line and its notes.
func (t *textWriter) writeOwner(p printer, o *OwnerRow) {
	var b strings.Builder
	b.WriteString("  ")
	b.WriteString(cell(o.Label, 18, false))
	b.WriteString(" " + cell(p.num(o.Count), 6, true))
	b.WriteString(" " + cell(p.pct(o.Share, 1), 7, true))
	b.WriteString(" " + cell("Δ28 "+p.delta(o.Delta28, o.New28), 11, true))
	b.WriteString(" " + cell(p.num(int(o.Minutes+0.5))+" min", 11, true))
	flags := ""
	if len(o.Spikes) > 0 {
		flags = p.msgf("spikes_n", len(o.Spikes))
	}
	b.WriteString(" " + cell(flags, 3, false))
	praise := ""
	if o.Praise > 0 {
		praise = p.msgf("praise_short", o.Praise)
	}
	b.WriteString(" " + cell(praise, 9, false))
	b.WriteString(" " + ansi.Truncate(strings.Join(o.TopLabels, ", "), t.width-ansi.StringWidth(b.String())-1, "…"))
	line := strings.TrimRight(b.String(), " ")
	if len(o.Spikes) > 0 {
		line = strings.Replace(line, flags, t.style(sgrRed, flags), 1)
	}
	t.line(line)
	t.writeNotes(p, o.Notes, len(o.Notes), false, len(o.Notes))
}

// writeNotes writes up to n notes, indented, with a line for the rest of
// total.
func (t *textWriter) writeNotes(p printer, notes []Note, n int, withDate bool, total int) {
	for _, note := range notes[:min(n, len(notes))] {
		t.para("    "+p.clock(note.At, withDate)+" «"+note.Text+"»", 10, sgrDim)
	}
	if total > n {
		t.line(t.style(sgrDim, "    "+p.msgf("more_notes", p.num(total-min(n, len(notes))))))
	}
}
