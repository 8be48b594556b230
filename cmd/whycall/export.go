package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"whycall/report"
	"whycall/store"
)

// exportFlags are the flags of `whycall export`, as given.
type exportFlags struct {
	from, to  string
	team      string
	format    string
	shape     string
	excel     bool
	delimiter string
	raw       bool
	out       string
}

func newExportCmd(a *app) *cobra.Command {
	var f exportFlags
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write finished contacts as CSV or JSONL for Excel, BI tools or the CRM team",
		Long: `Export writes every finished, not deleted contact that started on the days
--from to --to (local calendar days in the configured time zone, inclusive),
one row per contact, or with --shape reason one row per (contact, reason)
for pivot tables. The columns are listed in the README; their names do not
change between versions.

CSV cells that a spreadsheet would run as a formula (starting with = + - @,
a tab or a carriage return) get a leading single quote; --raw writes them
as stored. --excel writes what Norwegian and Swedish Excel open directly:
a UTF-8 byte order mark, ';' between cells and CRLF line ends.

A file given with --out is written under a temporary name and renamed when
complete, so a failed export never leaves a half file.`,
		Example: `  whycall export --excel --out contacts.csv
  whycall export --from 2025-03-01 --to 2025-03-31 --team support > march.csv
  whycall export --format jsonl --shape reason --out reasons.jsonl`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runExport(cmd.Context(), f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.from, "from", "", "first day, YYYY-MM-DD (default: the first contact)")
	fl.StringVar(&f.to, "to", "", "last day, YYYY-MM-DD, inclusive (default: the last contact)")
	fl.StringVar(&f.team, "team", "", "only this team's contacts")
	fl.StringVar(&f.format, "format", "csv", "csv or jsonl")
	fl.StringVar(&f.shape, "shape", "contact", "contact (one row per contact) or reason (one row per contact and reason)")
	fl.BoolVar(&f.excel, "excel", false, "CSV for Nordic Excel: UTF-8 byte order mark, ';' and CRLF")
	fl.StringVar(&f.delimiter, "delimiter", "", "CSV cell separator, one character (default ',', or ';' with --excel; 'tab' for a tab)")
	fl.BoolVar(&f.raw, "raw", false, "write cells as stored, without the formula guard")
	fl.StringVarP(&f.out, "out", "o", "-", "output file, or - for standard output")
	return cmd
}

// exportPlan is a checked export: what to read, how to write, and where.
type exportPlan struct {
	job report.ExportJob
	out string // "-" for stdout
}

// planExport checks the flags; every problem is a usage error.
func (a *app) planExport(f exportFlags) (exportPlan, error) {
	loc := a.cfg.location()
	var p exportPlan
	format, err := report.ParseFormat(f.format)
	if err != nil {
		return p, usagef("--format: %v", err)
	}
	shape, err := report.ParseShape(f.shape)
	if err != nil {
		return p, usagef("--shape: %v", err)
	}
	opt := report.ExportOptions{
		Format:       format,
		Shape:        shape,
		Raw:          f.raw,
		Location:     loc,
		RepeatWindow: time.Duration(a.cfg.Summary.RepeatWindowDays) * 24 * time.Hour,
	}
	if format == report.FormatJSONL && (f.excel || f.delimiter != "") {
		return p, usagef("--excel and --delimiter apply to CSV, not to --format jsonl")
	}
	if f.excel {
		opt = opt.Excel()
	}
	if f.delimiter != "" {
		d, err := report.ParseDelimiter(f.delimiter)
		if err != nil {
			return p, usagef("--delimiter: %v", err)
		}
		opt.Delimiter = d
	}
	q := store.ExportQuery{Team: f.team}
	var from, to time.Time
	if f.from != "" {
		if from, err = parseDay(f.from, loc); err != nil {
			return p, usagef("--from: %v", err)
		}
		q.From = from
	}
	if f.to != "" {
		if to, err = parseDay(f.to, loc); err != nil {
			return p, usagef("--to: %v", err)
		}
		// Inclusive: up to the start of the next local day, which
		// time.Date works out right across a DST change.
		q.To = time.Date(to.Year(), to.Month(), to.Day()+1, 0, 0, 0, 0, loc)
	}
	if f.from != "" && f.to != "" && from.After(to) {
		return p, usagef("--from %s is after --to %s", f.from, f.to)
	}
	tax, err := a.taxonomy()
	if err != nil {
		return p, err
	}
	p.job = report.ExportJob{Query: q, Options: opt, Lang: a.cfg.Lang, Taxonomy: tax}
	p.out = f.out
	if p.out == "" {
		p.out = "-"
	}
	return p, nil
}

// parseDay reads a YYYY-MM-DD calendar day as its local midnight.
func parseDay(s string, loc *time.Location) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02", s, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date like 2025-03-31", s)
	}
	return t, nil
}

func (a *app) runExport(ctx context.Context, f exportFlags) error {
	p, err := a.planExport(f)
	if err != nil {
		return err
	}
	if strings.Contains(a.cfg.DB, "://") {
		return usagef("db %q: export reads SQLite database files only so far", a.cfg.DB)
	}
	// Open the output before reading anything, so that an unwritable path
	// fails at once as the usage error it is.
	out, err := openExportOut(p.out, a.stdout)
	if err != nil {
		return err
	}
	defer out.abort()

	src, err := store.OpenExportReader(a.cfg.DB)
	if err != nil {
		return err
	}
	defer src.Close()

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	bar := a.progressBar(p.out == "-")
	if bar != nil {
		if first, last, ok, err := src.Span(ctx, p.job.Query); err == nil && ok {
			bar.first, bar.last = first, last
		}
		p.job.Progress = bar.update
	}
	rows, err := p.job.Run(ctx, src, out.w)
	if err == nil {
		err = out.commit()
	}
	if bar != nil {
		bar.finish(rows, err == nil)
	}
	if err != nil && ctx.Err() != nil && errors.Is(err, context.Canceled) {
		if out.file != nil {
			return fmt.Errorf("export interrupted; %s was not written", out.target)
		}
		return errors.New("export interrupted")
	}
	return err
}

// exportOut is where an export goes: standard output, or a temporary file
// beside the target that becomes the target only once complete.
type exportOut struct {
	w      io.Writer
	file   *os.File // nil for standard output
	target string
	closed bool
}

func openExportOut(path string, stdout io.Writer) (*exportOut, error) {
	if path == "-" {
		return &exportOut{w: stdout}, nil
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return nil, usagef("--out %s: is a folder; name a file", path)
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return nil, usagef("--out %s: cannot write there: %v", path, unwrapPathError(err))
	}
	return &exportOut{w: tmp, file: tmp, target: path}, nil
}

// commit makes the finished file durable and gives it its name.
func (o *exportOut) commit() error {
	if o.file == nil {
		return nil
	}
	o.closed = true
	name := o.file.Name()
	err := o.file.Sync()
	if cerr := o.file.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(name, o.target)
	}
	if err != nil {
		os.Remove(name)
		return fmt.Errorf("write %s: %w", o.target, err)
	}
	// Make the rename itself durable.
	if d, err := os.Open(filepath.Dir(o.target)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// abort removes the temporary file of an export that did not complete.
func (o *exportOut) abort() {
	if o.file == nil || o.closed {
		return
	}
	o.closed = true
	o.file.Close()
	os.Remove(o.file.Name())
}

// unwrapPathError drops the temporary name from an error about creating it.
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// progressBar returns a progress bar on stderr when stderr is a terminal,
// else nil: nothing extra goes into a pipe or a log. Nor is there one when
// the export itself goes to that terminal.
func (a *app) progressBar(toStdout bool) *exportBar {
	if !isTerminal(a.stderr) || (toStdout && isTerminal(a.stdout)) {
		return nil
	}
	return &exportBar{w: a.stderr, began: time.Now()}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// exportBar draws one line: a bar scaled by how far through the time range
// the export is, the rows written and the rate.
type exportBar struct {
	w            io.Writer
	first, last  int64
	began, shown time.Time
	rows         int64
}

func (b *exportBar) update(rows, lastStart int64) {
	b.rows = rows
	now := time.Now()
	if now.Sub(b.shown) < 200*time.Millisecond {
		return
	}
	b.shown = now
	frac := 0.0
	if b.last > b.first {
		frac = float64(lastStart-b.first) / float64(b.last-b.first)
	}
	b.draw(min(max(frac, 0), 1), now)
}

func (b *exportBar) draw(frac float64, now time.Time) {
	const width = 30
	n := int(frac * width)
	rate := float64(b.rows) / max(now.Sub(b.began).Seconds(), 1e-3)
	fmt.Fprintf(b.w, "\r[%s%s] %3.0f%%  %s rows  %s rows/s ", strings.Repeat("█", n), strings.Repeat("░", width-n), frac*100, groupDigits(b.rows), groupDigits(int64(rate)))
}

// finish draws the final state and ends the line.
func (b *exportBar) finish(rows int64, ok bool) {
	b.rows = rows
	if ok {
		b.draw(1, time.Now())
	}
	fmt.Fprintln(b.w)
}

// groupDigits writes 1234567 as 1 234 567 (with thin spaces, as nb and sv do).
func groupDigits(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			b.WriteString("\u202f")
		}
		b.WriteRune(c)
	}
	return b.String()
}
