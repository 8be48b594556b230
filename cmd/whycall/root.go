package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	_ "time/tzdata" // time zones on machines without /usr/share/zoneinfo

	"github.com/spf13/cobra"

	"whycall/taxonomy"
)

// app is what every subcommand shares: the loaded config and the ways to
// open what it names. It is filled in by the root command's PersistentPreRunE.
type app struct {
	cfg        *Config
	configUsed string // the config file read, "" if none
	env        func(string) string
	stdout     io.Writer
	stderr     io.Writer

	configFlag string
	tax        *taxonomy.Taxonomy
}

// usageError marks an error as the user's mistake in calling whycall: it
// exits with code 2 instead of 1.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// usagef returns a usage error (exit code 2).
func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// newRootCmd builds the whole command tree. Each subcommand lives in its own
// file and is added here.
func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "whycall",
		Short: "Tag why customers contact you, and see which causes to remove first",
		Long: `whycall answers one question for a contact centre: why do customers contact us?

Run without a command, it opens the agent's capture screen: tag each live
contact with its cause in two keystrokes. The other commands check the reason
tree, summarise the day for the team lead, export for ops, and sync desks.`,
		Example: `  whycall                         # the capture screen
  whycall --lang en --db /tmp/test.db
  whycall taxonomy show --lang sv
  whycall summary --date yesterday`,
		Args:          noArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return a.load(cmd)
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runCapture(cmd.Context())
		},
	}
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	pf := root.PersistentFlags()
	pf.StringVar(&a.configFlag, "config", "", "config file (default $WHYCALL_CONFIG or $XDG_CONFIG_HOME/whycall/config.yaml)")
	pf.String("db", "", "database file (default $XDG_DATA_HOME/whycall/whycall.db; env WHYCALL_DB)")
	pf.String("lang", "", "language of reason labels: nb, sv or en (env WHYCALL_LANG)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })

	root.AddCommand(
		newSummaryCmd(a),
		newExportCmd(a),
		newTaxonomyCmd(a),
		newSyncCmd(a),
		newServeCmd(a),
		newIngestCmd(a),
		newVersionCmd(a),
		newDemoCmd(a),
	)
	return root
}

// noArgs rejects positional arguments as a usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		if cmd.HasSubCommands() {
			return usagef("unknown command %q for %q; see '%s --help'", args[0], cmd.CommandPath(), cmd.CommandPath())
		}
		return usagef("%s takes no arguments, got %q", cmd.CommandPath(), args)
	}
	return nil
}

// maxArgs allows at most n positional arguments.
func maxArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > n {
			return usagef("%s takes at most %d argument(s), got %d", cmd.CommandPath(), n, len(args))
		}
		return nil
	}
}

// load reads the config for the command about to run.
func (a *app) load(cmd *cobra.Command) error {
	cfg, used, err := loadConfig(cmd.Flags(), a.configFlag, a.env)
	if err != nil {
		return usageError{err}
	}
	a.cfg, a.configUsed = cfg, used
	return nil
}

// taxonomy returns the configured taxonomy: the file named by the config, or
// the embedded default.
func (a *app) taxonomy() (*taxonomy.Taxonomy, error) {
	if a.tax != nil {
		return a.tax, nil
	}
	if a.cfg.Taxonomy == "" {
		a.tax = taxonomy.Default()
		return a.tax, nil
	}
	t, err := taxonomy.LoadFile(a.cfg.Taxonomy)
	if err != nil {
		return nil, fmt.Errorf("taxonomy (config key taxonomy): %w", err)
	}
	a.tax = t
	return t, nil
}

// exitCode maps an error to the process exit code: 0 ok, 2 usage, 1 other.
func exitCode(err error) int {
	if err == nil {
		return 0
	}
	var u usageError
	if errors.As(err, &u) {
		return 2
	}
	return 1
}

// run is main without os.Exit, for tests.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, env func(string) string) int {
	a := &app{env: env, stdout: stdout, stderr: stderr}
	root := newRootCmd(a)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "whycall: %v\n", err)
		if exitCode(err) == 2 {
			fmt.Fprintln(stderr, "Run 'whycall --help' for usage.")
		}
	}
	return exitCode(err)
}

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}
