package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

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
	st := t.Stats()
	s := fmt.Sprintf("%d categories, %d reasons", st.Categories, st.Reasons)
	if st.Deprecated > 0 {
		s += fmt.Sprintf(" (%d retired)", st.Deprecated)
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

// writeTree prints the taxonomy as a tree in locale l, its columns aligned
// across all categories.
func writeTree(w io.Writer, t *taxonomy.Taxonomy, l string) error {
	fmt.Fprintf(w, "%s\n%s v%d · %s\n", t.Name.Get(l, t.DefaultLocale), t.ID, t.Revision, countLine(t))
	labelW, ownerW := 0, 0
	for _, c := range t.Categories {
		for _, r := range c.Reasons {
			labelW = max(labelW, utf8.RuneCountInString(reasonLabel(r, l)))
			ownerW = max(ownerW, utf8.RuneCountInString(t.Owners.Label(r.Owner, l, t.DefaultLocale)))
		}
	}
	bw := bufio.NewWriter(w)
	for _, c := range t.Categories {
		fmt.Fprintf(bw, "\n%s  %s\n", c.Hotkey, c.Label(l))
		for _, r := range c.Reasons {
			hk := r.Hotkey
			if hk == "" {
				hk = "·" // search only
			}
			fmt.Fprintf(bw, "   %s  %s  %s  %s\n", hk, pad(reasonLabel(r, l), labelW),
				pad(t.Owners.Label(r.Owner, l, t.DefaultLocale), ownerW), t.Kinds.Label(string(r.Kind), l, t.DefaultLocale))
		}
	}
	return bw.Flush()
}

func reasonLabel(r *taxonomy.Reason, l string) string {
	if r.Deprecated {
		return r.Label(l) + " (retired)"
	}
	return r.Label(l)
}

// pad right-pads s with spaces to n runes.
func pad(s string, n int) string {
	if k := utf8.RuneCountInString(s); k < n {
		return s + strings.Repeat(" ", n-k)
	}
	return s
}
