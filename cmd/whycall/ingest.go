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

func newIngestCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "ingest DIR",
		Short: "Load new batch files from a shared sync folder into the database",
		Long: `ingest reads the batch files that desks wrote to a shared folder with
'whycall sync --to DIR' into the database (--db), each file all or nothing
(many files share a transaction, for speed), and remembers each file, so
running it again (by hand or from cron) reads only new files. The same
batch or contact revision twice changes nothing, and an older revision
never overwrites a newer one.

A corrupt file, or one that is not a whycall batch, is reported and skipped;
the rest is ingested all the same, and the exit status is 0. Files being
written (hidden .whycall-*.tmp names) and sub-folders are left alone. ingest
never changes or removes a file in DIR.`,
		Example: `  whycall ingest /mnt/share/whycall --db /srv/whycall/site.db`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("%s takes one folder, got %d argument(s)", cmd.CommandPath(), len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runIngest(cmd.Context(), args[0])
		},
	}
}

func (a *app) runIngest(ctx context.Context, dir string) (err error) {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return usagef("ingest: %s is not a folder", dir)
	}
	in, closeAll, err := a.openIngester(ctx)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, closeAll()) }()
	st := in.Store()
	rep, err := batch.IngestDir(ctx, in, dir, nil)
	for _, s := range rep.Skipped {
		fmt.Fprintf(a.stderr, "skipped %s: %s\n", s.File, s.Why)
	}
	fmt.Fprintf(a.stdout, "%s: %s\n", st.Path(), rep)
	if err != nil {
		return fmt.Errorf("ingest %s stopped; run it again to go on: %w", dir, err)
	}
	return nil
}

// openIngester opens the configured database as a collector's, with an
// Ingester on it; closeAll closes both.
func (a *app) openIngester(ctx context.Context) (in *store.Ingester, closeAll func() error, err error) {
	st, err := a.openStore(ctx, true)
	if err != nil {
		return nil, nil, err
	}
	in, err = st.NewIngester()
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return in, func() error { return errors.Join(in.Close(), st.Close()) }, nil
}
