package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"whycall/batch"
	"whycall/store"
)

func newSyncCmd(a *app) *cobra.Command {
	var to, token string
	var dry bool
	cmd := &cobra.Command{
		Use:   "sync",
		Short: "Push this desk's finished contacts, edits and deletes to the team's folder or collector",
		Long: `sync sends every contact that changed since the target last acknowledged it
(finished contacts, their edits, and deletes of contacts sent before) in
batches of at most sync.batch_size contacts and 500 KB. A batch counts as
sent only once the target has acknowledged it, so an interrupted sync loses
nothing: the next one sends what is left, and the target ignores what it has.

The target is a folder (a path or file:///path, e.g. on a network share),
where each batch becomes a new file for 'whycall ingest', or a collector
('whycall serve') at an http:// or https:// address. The capture screen
syncs by itself every sync.interval when sync.target is set.`,
		Example: `  whycall sync                                     # to sync.target from the config
  whycall sync --to /mnt/share/whycall             # a shared folder
  whycall sync --to https://collector.example:8470 --token "$TOKEN"
  whycall sync --dry-run                           # what would be sent`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runSync(cmd.Context(), to, token, dry)
		},
	}
	f := cmd.Flags()
	f.StringVar(&to, "to", "", "target: a folder (path or file:///path) or a collector URL (default sync.target)")
	f.StringVar(&token, "token", "", "bearer token for a collector (default sync.token, env WHYCALL_SYNC_TOKEN)")
	f.BoolVar(&dry, "dry-run", false, "show what would be sent; send and mark nothing")
	return cmd
}

// collectorDefaults are the retry settings of collector targets (tests
// shorten the pauses).
var collectorDefaults batch.CollectorOptions

// syncTarget opens the target named by to, or else by sync.target.
func (a *app) syncTarget(to, token string) (batch.Target, error) {
	if to == "" {
		to = a.cfg.Sync.Target
	}
	if token == "" {
		token = a.cfg.Sync.Token
	}
	opt := collectorDefaults
	opt.Timeout = a.cfg.Sync.Timeout
	t, err := batch.OpenTarget(to, token, opt)
	if errors.Is(err, batch.ErrBadTarget) {
		return nil, usageError{err}
	}
	return t, err
}

// newSyncer returns a Syncer from s to t with the desk's settings.
func (a *app) newSyncer(st *store.Store, t batch.Target, sent func(batch.Sent)) (*batch.Syncer, error) {
	return batch.NewSyncer(st, t, batch.SyncerOptions{
		Agent: a.cfg.Agent, Site: a.cfg.Site, BatchSize: a.cfg.Sync.BatchSize, Sent: sent,
	})
}

func (a *app) runSync(ctx context.Context, to, token string, dry bool) (err error) {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	target, err := a.syncTarget(to, token)
	if err != nil {
		return err
	}
	st, err := a.openStore(ctx, false)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, st.Close()) }()
	s, err := a.newSyncer(st, target, func(b batch.Sent) {
		fmt.Fprintf(a.stdout, "batch %s: %d contact(s), %d bytes: %d new or changed, %d already there, %d older\n",
			b.Batch, b.Contacts, b.Bytes, b.Accepted, b.Duplicate, b.Stale)
	})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, s.Close()) }()
	var rep batch.Report
	if dry {
		rep, err = s.DryRun(ctx)
	} else {
		rep, err = s.Push(ctx)
	}
	for _, h := range rep.HeldBack {
		fmt.Fprintf(a.stderr, "held back: %s\n", h)
	}
	if rep.Batches > 0 || err == nil {
		fmt.Fprintln(a.stdout, rep)
	}
	if err != nil {
		return fmt.Errorf("sync to %s stopped; what was not acknowledged stays pending and goes with the next sync: %w", target, err)
	}
	if n := len(rep.HeldBack); n > 0 {
		return fmt.Errorf("%d contact(s) cannot be sent as they are (see above); edit them on this desk and sync again", n)
	}
	return nil
}

// backgroundSync returns what the capture screen calls every sync.interval:
// a push to sync.target, then the outbox's status (a failed push is in
// Status.LastErr). With no sync.target it returns a nil func. closeSync
// closes the Syncer's connection; call it before closing st.
func (a *app) backgroundSync(st *store.Store) (status func(context.Context) (batch.Status, error), closeSync func() error, err error) {
	none := func() error { return nil }
	if a.cfg.Sync.Target == "" {
		return nil, none, nil
	}
	target, err := a.syncTarget("", "")
	if err != nil {
		return nil, none, err
	}
	s, err := a.newSyncer(st, target, nil)
	if err != nil {
		return nil, none, err
	}
	return s.Sync, s.Close, nil
}
