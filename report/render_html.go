package report

import (
	"fmt"
	"html"
	"html/template"
	"io"
	"math"
	"strings"
)

// htmlView is what the HTML template reads: the phrases, and table rows
// with their numbers already formatted and their charts drawn.
type htmlView struct {
	Lang, Title string
	Ph          Phrases
	S           *Summary
	Msg         map[string]string
	HourChart   template.HTML
	SplitChart  template.HTML
	Reasons     []htmlReason
	More        string
	Flags       []htmlFlag
	Owners      []htmlOwner
	Praise      []htmlPraise
	Recode      []htmlNote
	RecodeMore  string
	Unused      string
	Lowest      string
	Also        string
	Agents      []htmlAgent
	Footer      string
}

type htmlReason struct {
	Label, Count, Share, B28, D7, D28, Median, Owner, Flag, FlagClass string
	Vital, Deprecated                                                 bool
	Bar, Spark                                                        template.HTML
}

type htmlFlag struct{ Text, Class string }

type htmlOwner struct {
	Label, Count, Share, D28, Minutes, Spikes, Praise, Top string
	Notes                                                  []htmlNote
}

type htmlPraise struct {
	Label, Owner, Count string
	Notes               []htmlNote
}

type htmlNote struct{ At, Text string }

type htmlAgent struct{ Agent, Count, Share, CatchAll, Median string }

// WriteHTML renders s as one self-contained HTML page: inline CSS, inline
// SVG charts, no scripts and nothing fetched from the network. It prints on
// A4 as it shows on screen.
func WriteHTML(w io.Writer, s *Summary) error {
	p := printer{s.Lang}
	v := htmlView{Lang: s.Lang, S: s, Ph: NewPhrases(s), Msg: map[string]string{}}
	v.Title = v.Ph.Title
	for k := range messages {
		v.Msg[k] = p.msg(k)
	}
	if len(s.Hours) > 0 {
		counts, labels := make([]int, len(s.Hours)), make([]string, len(s.Hours))
		for i, h := range s.Hours {
			counts[i], labels[i] = h.Count, fmt.Sprintf("%02d", h.Hour)
		}
		v.HourChart = barChart(counts, labels, 6, 640, 90)
	} else if len(s.Daily) > 0 {
		counts, labels := make([]int, len(s.Daily)), make([]string, len(s.Daily))
		for i, d := range s.Daily {
			counts[i] = d.Count
			if day, ok := parseDayString(d.Day); ok {
				labels[i] = p.shortDate(day)
			}
		}
		v.HourChart = barChart(counts, labels, 7, 640, 90)
	}
	v.SplitChart = stackedBar([]float64{s.Split.Irritant.Share, s.Split.Value.Share, s.Split.Uncoded.Share},
		[]string{"#c0392b", "#27ae60", "#95a5a6"}, 640, 14)

	top := 0.0
	for _, r := range s.Reasons {
		top = max(top, r.Share)
	}
	rows, rest, restN := p.listReasons(s, 40)
	for _, r := range rows {
		hr := htmlReason{Label: r.Label, Count: p.num(r.Count), Share: p.pct(r.Share, 1), B28: p.decp(r.B28, 1), D7: p.delta(r.Delta7, r.New7),
			D28: p.delta(r.Delta28, r.New28), Median: p.durp(r.MedianS), Owner: r.OwnerLabel, Flag: r.Flag,
			Vital: r.Vital, Deprecated: r.Deprecated, Bar: shareBar(r.Share, top, 60, 10), Spark: sparkline(r.Daily, 80, 18)}
		switch {
		case r.Spike:
			hr.FlagClass = "spike"
		case r.Drop:
			hr.FlagClass = "drop"
		case r.Flag != "":
			hr.FlagClass = "trend"
		}
		v.Reasons = append(v.Reasons, hr)
	}
	v.More = p.moreReasons(rest, restN)
	for i := range s.Reasons {
		r := &s.Reasons[i]
		if ft := FlagText(r, s.Lang); ft != "" {
			v.Flags = append(v.Flags, htmlFlag{ft, map[bool]string{true: "spike", false: "drop"}[r.Spike]})
		}
		if r.Trend != nil && r.Trend.Spike && s.Days == 1 {
			v.Flags = append(v.Flags, htmlFlag{"↗ " + r.Label + " " + p.msgf("trend", p.num(r.Trend.Count),
				p.dec(r.Trend.Expected, 1), p.dec(r.Trend.Ratio, 1), p.pvalue(r.Trend.PValue)), "trend"})
		}
	}
	notes := func(ns []Note) []htmlNote {
		var out []htmlNote
		for _, n := range ns {
			out = append(out, htmlNote{p.clock(n.At, s.Days > 1), n.Text})
		}
		return out
	}
	for _, o := range s.Owners {
		ho := htmlOwner{Label: o.Label, Count: p.num(o.Count), Share: p.pct(o.Share, 1), D28: p.delta(o.Delta28, o.New28),
			Minutes: p.num(int(o.Minutes + 0.5)), Top: strings.Join(o.TopLabels, ", "), Notes: notes(o.Notes)}
		if len(o.Spikes) > 0 {
			ho.Spikes = p.msgf("spikes_n", len(o.Spikes))
		}
		if o.Praise > 0 {
			ho.Praise = p.num(o.Praise)
		}
		v.Owners = append(v.Owners, ho)
	}
	for _, pr := range s.Praise {
		v.Praise = append(v.Praise, htmlPraise{pr.Label, pr.OwnerLabel, p.num(pr.Count), notes(pr.Notes)})
	}
	v.Recode = notes(s.Health.CatchAllNotes)
	if more := s.Health.CatchAllNotesTotal - len(s.Health.CatchAllNotes); more > 0 {
		v.RecodeMore = p.msgf("more_notes", p.num(more))
	}
	if len(s.Health.Unused) > 0 {
		var ls []string
		for _, u := range s.Health.Unused {
			ls = append(ls, u.Label)
		}
		v.Unused = p.msgf("unused", s.Health.UnusedDays) + ": " + strings.Join(ls, ", ")
	}
	v.Lowest = p.lowestFCR(s.FCR.Lowest)
	v.Also = p.alsoMentioned(s.Reasons, 12)
	for _, a := range s.Agents {
		v.Agents = append(v.Agents, htmlAgent{a.Agent, p.num(a.Count), p.pct(a.Share, 1), p.pct(a.CatchAllShare, 0), p.durp(a.MedianS)})
	}
	v.Footer = p.msg("generated") + " · " + s.Timezone + " · α=" + p.dec(s.Options.Alpha, 3)
	if err := htmlTemplate.Execute(w, v); err != nil {
		return fmt.Errorf("write summary HTML: %w", err)
	}
	return nil
}

// chartLabelWidth is the room a label below a bar chart takes, a date such
// as "26 Aug" in the chart's font with a gap after it.
const chartLabelWidth = 44

// barChart draws counts as vertical bars with a label below every step-th
// bar, or every second, third … step-th when the bars are too narrow for
// each step-th to have room; a label that would run past the right edge is
// left out.
func barChart(counts []int, labels []string, step, width, height int) template.HTML {
	top := 1
	for _, c := range counts {
		top = max(top, c)
	}
	n := max(len(counts), 1)
	bw := float64(width) / float64(n)
	step *= int(math.Ceil(chartLabelWidth / (float64(step) * bw)))
	ch := float64(height - 14)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" width="%d" height="%d" role="img">`, width, height, width, height)
	for i, c := range counts {
		h := ch * float64(c) / float64(top)
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#2c6fbb"><title>%s: %d</title></rect>`,
			float64(i)*bw+1, ch-h, max(bw-2, 1), h, html.EscapeString(labels[i]), c)
		if x := float64(i)*bw + 1; i%step == 0 && x+chartLabelWidth-8 <= float64(width) {
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="10" fill="#555">%s</text>`, x, height-2, html.EscapeString(labels[i]))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// sparkline draws a small line of daily counts, the last day as a dot.
func sparkline(counts []int, width, height int) template.HTML {
	if len(counts) < 2 {
		return ""
	}
	top := 1
	for _, c := range counts {
		top = max(top, c)
	}
	var pts []string
	x, y := 0.0, 0.0
	for i, c := range counts {
		x = float64(i) * float64(width-4) / float64(len(counts)-1)
		y = float64(height-3) - float64(height-6)*float64(c)/float64(top)
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", x+1, y))
	}
	return template.HTML(fmt.Sprintf(`<svg viewBox="0 0 %d %d" width="%d" height="%d"><polyline points="%s" fill="none" stroke="#2c6fbb" stroke-width="1.2"/><circle cx="%.1f" cy="%.1f" r="2" fill="#c0392b"/></svg>`,
		width, height, width, height, strings.Join(pts, " "), x+1, y))
}

// shareBar draws a horizontal bar of share against the largest share.
func shareBar(share, top float64, width, height int) template.HTML {
	w := 0.0
	if top > 0 {
		w = float64(width) * share / top
	}
	return template.HTML(fmt.Sprintf(`<svg viewBox="0 0 %d %d" width="%d" height="%d"><rect width="%.1f" height="%d" fill="#2c6fbb"/></svg>`,
		width, height, width, height, w, height))
}

// stackedBar draws shares side by side in one bar.
func stackedBar(shares []float64, colors []string, width, height int) template.HTML {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg viewBox="0 0 %d %d" width="%d" height="%d">`, width, height, width, height)
	x := 0.0
	for i, s := range shares {
		w := s * float64(width)
		fmt.Fprintf(&b, `<rect x="%.1f" width="%.1f" height="%d" fill="%s"/>`, x, w, height, colors[i])
		x += w
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

var htmlTemplate = template.Must(template.New("summary").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
  :root { color-scheme: light; }
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
         color: #1d2329; background: #fff; margin: 0 auto; max-width: 960px; padding: 24px; }
  h1 { font-size: 22px; margin: 0 0 4px; }
  h2 { font-size: 16px; margin: 24px 0 8px; border-bottom: 1px solid #d5dbe1; padding-bottom: 3px; }
  p { margin: 4px 0; }
  .lead { font-size: 16px; }
  .muted { color: #5b6670; }
  .notice { background: #fff7e0; border-left: 4px solid #e5a50a; padding: 6px 10px; margin: 8px 0; }
  table { border-collapse: collapse; width: 100%; margin: 6px 0; }
  th, td { padding: 3px 6px; border-bottom: 1px solid #e6eaee; text-align: left; vertical-align: middle; }
  th { font-weight: 600; color: #5b6670; font-size: 12px; }
  td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
  tr.vital td:first-child { font-weight: 600; }
  tr.vital td:first-child::before { content: "● "; color: #2c6fbb; }
  table.reasons { font-size: 13px; }
  table.reasons td, table.reasons th { padding: 3px 4px; }
  td.flag { white-space: nowrap; }
  .spike { color: #b42318; font-weight: 600; }
  .drop { color: #1f6f8b; font-weight: 600; }
  .trend { color: #a15c00; }
  .dep { color: #5b6670; font-style: italic; }
  ul { margin: 4px 0; padding-left: 20px; }
  li { margin: 2px 0; }
  .note { color: #3d4750; }
  .note time { color: #5b6670; font-variant-numeric: tabular-nums; margin-right: 6px; }
  svg { vertical-align: middle; }
  .legend span { display: inline-block; margin-right: 14px; }
  .legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: -1px; }
  footer { margin-top: 28px; font-size: 12px; color: #5b6670; }
  @media print {
    body { padding: 0; max-width: none; font-size: 11px; }
    table.reasons { font-size: 10px; }
    h2 { break-after: avoid; }
    tr, li, .notice { break-inside: avoid; }
    @page { size: A4; margin: 14mm; }
  }
</style>
</head>
<body>
<header>
<h1>{{.Ph.Title}}</h1>
<p class="lead">{{if .S.Volume.Spike}}<span class="spike">{{.Ph.Volume}}</span>{{else if .S.Volume.Drop}}<span class="drop">{{.Ph.Volume}}</span>{{else}}{{.Ph.Volume}}{{end}}</p>
{{if .HourChart}}<div>{{.HourChart}}</div>{{end}}
{{range .Ph.Notices}}<div class="notice">{{.}}</div>{{end}}
</header>

<section>
<h2>{{index .Msg "fix_first"}}</h2>
<p><strong>{{.Ph.FixFirst}}</strong></p>
{{if .Ph.FixFirstMinutes}}<p class="muted">{{.Ph.FixFirstMinutes}}</p>{{end}}
{{if .Ph.FixFirst7d}}<p class="muted">{{.Ph.FixFirst7d}}</p>{{end}}
<table class="reasons">
<thead><tr><th>{{index .Msg "reason"}}</th><th></th><th class="n">{{index .Msg "count"}}</th><th class="n">{{index .Msg "share"}}</th>
<th class="n">{{index .Msg "baseline28"}}</th><th class="n">Δ7</th><th class="n">Δ28</th><th class="n">{{index .Msg "median"}}</th><th>{{index .Msg "owner"}}</th><th>28 d</th><th>{{index .Msg "flag"}}</th></tr></thead>
<tbody>
{{range .Reasons}}<tr{{if .Vital}} class="vital"{{end}}><td{{if .Deprecated}} class="dep"{{end}}>{{.Label}}</td><td>{{.Bar}}</td><td class="n">{{.Count}}</td><td class="n">{{.Share}}</td>
<td class="n">{{.B28}}</td><td class="n">{{.D7}}</td><td class="n">{{.D28}}</td><td class="n">{{.Median}}</td><td>{{.Owner}}</td><td>{{.Spark}}</td><td class="flag {{.FlagClass}}">{{.Flag}}</td></tr>
{{end}}</tbody>
</table>
{{if .More}}<p class="muted">{{.More}}</p>{{end}}
{{if .Also}}<p class="muted">{{index .Msg "also_mentioned"}}: {{.Also}}</p>{{end}}
{{if .Ph.Categories}}<p>{{index .Msg "categories"}}: {{.Ph.Categories}}</p>{{end}}
</section>

<section>
<h2>{{index .Msg "flags"}}</h2>
{{if .Flags}}<ul>{{range .Flags}}<li class="{{.Class}}">{{.Text}}</li>{{end}}</ul>{{else}}<p class="muted">{{index .Msg "no_flags"}}</p>{{end}}
</section>

<section>
<h2>{{index .Msg "overview"}}</h2>
<p>{{.Ph.Split}}</p>
<div>{{.SplitChart}}</div>
<p class="legend"><span><i style="background:#c0392b"></i>{{index .Msg "kind_irritant"}}</span><span><i style="background:#27ae60"></i>{{index .Msg "kind_value"}}</span><span><i style="background:#95a5a6"></i>{{index .Msg "uncoded"}}</span></p>
{{if .Ph.Repeats}}<p>{{.Ph.Repeats}}</p>{{end}}
{{if .Ph.Chains}}<p class="muted">{{index .Msg "chains"}}: {{.Ph.Chains}}</p>{{end}}
{{if .Ph.RepeatReasons}}<p class="muted">{{index .Msg "repeat_reasons"}}: {{.Ph.RepeatReasons}}</p>{{end}}
<p>{{.Ph.FCR}}</p>
{{if .Lowest}}<p class="muted">{{index .Msg "fcr_lowest"}}: {{.Lowest}}</p>{{end}}
<p>{{.Ph.Handle}}</p>
</section>

<section>
<h2>{{index .Msg "owners"}}</h2>
<table>
<thead><tr><th>{{index .Msg "owner"}}</th><th class="n">{{index .Msg "count"}}</th><th class="n">{{index .Msg "share"}}</th><th class="n">Δ28</th>
<th class="n">{{index .Msg "minutes"}}</th><th class="n">⚠</th><th class="n">{{index .Msg "praise_col"}}</th><th>{{index .Msg "top"}}</th></tr></thead>
<tbody>
{{range .Owners}}<tr><td>{{.Label}}</td><td class="n">{{.Count}}</td><td class="n">{{.Share}}</td><td class="n">{{.D28}}</td><td class="n">{{.Minutes}}</td>
<td class="n spike">{{.Spikes}}</td><td class="n">{{.Praise}}</td><td>{{.Top}}{{range .Notes}}<div class="note"><time>{{.At}}</time>{{.Text}}</div>{{end}}</td></tr>
{{end}}</tbody>
</table>
</section>

<section>
<h2>{{index .Msg "praise"}}</h2>
{{if .Praise}}<ul>{{range .Praise}}<li><strong>{{.Label}}</strong> → {{.Owner}}: {{.Count}}
{{range .Notes}}<div class="note"><time>{{.At}}</time>{{.Text}}</div>{{end}}</li>{{end}}</ul>
{{else}}<p class="muted">{{index .Msg "no_praise"}}</p>{{end}}
</section>

<section>
<h2>{{index .Msg "health"}}</h2>
<p>{{.Ph.Health}}</p>
{{if .Recode}}<p>{{index .Msg "recode"}}:</p><ul>{{range .Recode}}<li class="note"><time>{{.At}}</time>{{.Text}}</li>{{end}}</ul>{{end}}
{{if .RecodeMore}}<p class="muted">{{.RecodeMore}}</p>{{end}}
{{if .Unused}}<p class="muted">{{.Unused}}</p>{{end}}
</section>

{{if .Agents}}<section>
<h2>{{index .Msg "agents"}}</h2>
<table><thead><tr><th>Agent</th><th class="n">{{index .Msg "count"}}</th><th class="n">{{index .Msg "share"}}</th><th class="n">{{index .Msg "catch_all"}}</th><th class="n">{{index .Msg "median"}}</th></tr></thead>
<tbody>{{range .Agents}}<tr><td>{{.Agent}}</td><td class="n">{{.Count}}</td><td class="n">{{.Share}}</td><td class="n">{{.CatchAll}}</td><td class="n">{{.Median}}</td></tr>{{end}}</tbody></table>
</section>{{end}}

<footer>{{.Footer}}</footer>
</body>
</html>
`))
