package tui

import (
	"context"
	"time"

	"whycall/report"
	"whycall/store"
)

// SummarySource computes what the team lead's summary screen shows. The
// screen calls it in tea.Cmds only, one day at a time; tests inject one
// that returns a hand-made summary or fails.
type SummarySource interface {
	// Summary computes the summary of day for team ("" means all teams).
	Summary(ctx context.Context, day report.Day, team string) (*report.Summary, error)
	// ReasonNotes returns the newest notes of contacts with primary reason
	// started in [from, to), newest first, at most limit, for team ("" means
	// all teams).
	ReasonNotes(ctx context.Context, team, reason string, from, to time.Time, limit int) ([]store.ReasonNote, error)
}

// SummaryReader is what NewSummarySource reads: the summary's source and
// a reason's notes. *store.SummaryReader implements it; keep one open for
// the life of the screen, so its connections stay warm.
type SummaryReader interface {
	report.Source
	ReasonNotes(ctx context.Context, team, reason string, from, to time.Time, limit int) ([]store.ReasonNote, error)
}

// NewSummarySource returns the SummarySource that computes summaries with
// report.Summarize from r and opt, the same figures as `whycall summary`.
func NewSummarySource(r SummaryReader, opt report.Options) SummarySource {
	return reportSummary{r: r, opt: opt}
}

type reportSummary struct {
	r   SummaryReader
	opt report.Options
}

func (s reportSummary) Summary(ctx context.Context, day report.Day, team string) (*report.Summary, error) {
	return report.Summarize(ctx, s.r, report.Request{Day: day, Team: team}, s.opt)
}

func (s reportSummary) ReasonNotes(ctx context.Context, team, reason string, from, to time.Time, limit int) ([]store.ReasonNote, error) {
	return s.r.ReasonNotes(ctx, team, reason, from, to, limit)
}
