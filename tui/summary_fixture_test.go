package tui

import (
	"context"
	"errors"
	"sync"
	"time"

	"whycall/report"
	"whycall/store"
	"whycall/taxonomy"
)

// fakeSummary is a SummarySource for tests: it hands out a summary made by
// make for each day asked for and records the calls; err makes it fail.
type fakeSummary struct {
	mu    sync.Mutex
	make  func(day report.Day, team string) *report.Summary
	err   error
	days  []report.Day
	teams []string
	notes []store.ReasonNote
	asked []string // reasons whose notes were read
}

func (f *fakeSummary) Summary(_ context.Context, day report.Day, team string) (*report.Summary, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.days = append(f.days, day)
	f.teams = append(f.teams, team)
	if f.err != nil {
		return nil, f.err
	}
	return f.make(day, team), nil
}

func (f *fakeSummary) ReasonNotes(_ context.Context, _, reason string, _, _ time.Time, limit int) ([]store.ReasonNote, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked = append(f.asked, reason)
	return f.notes[:min(limit, len(f.notes))], nil
}

// errSummaryDown is the failure a broken source reports.
var errSummaryDown = errors.New("read rollup: database is locked")

func withSummary(src SummarySource) harnessOpt { return func(o *Options) { o.Summary = src } }

// handSource is a fakeSummary of hand-made summaries in lang, with three
// notes for the details.
func handSource(lang string) *fakeSummary {
	at := func(d, h, m int) int64 { return time.Date(2026, 3, d, h, m, 0, 0, oslo).UnixMilli() }
	return &fakeSummary{
		make: func(day report.Day, team string) *report.Summary { return handSummary(lang, day, team) },
		notes: []store.ReasonNote{
			{StartedAt: at(2, 13, 40), Note: "pakken står på terminalen"},
			{StartedAt: at(2, 9, 12), Note: "lovet levering i går"},
			{StartedAt: time.Date(2026, 2, 27, 15, 3, 0, 0, oslo).UnixMilli(), Note: "kunden venter fortsatt"},
		},
	}
}

// handSummary is a made-up day with known figures: 412 contacts, a spike
// of late deliveries, a drop in invoice questions, a 7-day trend, praise,
// an "other" to recode, four owners. Labels come from the default
// taxonomy in lang, as report.Summarize would give them.
func handSummary(lang string, day report.Day, team string) *report.Summary {
	tax := taxonomy.Default()
	f := func(x float64) *float64 { return &x }
	reason := func(id string, count int, d7, d28 float64) report.ReasonRow {
		r, ok := tax.Reason(id)
		if !ok {
			panic("no reason " + id)
		}
		var cat string
		for _, c := range tax.Categories {
			if c.ID == r.Category {
				cat = c.Label(lang)
			}
		}
		daily := make([]int, 29)
		for i := range daily {
			daily[i] = count/3 + (i*7)%(count/4+1)
			if i%7 == 5 || i%7 == 6 {
				daily[i] = 0 // weekends closed
			}
		}
		daily[28] = count
		return report.ReasonRow{
			ID: id, Label: r.Label(lang), Category: r.Category, CategoryLabel: cat, Owner: r.Owner,
			OwnerLabel: tax.Owners.Label(r.Owner, lang, "en"), Kind: string(r.Kind), Treatment: string(r.Treatment),
			CatchAll: r.CatchAll, Praise: r.Category == "feedback",
			Count: count, Share: float64(count) / 412, Minutes: float64(count) * 6, MedianS: f(300 + float64(count)),
			Delta7: f(d7), Delta28: f(d28), Daily: daily,
		}
	}
	late := reason("delivery_late", 61, 2.1, 1.9)
	late.Spike, late.Expected, late.Ratio, late.PValue = true, f(21.4), f(61/21.4), f(0.00001)
	status := reason("delivery_status", 55, 0.05, 0.12)
	status.AlsoMentioned = 9
	invoice := reason("invoice_unclear", 33, -0.2, -0.45)
	invoice.Drop, invoice.Expected, invoice.Ratio, invoice.PValue = true, f(60.1), f(33/60.1), f(0.0004)
	defect := reason("product_defect", 30, 0.3, 0.4)
	defect.Trend = &report.Trend{Count: 190, Expected: 98.2, Ratio: 1.93, PValue: 0.00002, Spike: true}
	login := reason("account_details", 24, -0.04, 0.01)
	howto := reason("how_to_use", 21, 0, 0.08)
	praise := reason("praise_service", 12, 0.1, 0.2)
	other := reason("delivery_other", 9, 0.5, 0.3)
	other.Notes = []report.Note{{At: time.Date(2026, 3, 2, 11, 4, 0, 0, oslo), Text: "pakke levert til feil naboadresse"}}
	reasons := []report.ReasonRow{late, status, invoice, defect, login, howto, praise, other}
	hours := make([]report.HourCount, 24)
	for h := range hours {
		hours[h] = report.HourCount{Hour: h, Start: day.Start(oslo).Add(time.Duration(h) * time.Hour)}
		if h >= 8 && h < 20 {
			hours[h].Count = 20 + (h*13)%25
		}
	}
	owner := func(id string, count, spikes, praise int, top ...string) report.OwnerRow {
		o := report.OwnerRow{ID: id, Label: tax.Owners.Label(id, lang, "en"), Count: count, Share: float64(count) / 412,
			Delta28: f(0.2), Praise: praise}
		for _, t := range top {
			for _, r := range reasons {
				if r.ID == t {
					o.Top, o.TopLabels = append(o.Top, t), append(o.TopLabels, r.Label)
				}
			}
		}
		for range spikes {
			o.Spikes = append(o.Spikes, late.ID)
		}
		return o
	}
	logistics := owner("logistics", 116, 1, 0, "delivery_late", "delivery_status")
	logistics.Notes = []report.Note{{At: time.Date(2026, 3, 2, 13, 40, 0, 0, oslo), Text: "pakken står på terminalen"}}
	return &report.Summary{
		Date: day.String(), From: day.String(), Days: 1, Timezone: "Europe/Oslo", Team: team, Lang: lang,
		Complete: true, Detail: true, HistoryDays: 28, EnoughHistory: true,
		Total: 412, Hours: hours,
		Volume:  report.Volume{Total: 412, WeekdayMean: f(388), Weekdays: 4, Change: f(0.062)},
		Reasons: reasons,
		Pareto:  report.Pareto{IDs: []string{"delivery_late", "delivery_status", "invoice_unclear"}, Share: 0.81, Of: 7, Total: 300},
		Split: report.Split{Irritant: report.Part{Count: 380, Share: 0.92}, Value: report.Part{Count: 23, Share: 0.056},
			Uncoded: report.Part{Count: 9, Share: 0.022}, Preventable: report.Part{Count: 350, Share: 0.85}},
		Flags:       report.Flags{Spikes: []string{late.ID}, Drops: []string{invoice.ID}, Trends: []string{defect.ID}},
		RepeatRate:  f(0.18),
		Repeats:     &report.Repeats{WindowDays: 7, WithRef: 300, Coverage: 0.73, Repeats: 54, Rate: f(0.18), SameCategoryRate: f(0.09)},
		FCRReported: f(0.78), FCRMeasured: f(0.74),
		FCR:    report.FCR{Reported: f(0.78), Measured: f(0.74), CohortFrom: day.Add(-7).String(), CohortTo: day.Add(-7).String(), UnknownShare: 0.07},
		Handle: report.Handle{Used: 410, TotalMinutes: 2480, MeanS: f(363), MedianS: f(325)},
		Owners: []report.OwnerRow{logistics, owner("billing", 33, 0, 0, "invoice_unclear"),
			owner("product", 75, 0, 0, "product_defect", "account_details", "how_to_use"),
			owner("customer_service", 21, 0, 12, "praise_service", "delivery_other")},
		Praise: []report.PraiseRow{{ID: praise.ID, Label: praise.Label, Owner: praise.Owner, OwnerLabel: praise.OwnerLabel,
			Count: 12, Notes: []report.Note{{At: time.Date(2026, 3, 2, 12, 15, 0, 0, oslo), Text: "takk for rask hjelp"}}}},
		Health: report.Health{CatchAll: 9, CatchAllShare: 0.022, Level: "ok", CatchAllNotes: other.Notes, CatchAllNotesTotal: 1,
			UnusedDays: 90, UnknownShare: 0.07, RefCoverage: 0.73},
		Options: report.UsedOptions{MinHistoryDays: 14},
	}
}
