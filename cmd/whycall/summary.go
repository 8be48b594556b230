package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"whycall/report"
	"whycall/store"
)

// summaryFlags are the summary command's own flags.
type summaryFlags struct {
	date, team, format, out string
	days                    int
}

func newSummaryCmd(a *app) *cobra.Command {
	var f summaryFlags
	cmd := &cobra.Command{
		Use:   "summary",
		Short: "The team lead's summary of a day: volume, fix-first list, spikes, repeats, owners",
		Long: `Summarise a day (or a range of days) for the team lead: the volume against the
same weekdays, the irritant reasons that make up 80 % of contacts ("fix
first"), reasons spiking or dropping beyond chance, repeat contacts and
first-contact resolution, one block per owning department, praise to forward,
and the taxonomy's health. Days are calendar days in the configured time zone.

Text goes to a terminal (in colour unless NO_COLOR is set); markdown pastes
into a chat or wiki; html is one self-contained page to mail and print; json
is for machines (fields documented in the README). --out writes the file
atomically: on any failure nothing is left behind.`,
		Example: `  whycall summary                               # today so far
  whycall summary --date yesterday --format markdown
  whycall summary --date 2026-01-14 --team north --out north.html
  whycall summary --days 7 --format json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runSummary(cmd.Context(), f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.date, "date", "today", "day to summarise: YYYY-MM-DD, today or yesterday")
	fl.IntVar(&f.days, "days", 1, fmt.Sprintf("length of the range ending on --date: 7 for the weekly view, up to %d", report.MaxDays))
	fl.StringVar(&f.team, "team", "", "summarise one team only (default all teams)")
	fl.StringVar(&f.format, "format", "", "text, markdown, json or html (default: from --out's extension, else text)")
	fl.StringVarP(&f.out, "out", "o", "", "write to FILE instead of standard output")
	return cmd
}

// runSummary computes and writes the summary.
func (a *app) runSummary(ctx context.Context, f summaryFlags) error {
	format, err := summaryFormat(f.format, f.out)
	if err != nil {
		return usageError{err}
	}
	if f.days < 1 || f.days > report.MaxDays {
		return usagef("--days %d: want 1 to %d", f.days, report.MaxDays)
	}
	loc := a.cfg.location()
	day, err := report.ParseDay(f.date, time.Now(), loc)
	if err != nil {
		return usagef("--date: %v", err)
	}
	// A summary's heap is small and short-lived: at the garbage
	// collector's default pace a day's summary command on 1M contacts
	// spent about 10 ms more CPU (66 against 56 ms; 72 -> 62 ms wall).
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	tax, err := a.taxonomy()
	if err != nil {
		return err
	}
	st, err := a.openSummaryStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()

	r := st.SummaryReader()
	defer r.Close()
	opt := a.summaryOptions()
	opt.Taxonomy = tax
	// Closing the reader's connections unmaps what they read, about 4 ms
	// on a million contacts: done while the figures are computed and
	// written, it costs the command nothing.
	var released sync.WaitGroup
	defer released.Wait()
	opt.ReadsDone = func() { released.Go(func() { r.Close() }) }
	s, err := report.Summarize(ctx, r, report.Request{Day: day, Days: f.days, Team: f.team}, opt)
	switch {
	case errors.Is(err, report.ErrNoData):
		return fmt.Errorf("database %s has no finished contacts yet: tag some contacts first (run whycall), or point --db at another database", a.cfg.DB)
	case errors.Is(err, report.ErrUnknownTeam), errors.Is(err, report.ErrFutureDate), errors.Is(err, report.ErrBadDate):
		return usageError{err}
	case err != nil:
		return err
	}

	style := textStyle{width: 100} // a file gets no colour
	if f.out == "" {
		style = a.stdoutStyle()
	}
	render := func(w io.Writer) error {
		return report.Render(w, s, format, report.TextOptions{Color: style.color, Width: style.width})
	}
	if f.out == "" {
		return render(a.stdout)
	}
	if err := writeFileAtomic(f.out, render); err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "wrote %s\n", f.out)
	return nil
}

// summaryFormat is the --format asked for, or the one --out's extension
// names, or text.
func summaryFormat(flag, out string) (report.SummaryFormat, error) {
	if flag != "" {
		f, err := report.ParseSummaryFormat(flag)
		if err != nil {
			return "", fmt.Errorf("--format: %w", err)
		}
		return f, nil
	}
	switch strings.ToLower(filepath.Ext(out)) {
	case ".html", ".htm":
		return report.FormatHTML, nil
	case ".md", ".markdown":
		return report.FormatMarkdown, nil
	case ".json":
		return report.FormatJSON, nil
	}
	return report.FormatText, nil
}

// summaryOptions turns the config's summary section into report options.
func (a *app) summaryOptions() report.Options {
	c := a.cfg.Summary
	opt := report.DefaultOptions()
	opt.Lang = a.cfg.Lang
	opt.PerAgent = c.PerAgent
	opt.RepeatWindowDays = c.RepeatWindowDays
	opt.Alpha = c.SpikeAlpha
	opt.MinCount = c.SpikeMinCount
	opt.MinRatio = c.SpikeMinRatio
	opt.CatchAllWarn = c.CatchAllWarn
	opt.CatchAllAlert = c.CatchAllAlert
	opt.RollingDays = c.RollingDays
	opt.FCRSameCategory = c.FCRSameCategory
	return opt
}

// openSummaryStore opens the configured database for reading a summary. It
// must exist already: a summary never creates one, nor a ref secret.
func (a *app) openSummaryStore(ctx context.Context) (*store.Store, error) {
	if strings.Contains(a.cfg.DB, "://") {
		return nil, usagef("db %q: only SQLite database files are supported so far", a.cfg.DB)
	}
	if _, err := os.Stat(a.cfg.DB); err != nil {
		return nil, fmt.Errorf("no database at %s (config key db, flag --db): %w", a.cfg.DB, err)
	}
	return store.Open(ctx, a.cfg.DB, store.Options{Location: a.cfg.location(), KeepNotesRaw: !a.cfg.Notes.Mask,
		ForReading: true, OnUpgrade: a.sayUpgrade})
}

// textStyle is how text output may look where it goes.
type textStyle struct {
	color bool
	width int
}

// stdoutStyle decides colour and width for standard output: colour only on
// a terminal and without NO_COLOR (or TERM=dumb); at most 100 columns, down
// to 80 on a narrower terminal.
func (a *app) stdoutStyle() textStyle {
	t := textStyle{width: 100}
	f, ok := a.stdout.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return t
	}
	t.color = a.env("NO_COLOR") == "" && a.env("TERM") != "dumb"
	if w, _, err := term.GetSize(f.Fd()); err == nil && w >= 80 && w < t.width {
		t.width = w
	}
	return t
}

// writeFileAtomic writes path through a temporary file in the same folder,
// synced and then renamed over path, so readers see the old file or the
// whole new one, and a failure leaves nothing behind.
func writeFileAtomic(path string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
