package report

import (
	"bufio"
	"io"
	"strings"
)

// mdEscaper escapes what Markdown (and a table cell) would read as markup.
// A "<" is escaped only where it could open an HTML tag, so "p<0,001" stays
// readable in chats that show Markdown as plain text.
var mdEscaper = strings.NewReplacer("|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`,
	"#", `\#`, "\n", " ", "\r", " ")

func md(s string) string {
	s = mdEscaper.Replace(s)
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		if r == '<' && i+1 < len(s) {
			if c := s[i+1]; c == '/' || c == '!' || c == '?' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
				b.WriteString("&lt;")
				continue
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// WriteMarkdown renders s as Markdown for a chat or a wiki page.
func WriteMarkdown(w io.Writer, s *Summary) error {
	b := bufio.NewWriter(w)
	p := printer{s.Lang}
	ph := NewPhrases(s)
	line := func(parts ...string) {
		for _, x := range parts {
			b.WriteString(x)
		}
		b.WriteByte('\n')
	}
	line("## ", md(ph.Title))
	line()
	line("**", md(ph.Volume), "**")
	if len(ph.Notices) > 0 {
		line()
		for _, n := range ph.Notices {
			line("> ", md(n))
		}
	}
	line()
	line("### ", md(p.msg("fix_first")))
	line()
	line(md(ph.FixFirst))
	for _, x := range []string{ph.FixFirstMinutes, ph.FixFirst7d} {
		if x != "" {
			line("· ", md(x))
		}
	}
	line()
	line("| ", p.msg("reason"), " | ", p.msg("count"), " | ", p.msg("share"), " | ", p.msg("baseline28"), " | Δ7 | Δ28 | ",
		p.msg("median"), " | ", p.msg("owner"), " | ", p.msg("flag"), " |")
	line("|---|---:|---:|---:|---:|---:|---:|---|---|")
	rows, rest, restN := p.listReasons(s, 20)
	for _, r := range rows {
		label := md(r.Label)
		if r.Vital {
			label = "**" + label + "**"
		}
		line("| ", label, " | ", p.num(r.Count), " | ", p.pct(r.Share, 1), " | ", p.decp(r.B28, 1), " | ", p.delta(r.Delta7, r.New7), " | ",
			p.delta(r.Delta28, r.New28), " | ", p.durp(r.MedianS), " | ", md(r.OwnerLabel), " | ", md(r.Flag), " |")
	}
	if more := p.moreReasons(rest, restN); more != "" {
		line()
		line("_", md(more), "_")
	}
	if also := p.alsoMentioned(s.Reasons, 8); also != "" {
		line()
		line(md(p.msg("also_mentioned")), ": ", md(also))
	}
	if ph.Categories != "" {
		line()
		line(md(p.msg("categories")), ": ", md(ph.Categories))
	}

	line()
	line("### ", md(p.msg("flags")))
	line()
	flagged := false
	for i := range s.Reasons {
		if ft := FlagText(&s.Reasons[i], s.Lang); ft != "" {
			flagged = true
			line("- ", md(ft))
		}
	}
	if !flagged {
		line("- ", md(p.msg("no_flags")))
	}
	line()
	line("### ", md(p.msg("overview")))
	line()
	line("- ", md(ph.Split))
	if ph.Repeats != "" {
		line("- ", md(ph.Repeats))
		if ph.Chains != "" {
			line("  - ", md(p.msg("chains")), ": ", md(ph.Chains))
		}
		if ph.RepeatReasons != "" {
			line("  - ", md(p.msg("repeat_reasons")), ": ", md(ph.RepeatReasons))
		}
	}
	line("- ", md(ph.FCR))
	if len(s.FCR.Lowest) > 0 {
		line("  - ", md(p.msg("fcr_lowest")), ": ", md(p.lowestFCR(s.FCR.Lowest)))
	}
	line("- ", md(ph.Handle))

	line()
	line("### ", md(p.msg("owners")))
	line()
	line("| ", p.msg("owner"), " | ", p.msg("count"), " | ", p.msg("share"), " | Δ28 | ", p.msg("minutes"), " | ⚠ | ",
		p.msg("praise_col"), " | ", p.msg("top"), " |")
	line("|---|---:|---:|---:|---:|---:|---:|---|")
	for _, o := range s.Owners {
		line("| ", md(o.Label), " | ", p.num(o.Count), " | ", p.pct(o.Share, 1), " | ", p.delta(o.Delta28, o.New28), " | ",
			p.num(int(o.Minutes+0.5)), " | ", p.num(len(o.Spikes)), " | ", p.num(o.Praise), " | ",
			md(strings.Join(o.TopLabels, ", ")), " |")
	}

	line()
	line("### ", md(p.msg("praise")))
	line()
	if len(s.Praise) == 0 {
		line("- ", md(p.msg("no_praise")))
	}
	for _, pr := range s.Praise {
		line("- **", md(pr.Label), "** → ", md(pr.OwnerLabel), ": ", p.num(pr.Count))
		for _, n := range pr.Notes {
			line("  - ", p.clock(n.At, s.Days > 1), " ", md(n.Text))
		}
	}

	line()
	line("### ", md(p.msg("health")))
	line()
	line(md(ph.Health))
	if len(s.Health.CatchAllNotes) > 0 {
		line()
		line(md(p.msg("recode")), ":")
		line()
		for _, n := range s.Health.CatchAllNotes {
			line("- ", p.clock(n.At, s.Days > 1), " ", md(n.Text))
		}
		if more := s.Health.CatchAllNotesTotal - len(s.Health.CatchAllNotes); more > 0 {
			line("- ", md(p.msgf("more_notes", p.num(more))))
		}
	}
	if len(s.Health.Unused) > 0 {
		var ls []string
		for _, u := range s.Health.Unused {
			ls = append(ls, md(u.Label))
		}
		line()
		line(md(p.msgf("unused", s.Health.UnusedDays)), ": ", strings.Join(ls, ", "))
	}
	if len(s.Agents) > 0 {
		line()
		line("### ", md(p.msg("agents")))
		line()
		line("| Agent | ", p.msg("count"), " | ", p.msg("share"), " | ", md(p.msg("catch_all")), " | ", p.msg("median"), " |")
		line("|---|---:|---:|---:|---:|")
		for _, a := range s.Agents {
			line("| ", md(a.Agent), " | ", p.num(a.Count), " | ", p.pct(a.Share, 1), " | ", p.pct(a.CatchAllShare, 0), " | ", p.durp(a.MedianS), " |")
		}
	}
	return b.Flush()
}
