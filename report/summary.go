package report

// The team lead's summary (Summarize) and its renderers for text, Markdown,
// HTML and JSON. Every figure is defined in summary-metrics.md. Multi-day
// figures (baselines, Pareto, spike tests, ranges) come from the store's
// daily reason rollup; figures that need single contacts (hourly volume,
// medians, repeats, measured FCR, notes) read only the day's contacts.
// A Summary is plain data: rendering it does no I/O, so a TUI view can
// compute it in a command and draw it later.

import (
	"context"
	"errors"
	"time"

	"whycall/store"
)

// Source is what Summarize reads; *store.SummaryReader implements it.
type Source interface {
	// Location is the time zone whose calendar days the rollup counts by.
	Location() *time.Location
	Teams(ctx context.Context) ([]string, error)
	DataDays(ctx context.Context, team string) (first, last string, err error)
	ReasonDays(ctx context.Context, from, to, team string) ([]store.ReasonDay, error)
	ReasonsUsed(ctx context.Context, from, to, team string) ([]string, error)
	SummaryContacts(ctx context.Context, q store.ContactQuery) ([]store.SummaryContact, error)
	ReasonCohorts(ctx context.Context, q store.ContactQuery) ([]store.ReasonCohort, error)
	TaxonomyVersions(ctx context.Context) ([]store.TaxonomyVersion, error)
	TaxonomyYAML(ctx context.Context, version string) ([]byte, error)
}

// Errors Summarize returns for input it cannot report on.
var (
	// ErrNoData means the database has no finished contacts at all.
	ErrNoData = errors.New("no finished contacts in the database yet")
	// ErrUnknownTeam means no contact has the team asked for.
	ErrUnknownTeam = errors.New("unknown team")
)

// MaxDays is the longest range Summarize accepts.
const MaxDays = 366

// Request says what to summarise.
type Request struct {
	// Day is the (last) day of the summary.
	Day Day
	// Days is the length of the range ending on Day: 1 for a day, 7 for the
	// weekly view, up to MaxDays. 0 means 1.
	Days int
	// Team selects one team; "" means all teams.
	Team string
}

// Summary is the team lead's summary of a day or a range of days: plain
// data, with stable snake_case JSON names (documented in the README).
// Optional figures are nil (JSON null) when there is not enough data, with a
// flag or a notice saying why.
type Summary struct {
	Date     string `json:"date"` // the last day, YYYY-MM-DD
	From     string `json:"from"` // the first day (= date for one day)
	Days     int    `json:"days"`
	Timezone string `json:"timezone"`
	Team     string `json:"team"` // "" means all teams
	Lang     string `json:"lang"`
	// Complete is false while the range includes today.
	Complete bool `json:"complete"`
	// Detail is true when single contacts were read (ranges up to
	// Options.DetailDays): hours, medians, repeats, measured FCR and notes.
	Detail bool `json:"detail"`
	// HistoryDays is how many of the 28 days before the range have data;
	// EnoughHistory says whether that reaches Options.MinHistoryDays, so
	// that spikes and drops are tested.
	HistoryDays   int  `json:"history_days"`
	EnoughHistory bool `json:"enough_history"`
	// Notices are codes for the reader: not_enough_history, low_volume,
	// no_contacts, partial_day, no_detail, ref_coverage_low,
	// unused_needs_history.
	Notices []string `json:"notices"`

	Total  int    `json:"total"`
	Volume Volume `json:"volume"`
	// Hours is the volume per hour of a one-day summary (23 or 25 entries
	// on DST days).
	Hours []HourCount `json:"hours"`
	// Daily is the volume per day from 28 days before the range to its end.
	Daily []DayCount `json:"daily"`

	Reasons    []ReasonRow   `json:"reasons"`
	Categories []CategoryRow `json:"categories"`

	Pareto          Pareto `json:"pareto"`
	ParetoMinutes   Pareto `json:"pareto_minutes"`
	Pareto7d        Pareto `json:"pareto_7d"`
	ParetoMinutes7d Pareto `json:"pareto_minutes_7d"`

	Split Split `json:"split"`
	Flags Flags `json:"flags"`

	RepeatRate    *float64 `json:"repeat_rate"`
	Repeats       *Repeats `json:"repeats"`
	FCRReported   *float64 `json:"fcr_reported"`
	FCRMeasured   *float64 `json:"fcr_measured"`
	FCR           FCR      `json:"fcr"`
	Handle        Handle   `json:"handle"`
	CatchAllShare *float64 `json:"catch_all_share"`

	Owners []OwnerRow  `json:"owners"`
	Praise []PraiseRow `json:"praise"`
	Health Health      `json:"health"`
	// Agents is filled only with Options.PerAgent.
	Agents []AgentRow `json:"agents,omitempty"`

	// Options echo the thresholds used, so a reader can tell how flags came about.
	Options UsedOptions `json:"options"`
}

// UsedOptions are the thresholds a Summary was computed with.
type UsedOptions struct {
	Alpha            float64 `json:"alpha"`
	MinCount         int     `json:"min_count"`
	MinRatio         float64 `json:"min_ratio"`
	MinHistoryDays   int     `json:"min_history_days"`
	Dispersion       bool    `json:"dispersion"`
	RepeatWindowDays int     `json:"repeat_window_days"`
	ParetoShare      float64 `json:"pareto_share"`
	CatchAllWarn     float64 `json:"catch_all_warn"`
	CatchAllAlert    float64 `json:"catch_all_alert"`
	PerAgent         bool    `json:"per_agent"`
}

// Volume compares the total with the same weekdays of the previous four
// weeks (for a range, the four previous ranges of whole weeks).
type Volume struct {
	Total int `json:"total"`
	// WeekdayMean is the mean total of the comparison periods with data, and
	// Weekdays how many there were (0–4).
	WeekdayMean *float64 `json:"weekday_mean"`
	Weekdays    int      `json:"weekdays"`
	Change      *float64 `json:"change"`
	// The spike and drop test of the total against WeekdayMean (with at
	// least two comparison periods).
	Expected *float64 `json:"expected"`
	PValue   *float64 `json:"p_value"`
	Spike    bool     `json:"spike"`
	Drop     bool     `json:"drop"`
}

// HourCount is the volume of one hour of the day.
type HourCount struct {
	Start time.Time `json:"start"` // local time with offset
	Hour  int       `json:"hour"`  // local clock hour, 0–23
	Count int       `json:"count"`
}

// DayCount is the volume of one day.
type DayCount struct {
	Day   string `json:"day"`
	Count int    `json:"count"`
}

// ReasonRow is one reason's figures. Count is primary contacts only;
// AlsoMentioned counts contacts naming it as a secondary reason.
type ReasonRow struct {
	ID            string `json:"id"`
	Label         string `json:"label"`
	Category      string `json:"category"`
	CategoryLabel string `json:"category_label"`
	Owner         string `json:"owner"`
	OwnerLabel    string `json:"owner_label"`
	Kind          string `json:"kind"` // irritant, value, or "" when unknown
	Treatment     string `json:"treatment"`
	CatchAll      bool   `json:"catch_all"`
	// Deprecated marks a reason retired since: deprecated in, or gone
	// from, the current taxonomy. It keeps the label its contacts had.
	Deprecated bool `json:"deprecated"`
	Praise     bool `json:"praise"` // praise or suggestion
	// Unknown is set for a reason found in no stored taxonomy (and for
	// contacts without any reason, id "").
	Unknown bool `json:"unknown"`

	Count         int     `json:"count"`
	Share         float64 `json:"share"`
	AlsoMentioned int     `json:"also_mentioned"`
	Minutes       float64 `json:"minutes"`
	MinutesShare  float64 `json:"minutes_share"`

	// Handle time of contacts with 0 < handle ≤ 4 h: from the rollup the
	// count and mean, from single contacts the median and p90.
	HandleN int      `json:"handle_n"`
	MeanS   *float64 `json:"mean_s"`
	MedianS *float64 `json:"median_s"`
	P90S    *float64 `json:"p90_s"`

	// Baselines per day over the 7 and 28 days before the range (days with
	// data only), and the change of the range's daily mean against them.
	// New7/New28 mark a baseline of zero with contacts now.
	B7      *float64 `json:"b7"`
	B28     *float64 `json:"b28"`
	Delta7  *float64 `json:"delta7"`
	Delta28 *float64 `json:"delta28"`
	New7    bool     `json:"new7"`
	New28   bool     `json:"new28"`

	// The spike and drop test (null without enough history).
	Expected *float64 `json:"expected"`
	Ratio    *float64 `json:"ratio"`
	PValue   *float64 `json:"p_value"`
	Spike    bool     `json:"spike"`
	Drop     bool     `json:"drop"`
	// Trend is the 7-day variant: the last 7 days against the 28 before.
	Trend *Trend `json:"trend"`

	// Repeats among this reason's contacts with a reference (detail only).
	WithRef    int      `json:"with_ref"`
	Repeats    int      `json:"repeats"`
	RepeatRate *float64 `json:"repeat_rate"`

	// Daily counts from 28 days before the range to its end (sparkline).
	Daily []int `json:"daily"`
	// Notes are the newest notes of the range, at most Options.NotesPerReason.
	Notes []Note `json:"notes"`
}

// Trend is the 7-day variant of the spike test.
type Trend struct {
	Count    int     `json:"count"`
	Expected float64 `json:"expected"`
	Ratio    float64 `json:"ratio"`
	PValue   float64 `json:"p_value"`
	Spike    bool    `json:"spike"`
}

// Note is one contact's note.
type Note struct {
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
	Text   string    `json:"text"`
}

// CategoryRow is one category's figures.
type CategoryRow struct {
	ID            string  `json:"id"`
	Label         string  `json:"label"`
	Count         int     `json:"count"`
	Share         float64 `json:"share"`
	CatchAll      int     `json:"catch_all"`
	CatchAllShare float64 `json:"catch_all_share"`
	// Level is ok, warn or alert for the catch-all share, or "" when the
	// category has too few contacts to judge.
	Level string `json:"level"`
}

// Pareto is the "fix first" list: the smallest set of irritant reasons
// (catch-alls excluded) that makes up Options.ParetoShare of irritant
// contacts (or minutes).
type Pareto struct {
	IDs    []string `json:"ids"`
	Labels []string `json:"labels"`
	// Share is the cumulative share of the listed reasons.
	Share float64 `json:"share"`
	// Of is how many irritant reasons had contacts; Total is their sum
	// (contacts, or minutes for a cost Pareto).
	Of    int     `json:"of"`
	Total float64 `json:"total"`
	Days  int     `json:"days"`
}

// Split is the value/irritant/uncoded split and the preventable share.
type Split struct {
	Irritant    Part `json:"irritant"`
	Value       Part `json:"value"`
	Uncoded     Part `json:"uncoded"`
	Preventable Part `json:"preventable"` // eliminate, simplify, automate
	Leverage    Part `json:"leverage"`
	// Baseline28 is the same split over the 28 days before the range.
	Baseline28 *SplitShares `json:"baseline28"`
}

// Part is one slice of the split.
type Part struct {
	Count   int     `json:"count"`
	Share   float64 `json:"share"`
	Minutes float64 `json:"minutes"`
}

// SplitShares are the shares of a split.
type SplitShares struct {
	Irritant    float64 `json:"irritant"`
	Value       float64 `json:"value"`
	Uncoded     float64 `json:"uncoded"`
	Preventable float64 `json:"preventable"`
}

// Flags lists the flagged reasons by id.
type Flags struct {
	Spikes []string `json:"spikes"`
	Drops  []string `json:"drops"`
	Trends []string `json:"trends"`
}

// Repeats is the repeat-contact rate and its details (detail only).
type Repeats struct {
	WindowDays int `json:"window_days"`
	// WithRef contacts had a customer reference; Coverage is WithRef/total.
	WithRef     int     `json:"with_ref"`
	Coverage    float64 `json:"coverage"`
	CoverageLow bool    `json:"coverage_low"`
	Repeats     int     `json:"repeats"`
	// Rate is Repeats/WithRef; SameCategoryRate counts only a previous
	// contact in the same category.
	Rate             *float64 `json:"rate"`
	SameCategory     int      `json:"same_category"`
	SameCategoryRate *float64 `json:"same_category_rate"`
	// Transfers are same-reference contacts taken as one call handed over,
	// not counted as repeats.
	Transfers int     `json:"transfers"`
	Chains    []Chain `json:"chains"`
	// Rolling is the rate over the last RollingDays days (with
	// Options.RollingDays).
	Rolling     *float64 `json:"rolling_rate"`
	RollingDays int      `json:"rolling_days"`
}

// Chain is a pair (previous contact's reason → this contact's reason) among
// repeats.
type Chain struct {
	From      string `json:"from"`
	To        string `json:"to"`
	FromLabel string `json:"from_label"`
	ToLabel   string `json:"to_label"`
	Count     int    `json:"count"`
}

// FCR is the first-contact resolution, as reported by agents and as
// measured from repeats.
type FCR struct {
	// Reported: resolved / (resolved + not resolved), where not resolved is
	// unresolved, follow_up or escalated; unknown outcomes are left out.
	Resolved     int      `json:"resolved"`
	NotResolved  int      `json:"not_resolved"`
	Unknown      int      `json:"unknown"`
	Reported     *float64 `json:"reported"`
	UnknownShare float64  `json:"unknown_share"`
	// Measured on the matured cohort: contacts with a reference from
	// CohortFrom–CohortTo, resolved when no later contact from the same
	// reference came within the window (detail only).
	CohortFrom     string   `json:"cohort_from"`
	CohortTo       string   `json:"cohort_to"`
	CohortSize     int      `json:"cohort_size"`
	CohortResolved int      `json:"cohort_resolved"`
	Measured       *float64 `json:"measured"`
	SameCategory   bool     `json:"same_category"`
	Rolling        *float64 `json:"rolling"`
	RollingDays    int      `json:"rolling_days"`
	// Lowest are the reasons with the lowest measured FCR (at least
	// Options.FCRMinContacts in the cohort), at most 5.
	Lowest []ReasonFCR `json:"lowest"`
}

// ReasonFCR is one reason's measured FCR.
type ReasonFCR struct {
	ID       string  `json:"id"`
	Label    string  `json:"label"`
	Contacts int     `json:"contacts"`
	FCR      float64 `json:"fcr"`
}

// Handle sums up handle times: contacts with 0 < handle ≤ 4 h are used,
// the others are dropped and counted.
type Handle struct {
	Used         int      `json:"used"`
	Dropped      int      `json:"dropped"`
	TotalMinutes float64  `json:"total_minutes"`
	MeanS        *float64 `json:"mean_s"`
	MedianS      *float64 `json:"median_s"`
}

// OwnerRow is one owner department's block.
type OwnerRow struct {
	ID              string   `json:"id"`
	Label           string   `json:"label"`
	Count           int      `json:"count"`
	Share           float64  `json:"share"`
	Delta28         *float64 `json:"delta28"`
	New28           bool     `json:"new28"`
	Minutes         float64  `json:"minutes"`
	IrritantMinutes float64  `json:"irritant_minutes"`
	Top             []string `json:"top"` // reason ids, by count
	TopLabels       []string `json:"top_labels"`
	Spikes          []string `json:"spikes"`
	Praise          int      `json:"praise"`
	Notes           []Note   `json:"notes"`
}

// PraiseRow is one praise or suggestion reason, for forwarding to its owner.
type PraiseRow struct {
	ID         string `json:"id"`
	Label      string `json:"label"`
	Owner      string `json:"owner"`
	OwnerLabel string `json:"owner_label"`
	Suggestion bool   `json:"suggestion"`
	Count      int    `json:"count"`
	Notes      []Note `json:"notes"`
}

// Health is the taxonomy's health.
type Health struct {
	CatchAll      int     `json:"catch_all"`
	CatchAllShare float64 `json:"catch_all_share"`
	// Level is ok, warn or alert.
	Level string `json:"level"`
	// CatchAllNotes are the catch-all contacts' notes, for recoding (newest
	// first, at most 200; CatchAllNotesTotal counts them all).
	CatchAllNotes      []Note `json:"catch_all_notes"`
	CatchAllNotesTotal int    `json:"catch_all_notes_total"`
	// Unused lists the offered reasons of the current taxonomy nobody used
	// in the last UnusedDays days; null when the data is younger than that.
	Unused       []UnusedReason `json:"unused"`
	UnusedDays   int            `json:"unused_days"`
	UnknownShare float64        `json:"unknown_outcome_share"`
	RefCoverage  float64        `json:"ref_coverage"`
	// Taxonomy is the current taxonomy; Versions those used in the range
	// (detail only).
	Taxonomy TaxonomyRef   `json:"taxonomy"`
	Versions []TaxonomyRef `json:"versions"`
}

// UnusedReason is a reason nobody tagged for a while.
type UnusedReason struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// TaxonomyRef names one taxonomy version.
type TaxonomyRef struct {
	ID       string `json:"id"`
	Revision int    `json:"revision"`
	Version  string `json:"version"`
}

// AgentRow is one agent's figures (Options.PerAgent only).
type AgentRow struct {
	Agent         string   `json:"agent"`
	Count         int      `json:"count"`
	Share         float64  `json:"share"`
	CatchAllShare float64  `json:"catch_all_share"`
	RefCoverage   float64  `json:"ref_coverage"`
	MedianS       *float64 `json:"median_s"`
}

// The store's summary reader is the Source the CLI and the TUI use.
var _ Source = (*store.SummaryReader)(nil)
