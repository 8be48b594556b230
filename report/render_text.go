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

// textColumn is one column of a text table.
type textColumn struct {
	key   string
	width int
	right bool
	// keep marks a column whose cells must never be cut (numbers): it
	// widens to its widest cell, taking the columns from the text columns.
	keep bool
}

// minTextColumn is the narrowest a text column gets to make room for
// numbers.
const minTextColumn = 8

// fitColumns widens every keep column to its widest cell in rows (cells by
// column key). When the table is then wider than room columns, it takes
// the difference from the columns listed in shrink, in that order, down to
// minTextColumn each; their cells are cut.
func fitColumns(cols []textColumn, rows []map[string]string, room int, shrink ...int) {
	total := len(cols) - 1 // the spaces between columns
	for i := range cols {
		c := &cols[i]
		for _, r := range rows {
			if w := ansi.StringWidth(r[c.key]); c.keep && w > c.width {
				c.width = w
			}
		}
		total += c.width
	}
	for _, i := range shrink {
		cut := min(max(0, total-room), max(0, cols[i].width-minTextColumn))
		cols[i].width -= cut
		total -= cut
	}
}

// reasonTable returns the reason table's columns for a width: at 100, 2 +
// 28 + 6 + 7 + 7 + 7 + 6 + 13 + 15 + 8 separating spaces = 99 columns; a
// narrower table drops Δ7, then narrows the label and owner columns.
func reasonTable(width int) []textColumn {
	cols := []textColumn{
		{"reason", 28, false, false}, {"count", 6, true, true}, {"share", 7, true, true}, {"Δ7", 7, true, true},
		{"Δ28", 7, true, true}, {"median", 6, true, true}, {"owner", 13, false, false}, {"flag", 15, false, false},
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
	t.writeOwners(p, s.Owners)

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
	rows, rest, restN := p.listReasons(s, maxRows)
	head := map[string]string{}
	for _, c := range table {
		head[c.key] = p.msg(c.key)
	}
	cells := []map[string]string{head}
	for _, r := range rows {
		cells = append(cells, map[string]string{"reason": r.Label, "count": p.num(r.Count), "share": p.pct(r.Share, 1),
			"Δ7": p.delta(r.Delta7, r.New7), "Δ28": p.delta(r.Delta28, r.New28), "median": p.durp(r.MedianS),
			"owner": r.OwnerLabel, "flag": r.Flag})
	}
	fitColumns(table, cells, t.width-2, 0, len(table)-2, len(table)-1)
	t.line(t.style(sgrDim, t.tableRow("  ", table, head, "")))
	for i, r := range rows {
		mark := "  "
		if r.Vital {
			mark = "• "
		}
		last := ""
		switch {
		case r.Spike:
			last = sgrRed
		case r.Drop:
			last = sgrCyan
		case r.Trend != nil && r.Trend.Spike:
			last = sgrYellow
		}
		t.line(t.tableRow(mark, table, cells[i+1], last))
	}
	if more := p.moreReasons(rest, restN); more != "" {
		t.line(t.style(sgrDim, "  "+more))
	}
	if also := p.alsoMentioned(s.Reasons, 8); also != "" {
		t.para("  "+p.msg("also_mentioned")+": "+also, 4, sgrDim)
	}
}

// tableRow lays out one row of a table after prefix: each cell padded to
// its column, the last one cut to what is left of the line and styled with
// lastStyle (none when "").
func (t *textWriter) tableRow(prefix string, cols []textColumn, cells map[string]string, lastStyle string) string {
	var b strings.Builder
	b.WriteString(prefix)
	for j, c := range cols {
		if j > 0 {
			b.WriteByte(' ')
		}
		if j < len(cols)-1 {
			b.WriteString(cell(cells[c.key], c.width, c.right))
			continue
		}
		w := min(c.width, t.width-ansi.StringWidth(b.String()))
		text := strings.TrimRight(cell(cells[c.key], max(w, 0), c.right), " ")
		if lastStyle != "" {
			text = t.style(lastStyle, text)
		}
		b.WriteString(text)
	}
	return strings.TrimRight(b.String(), " ")
}

// writeOwners writes a line per owner, each followed by its notes.
func (t *textWriter) writeOwners(p printer, owners []OwnerRow) {
	cols := []textColumn{{"label", 18, false, false}, {"count", 6, true, true}, {"share", 7, true, true},
		{"delta", 11, true, true}, {"minutes", 11, true, true}, {"flags", 3, false, true},
		{"praise", 9, false, true}, {"tops", 4, false, false}}
	cells := make([]map[string]string, len(owners))
	for i, o := range owners {
		c := map[string]string{"label": o.Label, "count": p.num(o.Count), "share": p.pct(o.Share, 1),
			"delta": "Δ28 " + p.delta(o.Delta28, o.New28), "minutes": p.num(int(o.Minutes+0.5)) + " min",
			"tops": strings.Join(o.TopLabels, ", ")}
		if len(o.Spikes) > 0 {
			c["flags"] = p.msgf("spikes_n", len(o.Spikes))
		}
		if o.Praise > 0 {
			c["praise"] = p.msgf("praise_short", p.num(o.Praise))
		}
		cells[i] = c
	}
	// The owner's top reasons get at least a few columns, and then the
	// rest of the line.
	fitColumns(cols, cells, t.width-2, 0)
	cols[len(cols)-1].width = t.width
	for i, o := range owners {
		line := t.tableRow("  ", cols, cells[i], "")
		if flags := cells[i]["flags"]; flags != "" {
			line = strings.Replace(line, flags, t.style(sgrRed, flags), 1)
		}
		t.line(line)
		t.writeNotes(p, o.Notes, len(o.Notes), false, len(o.Notes))
	}
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
