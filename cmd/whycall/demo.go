package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"whycall/demo"
	"whycall/store"
)

// demoFlags are the options of `whycall demo`.
type demoFlags struct {
	contacts, days, agents int
	seed                   uint64
	end                    string
	force                  bool
}

func newDemoCmd(a *app) *cobra.Command {
	var f demoFlags
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Fill a database with realistic demo contacts, with one planted spike",
		Long: `Fill a database with synthetic contacts drawn from the taxonomy, so that the
summary, export and sync have something meaningful to show without real data.

The contacts look like a Nordic contact centre's: Monday peaks and a lunch dip
within opening hours, a skewed mix of reasons in which irritants dominate,
handle times and resolution rates that differ by reason, customers who come
back (where is my order → late delivery), praise and "other" notes in
Norwegian and Swedish, a few agents named demo-<name> in two or three teams.
One reason is planted as a spike on the last two days; the command prints
which, so you can check that the summary finds it.

The same seed and flags give the same contacts, ids included. The command
refuses a database that already holds contacts of real agents unless --force
is given: use a separate --db for demo data.`,
		Example: `  whycall demo --db /tmp/whycall-demo.db
  whycall summary --db /tmp/whycall-demo.db
  whycall demo --db /tmp/big.db --contacts 1000000 --days 90 --end 2026-11-24`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runDemo(cmd.Context(), f)
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&f.contacts, "contacts", demo.DefaultContacts, "number of contacts")
	fl.IntVar(&f.days, "days", demo.DefaultDays, "number of days, ending on --end")
	fl.IntVar(&f.agents, "agents", demo.DefaultAgents, "number of agents (demo-<name>), in 2–3 teams")
	fl.Uint64Var(&f.seed, "seed", demo.DefaultSeed, "random seed: the same seed gives the same contacts")
	fl.StringVar(&f.end, "end", "", "last day, YYYY-MM-DD in the configured time zone (default today)")
	fl.BoolVar(&f.force, "force", false, "write even into a database that holds real agents' contacts")
	return cmd
}

// runDemo generates the data set and writes it into the configured database.
func (a *app) runDemo(ctx context.Context, f demoFlags) error {
	tax, err := a.taxonomy()
	if err != nil {
		return err
	}
	loc := a.cfg.location()
	end := time.Now().In(loc)
	if f.end != "" {
		if end, err = time.ParseInLocation(time.DateOnly, f.end, loc); err != nil {
			return usagef("--end %q: want a date as YYYY-MM-DD", f.end)
		}
	}
	if strings.Contains(a.cfg.DB, "://") {
		return usagef("db %q: demo data goes into an SQLite database file", a.cfg.DB)
	}
	sopt, err := a.storeOptions(true)
	if err != nil {
		return err
	}
	ref := store.NormalizeRef
	if sopt.Refs != nil {
		ref = sopt.Refs.Ref // hashed exactly as the capture screen stores them
	}
	g, err := demo.New(demo.Options{
		Contacts: f.contacts, Days: f.days, Agents: f.agents, Seed: f.seed,
		End: end, Location: loc, Taxonomy: tax, Ref: ref, Site: a.cfg.Site,
	})
	if err != nil {
		return usageError{err}
	}
	// A fixed clock, so the stored taxonomy's "added" time is the same on
	// every run and one seed gives one database.
	start := g.Start()
	sopt.Now = func() time.Time { return start }

	s, err := store.Open(ctx, a.cfg.DB, sopt)
	if err != nil {
		return err
	}
	err = a.fillDemo(ctx, s, g, f.force)
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	return err
}

// fillDemo checks the database holds no real contacts (unless forced),
// writes the data set with a progress bar and says what it wrote.
func (a *app) fillDemo(ctx context.Context, s *store.Store, g *demo.Generator, force bool) error {
	had, real, err := demo.Census(ctx, s.DB())
	if err != nil {
		return err
	}
	if real > 0 {
		if !force {
			return usagef("%s holds %s of real agents; demo data would be mixed into them.\n"+
				"Write the demo into another database (e.g. --db /tmp/whycall-demo.db), or add --force", a.cfg.DB, contacts(real))
		}
		fmt.Fprintf(a.stderr, "whycall: adding demo contacts to %s, which holds %s of real agents (--force)\n", a.cfg.DB, contacts(real))
	}
	if had > 0 {
		fmt.Fprintf(a.stderr, "whycall: %s already holds %s of demo agents; those of the same seed and flags stay as they are\n", a.cfg.DB, contacts(had))
	}

	bar := newProgressBar(a.stderr, g.Total())
	began := time.Now()
	err = demo.Fill(ctx, s, g, bar.update)
	bar.finish()
	if err != nil {
		return err
	}
	took := time.Since(began)

	opt := g.Options()
	fmt.Fprintf(a.stdout, "wrote %s demo contacts to %s in %.1f s (%s a second)\n",
		group(g.Total()), a.cfg.DB, took.Seconds(), group(int(float64(g.Total())/took.Seconds())))
	fmt.Fprintf(a.stdout, "  %d days %s … %s (%s), %d agents in teams %s, seed %d\n",
		opt.Days, g.FirstDay(), g.LastDay(), opt.Location, opt.Agents, strings.Join(g.Teams(), ", "), opt.Seed)
	sp := g.Spike()
	var got, usual []string
	for i := range sp.Days {
		got = append(got, group(sp.Counts[i]))
		usual = append(usual, group(int(sp.Usual[i]+0.5)))
	}
	fmt.Fprintf(a.stdout, "planted spike: %s\n  (%s contacts where about %s are usual)\n",
		sp, strings.Join(got, " and "), strings.Join(usual, " and "))
	if opt.Days < 16 {
		fmt.Fprintln(a.stdout, "note: the summary flags spikes only with 14 days of history before a day; use --days 30 or more")
	}
	if def, _ := defaults(a.env)["db"].(string); a.cfg.DB == def {
		fmt.Fprintf(a.stdout, "note: the demo contacts are in your default database; delete it (rm %s)\n"+
			"  before tagging real contacts, or keep demo data apart with --db PATH\n", a.cfg.DB)
	}
	fmt.Fprintf(a.stdout, "try: whycall summary --db %s --date %s\n", a.cfg.DB, g.LastDay())
	return nil
}

// contacts says "1 contact" or "1,234 contacts".
func contacts(n int64) string {
	if n == 1 {
		return "1 contact"
	}
	return group(int(n)) + " contacts"
}

// group writes n with commas between thousands: 1,000,000.
func group(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + group(-n)
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// progressBar draws a one-line progress bar on a terminal, at most ten
// times a second; on anything else (a pipe, a file) it draws nothing.
type progressBar struct {
	w     io.Writer
	on    bool
	total int
	began time.Time
	last  time.Time
}

func newProgressBar(w io.Writer, total int) *progressBar {
	f, ok := w.(*os.File)
	return &progressBar{w: w, on: ok && term.IsTerminal(f.Fd()), total: total, began: time.Now()}
}

const barWidth = 30

func (p *progressBar) update(done int) {
	if !p.on || (time.Since(p.last) < 100*time.Millisecond && done < p.total) {
		return
	}
	p.last = time.Now()
	filled := barWidth * done / max(1, p.total)
	fmt.Fprintf(p.w, "\r%s%s %3d %%  %s / %s contacts  %.1f s ",
		strings.Repeat("█", filled), strings.Repeat("░", barWidth-filled),
		100*done/max(1, p.total), group(done), group(p.total), time.Since(p.began).Seconds())
}

// finish clears the bar's line.
func (p *progressBar) finish() {
	if p.on {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
