package report

import (
	"fmt"
	"time"

	"whycall/taxonomy"
)

// Options are the tunable parts of the summary (summary-metrics §3.3). The
// CLI fills them from config; DefaultOptions gives the documented defaults,
// and Summarize fills any zero field with its default.
type Options struct {
	// Lang is the locale labels are shown in: "nb", "sv" or "en".
	Lang string

	// Alpha is the spike and drop tests' one-sided significance level.
	Alpha float64
	// MinCount is the smallest count that can be flagged as a spike.
	MinCount int
	// MinRatio is the practical effect size a spike must reach (count ≥
	// MinRatio·expected) and a drop must fall to (count ≤ expected/MinRatio).
	MinRatio float64
	// LambdaFloor is the least expected count, so a brand-new reason can spike.
	LambdaFloor float64
	// DropMinExpected is the least expected count at which drops are tested.
	DropMinExpected float64
	// MinHistoryDays is how many days with data the 28-day baseline needs
	// before reasons are tested at all.
	MinHistoryDays int
	// Dispersion uses the overdispersion-adjusted z-test instead of the
	// exact Poisson test.
	Dispersion bool

	// RepeatWindowDays is N, the repeat and measured-FCR window in days
	// (1–30). A day here is 24 hours before or after the contact's start.
	RepeatWindowDays int
	// FCRSameCategory counts only same-category later contacts as "not
	// resolved" in the measured FCR.
	FCRSameCategory bool
	// TransferGap: a same-reference contact that starts within this gap after
	// another agent's contact ended is a transfer of that call, not a repeat.
	// Negative turns transfer detection off.
	TransferGap time.Duration
	// FCRMinContacts is the cohort size a reason needs to be listed among the
	// lowest measured FCR.
	FCRMinContacts int
	// RollingDays, when positive, adds a rolling repeat rate and measured FCR
	// over that many days (28 in the metrics). It reads every contact with a
	// reference in those days, so it is off by default.
	RollingDays int

	// ParetoShare is the cumulative share that makes the vital few (0.8).
	ParetoShare float64
	// CatchAllWarn and CatchAllAlert are the catch-all share thresholds; a
	// category is judged only with at least CatchAllMinContacts contacts.
	CatchAllWarn, CatchAllAlert float64
	CatchAllMinContacts         int
	// RefCoverageWarn is the customer-ref coverage below which a warning shows.
	RefCoverageWarn float64
	// UnusedDays is how far back a reason must be unused to be listed (90).
	UnusedDays int
	// LowVolume is the daily volume below which flags rarely fire and the
	// weekly view is suggested (50).
	LowVolume int

	// PraisePrefix marks the praise reasons by id prefix ("praise_"), and
	// Suggestions lists the suggestion reason ids (["suggestion"]).
	PraisePrefix string
	Suggestions  []string

	// PerAgent adds per-agent figures. Off unless local co-determination
	// rules allow it.
	PerAgent bool
	// DetailDays is the longest range whose contacts are read one by one
	// (medians, hourly volume, repeats, notes); longer ranges use the daily
	// rollup only.
	DetailDays int
	// NotesPerReason is how many notes each reason, owner and digest keeps.
	NotesPerReason int
	// TopChains is how many repeat chains are listed.
	TopChains int

	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Taxonomy is the taxonomy in use now, for the unused-reason check; nil
	// means the newest stored version.
	Taxonomy *taxonomy.Taxonomy
	// ReadsDone, when set, is called as soon as Summarize has done all its
	// reads of the source (or one failed), before it computes the figures:
	// it uses the source no more after that. A caller that makes a single
	// summary can release the source there, while the figures are computed.
	// Summarize does not call it when it returns before reading.
	ReadsDone func()
}

// DefaultOptions returns the defaults of summary-metrics.md.
func DefaultOptions() Options {
	return Options{
		Lang:                "nb",
		Alpha:               0.001,
		MinCount:            5,
		MinRatio:            1.5,
		LambdaFloor:         0.5,
		DropMinExpected:     10,
		MinHistoryDays:      14,
		RepeatWindowDays:    7,
		TransferGap:         2 * time.Minute,
		FCRMinContacts:      20,
		ParetoShare:         0.8,
		CatchAllWarn:        0.05,
		CatchAllAlert:       0.10,
		CatchAllMinContacts: 20,
		RefCoverageWarn:     0.5,
		UnusedDays:          90,
		LowVolume:           50,
		PraisePrefix:        "praise_",
		Suggestions:         []string{"suggestion"},
		DetailDays:          7,
		NotesPerReason:      3,
		TopChains:           5,
	}
}

// withDefaults fills zero fields from DefaultOptions.
func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.Lang == "" {
		o.Lang = d.Lang
	}
	fill(&o.Alpha, d.Alpha)
	fill(&o.MinCount, d.MinCount)
	fill(&o.MinRatio, d.MinRatio)
	fill(&o.LambdaFloor, d.LambdaFloor)
	fill(&o.DropMinExpected, d.DropMinExpected)
	fill(&o.MinHistoryDays, d.MinHistoryDays)
	fill(&o.RepeatWindowDays, d.RepeatWindowDays)
	fill(&o.TransferGap, d.TransferGap)
	fill(&o.FCRMinContacts, d.FCRMinContacts)
	fill(&o.ParetoShare, d.ParetoShare)
	fill(&o.CatchAllWarn, d.CatchAllWarn)
	fill(&o.CatchAllAlert, d.CatchAllAlert)
	fill(&o.CatchAllMinContacts, d.CatchAllMinContacts)
	fill(&o.RefCoverageWarn, d.RefCoverageWarn)
	fill(&o.UnusedDays, d.UnusedDays)
	fill(&o.LowVolume, d.LowVolume)
	fill(&o.DetailDays, d.DetailDays)
	fill(&o.NotesPerReason, d.NotesPerReason)
	fill(&o.TopChains, d.TopChains)
	if o.PraisePrefix == "" {
		o.PraisePrefix = d.PraisePrefix
	}
	if o.Suggestions == nil {
		o.Suggestions = d.Suggestions
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

func fill[T int | float64 | time.Duration](v *T, d T) {
	if *v == 0 {
		*v = d
	}
}

// Validate reports the first option out of range, naming it as in config
// (summary.<name>).
func (o Options) Validate() error {
	o = o.withDefaults()
	switch {
	case o.Lang != "nb" && o.Lang != "sv" && o.Lang != "en":
		return fmt.Errorf("summary lang %q: want nb, sv or en", o.Lang)
	case o.Alpha <= 0 || o.Alpha >= 0.5:
		return fmt.Errorf("summary.alpha %g: want a level between 0 and 0.5, e.g. 0.001", o.Alpha)
	case o.MinCount < 1:
		return fmt.Errorf("summary.min_count %d: want at least 1", o.MinCount)
	case o.MinRatio < 1:
		return fmt.Errorf("summary.min_ratio %g: want at least 1", o.MinRatio)
	case o.LambdaFloor < 0:
		return fmt.Errorf("summary.lambda_floor %g: want 0 or more", o.LambdaFloor)
	case o.MinHistoryDays < 1 || o.MinHistoryDays > 28:
		return fmt.Errorf("summary.min_history_days %d: want 1 to 28", o.MinHistoryDays)
	case o.RepeatWindowDays < 1 || o.RepeatWindowDays > 30:
		return fmt.Errorf("summary.repeat_window_days %d: want 1 to 30", o.RepeatWindowDays)
	case o.RollingDays < 0 || o.RollingDays > 90:
		return fmt.Errorf("summary.rolling_days %d: want 0 (off) to 90", o.RollingDays)
	case o.ParetoShare <= 0 || o.ParetoShare > 1:
		return fmt.Errorf("summary.pareto_share %g: want a share above 0, at most 1", o.ParetoShare)
	case o.CatchAllWarn <= 0 || o.CatchAllAlert < o.CatchAllWarn || o.CatchAllAlert > 1:
		return fmt.Errorf("summary.catch_all_warn %g / catch_all_alert %g: want 0 < warn ≤ alert ≤ 1",
			o.CatchAllWarn, o.CatchAllAlert)
	case o.DetailDays < 1 || o.DetailDays > 31:
		return fmt.Errorf("summary.detail_days %d: want 1 to 31", o.DetailDays)
	case o.UnusedDays < 1:
		return fmt.Errorf("summary.unused_days %d: want at least 1", o.UnusedDays)
	}
	return nil
}

func (o Options) spikeTest() SpikeTest {
	o = o.withDefaults()
	return SpikeTest{
		Alpha:           o.Alpha,
		MinCount:        o.MinCount,
		MinRatio:        o.MinRatio,
		LambdaFloor:     o.LambdaFloor,
		DropMinExpected: o.DropMinExpected,
		Dispersion:      o.Dispersion,
	}
}
