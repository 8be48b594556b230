package main

import (
	"errors"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"whycall/taxonomy"
)

func newTaxonomyCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "taxonomy",
		Short: "Check or show the reason tree",
		Long: `The reason tree (taxonomy) has categories (digit hotkeys) with reasons (letter
hotkeys). Each reason names the department that owns its cause. Without a
FILE these commands use the taxonomy named by the config key "taxonomy", or
the built-in default.`,
		Args: noArgs,
	}
	cmd.AddCommand(newTaxonomyCheckCmd(a), newTaxonomyShowCmd(a))
	return cmd
}

// loadTaxonomyArg loads FILE when given, else the configured taxonomy.
func (a *app) loadTaxonomyArg(args []string) (*taxonomy.Taxonomy, string, error) {
	if len(args) == 1 {
		t, err := taxonomy.LoadFile(args[0])
		return t, args[0], err
	}
	if a.cfg.Taxonomy != "" {
		t, err := taxonomy.LoadFile(a.cfg.Taxonomy)
		return t, a.cfg.Taxonomy, err
	}
	return taxonomy.Default(), "built-in default", nil
}

func newTaxonomyCheckCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "check [FILE]",
		Short: "Validate a taxonomy file and report every problem with its line",
		Example: `  whycall taxonomy check                 # the configured or built-in taxonomy
  whycall taxonomy check my-reasons.yaml`,
		Args: maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			t, name, err := a.loadTaxonomyArg(args)
			var probs taxonomy.Problems
			if errors.As(err, &probs) {
				for _, p := range probs {
					fmt.Fprintln(a.stderr, p.Error())
				}
				return fmt.Errorf("%s: %d problem(s)", name, len(probs))
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "%s: OK — %s v%d, %s\n", name, t.ID, t.Revision, countLine(t))
			return nil
		},
	}
}

// countLine says how big a taxonomy is, e.g. "9 categories, 50 reasons, version 1a2b…".
func countLine(t *taxonomy.Taxonomy) string {
	reasons, retired := 0, 0
	for _, c := range t.Categories {
		for _, r := range c.Reasons {
			reasons++
			if r.Deprecated {
				retired++
			}
		}
	}
	s := fmt.Sprintf("%d categories, %d reasons", len(t.Categories), reasons)
	if retired > 0 {
		s += fmt.Sprintf(" (%d retired)", retired)
	}
	return s + ", content version " + t.Version
}

func newTaxonomyShowCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "show [FILE]",
		Short: "Print the reason tree with hotkeys, owner and kind",
		Example: `  whycall taxonomy show
  whycall taxonomy show --lang en my-reasons.yaml`,
		Args: maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			t, _, err := a.loadTaxonomyArg(args)
			if err != nil {
				return err
			}
			return writeTree(a.stdout, t, a.cfg.Lang)
		},
	}
}

// writeTree prints the taxonomy as an aligned tree in locale l.
func writeTree(w io.Writer, t *taxonomy.Taxonomy, l string) error {
	fmt.Fprintf(w, "%s\n%s v%d · %s\n", t.Name.Get(l, t.DefaultLocale), t.ID, t.Revision, countLine(t))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range t.Categories {
		fmt.Fprintf(tw, "\n%s\t%s\t\t\n", c.Hotkey, c.Label(l))
		for _, r := range c.Reasons {
			label := r.Label(l)
			if r.Deprecated {
				label += " (retired)"
			}
			hk := r.Hotkey
			if hk == "" {
				hk = "·"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", hk, label,
				t.Owners.Label(r.Owner, l, t.DefaultLocale), t.Kinds.Label(string(r.Kind), l, t.DefaultLocale))
		}
	}
	return tw.Flush()
}
