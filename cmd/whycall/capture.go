package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"

	"whycall/tui"
)

// runCapture opens the agent's capture screen on the configured database
// and taxonomy, and keeps the terminal until the agent quits.
func (a *app) runCapture(ctx context.Context) error {
	tax, err := a.taxonomy()
	if err != nil {
		return err
	}
	if !term.IsTerminal(os.Stdin.Fd()) || !term.IsTerminal(os.Stdout.Fd()) {
		return usagef("the capture screen needs a terminal; for scripts see 'whycall --help'")
	}
	log, closeLog, err := openLog(a.cfg.Log)
	if err != nil {
		return err
	}
	defer closeLog()

	st, err := a.openStore(ctx, false)
	if err != nil {
		return fmt.Errorf("open database %s: %w", a.cfg.DB, err)
	}
	defer func() {
		if err := st.Close(); err != nil {
			log.Error("close database", "err", err)
		}
	}()
	// Contacts keep the labels of the taxonomy version they were tagged with.
	if err := st.SaveTaxonomy(ctx, tax.Version, tax.ID, tax.Revision, tax.Source); err != nil {
		return fmt.Errorf("record taxonomy version in %s: %w", a.cfg.DB, err)
	}

	// Background sync when a target is configured; a share or collector that
	// is down shows in the header and never stops the screen.
	syncStatus, closeSync, err := a.backgroundSync(st)
	if err != nil {
		return err
	}
	defer func() {
		if err := closeSync(); err != nil {
			log.Error("stop background sync", "err", err)
		}
	}()
	var syncFn tui.SyncFunc
	if syncStatus != nil {
		syncFn = func(ctx context.Context) (tui.SyncState, error) {
			s, err := syncStatus(ctx)
			return tui.SyncState{Pending: s.Pending, LastSync: s.LastSync, LastErr: s.LastErr}, err
		}
	}

	// The summary screen (S) reads on connections of its own, kept warm for
	// the life of the screen; closed before the store.
	reader := st.SummaryReader()
	defer func() {
		if err := reader.Close(); err != nil {
			log.Error("close summary reader", "err", err)
		}
	}()
	sumOpt := a.summaryOptions()
	sumOpt.Taxonomy = tax

	m, err := tui.New(tui.Options{
		Store:        st,
		Taxonomy:     tax,
		Locale:       a.cfg.Lang,
		Agent:        a.cfg.Agent,
		Team:         a.cfg.Team,
		Site:         a.cfg.Site,
		Location:     a.cfg.location(),
		Dark:         true,
		Sync:         syncFn,
		SyncInterval: a.cfg.Sync.Interval,
		Summary:      tui.NewSummarySource(reader, sumOpt),
		Logger:       log,
		Context:      ctx,
	})
	if err != nil {
		return err
	}
	opts := []tea.ProgramOption{tea.WithContext(ctx)}
	if a.env("NO_COLOR") != "" {
		// no-color.org: any non-empty value turns colour off (bold, reverse
		// and underline stay, so the screen remains readable).
		opts = append(opts, tea.WithColorProfile(colorprofile.Ascii))
	}
	log.Info("capture screen start", "agent", a.cfg.Agent, "db", a.cfg.DB, "taxonomy", tax.Version)
	final, err := tea.NewProgram(m, opts...).Run()
	if err != nil && !errors.Is(err, tea.ErrInterrupted) && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("capture screen: %w", err)
	}
	if fm, ok := final.(*tui.Model); ok {
		if c := fm.Contact(); c.ID != "" && c.Draft() {
			fmt.Fprintln(a.stdout, "The unfinished contact is kept; it comes back when you start whycall again.")
		}
		if n := fm.PendingWrites(); n > 0 {
			log.Error("quit with writes not stored", "pending", n)
			return fmt.Errorf("%d change(s) could not be stored (see the log %s)", n, a.cfg.Log.File)
		}
	}
	log.Info("capture screen end")
	return nil
}

// openLog opens the log file named by the config (creating its folder); the
// terminal belongs to the screen, so diagnostics never go there.
func openLog(c LogConfig) (*slog.Logger, func(), error) {
	if c.File == "" {
		return slog.New(slog.NewTextHandler(io.Discard, nil)), func() {}, nil
	}
	if err := os.MkdirAll(filepath.Dir(c.File), 0o755); err != nil {
		return nil, nil, fmt.Errorf("log folder for %s (config key log.file): %w", c.File, err)
	}
	f, err := os.OpenFile(c.File, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("open log %s (config key log.file): %w", c.File, err)
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(strings.ToUpper(c.Level))); err != nil {
		level = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: level})), func() { _ = f.Close() }, nil
}
