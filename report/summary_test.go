package report

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"whycall/store"
	"whycall/store/storetest"
	"whycall/taxonomy"
)

// fixture is a test store with the two test taxonomy versions saved
// (v1, then v2: delivery_late renamed, invoice_unclear retired, fax_order
// dropped) and a builder for contacts.
type fixture struct {
	t      *testing.T
	s      *store.Store
	r      *store.SummaryReader
	v1, v2 *taxonomy.Taxonomy
	n      int
	batch  []store.Contact
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	var tick atomic.Int64
	clock := func() time.Time {
		return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(tick.Add(1)) * time.Millisecond)
	}
	f := &fixture{t: t, s: storetest.MustOpen(t, store.Options{Location: oslo, Now: clock})}
	f.r = reader(t, f.s)
	for i, name := range []string{"testdata/taxonomy-v1.yaml", "testdata/taxonomy-v2.yaml"} {
		y, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		tax, err := taxonomy.Load(name, y)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.s.SaveTaxonomy(context.Background(), tax.Version, tax.ID, tax.Revision, y); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			f.v1 = tax
		} else {
			f.v2 = tax
		}
	}
	return f
}

// contact is a shorthand for one finished contact.
type contact struct {
	at        time.Time
	handle    time.Duration // 0 means 5 minutes; negative means none (0 s)
	reasons   []string
	ref, note string
	agent     string
	team      string
	outcome   store.Outcome
	v1        bool // tagged with taxonomy v1 (default v2)
}

func (f *fixture) add(cs ...contact) {
	for _, c := range cs {
		f.n++
		h := c.handle
		switch {
		case h == 0:
			h = 5 * time.Minute
		case h < 0:
			h = 0
		}
		v := f.v2.Version
		if c.v1 {
			v = f.v1.Version
		}
		agent, team, outcome := c.agent, c.team, c.outcome
		if agent == "" {
			agent = "a1"
		}
		if team == "" {
			team = "t1"
		}
		if outcome == "" {
			outcome = store.OutcomeResolved
		}
		f.batch = append(f.batch, store.Contact{ID: fmt.Sprintf("c%06d", f.n), Agent: agent, Team: team,
			StartedAt: c.at, EndedAt: c.at.Add(h), Reasons: c.reasons, CustomerRef: c.ref, Note: c.note,
			Outcome: outcome, TaxonomyVersion: v})
	}
}

// reader returns a summary reader of s, closed when the test ends.
func reader(t *testing.T, s *store.Store) *store.SummaryReader {
	t.Helper()
	r := s.SummaryReader()
	t.Cleanup(func() {
		if err := r.Close(); err != nil {
			t.Errorf("close summary reader: %v", err)
		}
	})
	return r
}

func (f *fixture) save() {
	f.t.Helper()
	if err := f.s.PutMany(context.Background(), f.batch); err != nil {
		f.t.Fatal(err)
	}
	f.batch = nil
}

func (f *fixture) summarize(day Day, opt Options) *Summary {
	f.t.Helper()
	s, err := Summarize(context.Background(), f.r, Request{Day: day}, opt)
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

func at(d Day, hour, min int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hour, min, 0, 0, oslo)
}

// The hand-made day: Wednesday 2026-01-14 after 28 steady days of 20
// contacts (delivery_status 8, delivery_late 4, invoice_wrong 4,
// invoice_unclear 2, purchase_advice 2). On the day, 26 contacts:
// delivery_late 16 (a spike), delivery_status 1 (a drop), invoice_wrong 3,
// invoice_unclear 1 (v1), fax_order 1 (v1, gone from v2), delivery_other 1
// (catch-all), praise_service 1, suggestion 1, purchase_advice 1.
var handDay = Day{2026, time.January, 14}

func handMade(t *testing.T) *fixture {
	f := newFixture(t)
	D := handDay
	for back := 1; back <= 28; back++ {
		d := D.Add(-back)
		var refs [8]string
		switch back {
		case 2: // customers who come back on D with a late delivery
			refs = [8]string{"c1", "c2", "c3", "c4"}
		case 7: // the measured-FCR cohort: k1, k2 and k4 come back within 7 days
			refs = [8]string{"k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8"}
		case 4:
			refs = [8]string{"k1", "k2"}
		case 3:
			refs = [8]string{"k4"}
		case 10: // too long ago to make c5's contact on D a repeat
			refs = [8]string{"c5"}
		}
		for i := range 8 {
			f.add(contact{at: at(d, 10, i), reasons: []string{"delivery_status"}, ref: refs[i]})
		}
		for i := range 4 {
			ref := ""
			if back == 3 && i == 0 {
				ref = "w1"
			}
			f.add(contact{at: at(d, 11, i), reasons: []string{"delivery_late"}},
				contact{at: at(d, 12, i), reasons: []string{"invoice_wrong"}, ref: ref})
		}
		for i := range 2 {
			f.add(contact{at: at(d, 13, i), reasons: []string{"invoice_unclear"}, v1: true},
				contact{at: at(d, 14, i), reasons: []string{"purchase_advice"}})
		}
	}
	// The day: 16 late deliveries 09:00–14:00, handle i+1 minutes; c6's
	// second contact is a transfer of its first (another agent, 1 min later).
	lateAt := D.Start(oslo).Add(9 * time.Hour)
	for i := range 16 {
		c := contact{at: lateAt.Add(time.Duration(20*i) * time.Minute), handle: time.Duration(i+1) * time.Minute,
			reasons: []string{"delivery_late"}}
		switch {
		case i < 4:
			c.ref = fmt.Sprintf("c%d", i+1)
		case i == 4:
			c.ref = "c5"
		case i == 5:
			c.ref = "c6"
		case i == 6:
			c.ref, c.agent = "c6", "a2"
			c.at = lateAt.Add(100*time.Minute + 6*time.Minute + time.Minute)
		}
		switch {
		case i < 4:
			c.outcome = store.OutcomeUnresolved
		case i < 6:
			c.outcome = store.OutcomeUnknown
		}
		if i == 15 {
			c.reasons = append(c.reasons, "praise_delivery")
		}
		f.add(c)
	}
	other := at(D, 15, 0)
	step := func(j int) time.Time { return other.Add(time.Duration(5*j) * time.Minute) }
	f.add(
		contact{at: step(0), reasons: []string{"delivery_status"}},
		contact{at: step(1), reasons: []string{"invoice_wrong", "delivery_late"}, ref: "w1"},
		contact{at: step(2), reasons: []string{"invoice_wrong"}, handle: -1},
		contact{at: step(3), reasons: []string{"invoice_wrong"}},
		contact{at: step(4), reasons: []string{"invoice_unclear"}, v1: true},
		contact{at: step(5), reasons: []string{"fax_order"}, v1: true, handle: 5 * time.Hour},
		contact{at: step(6), reasons: []string{"delivery_other"}, note: "Kunden vil hente selv"},
		contact{at: step(7), reasons: []string{"praise_service"}, note: "Takk til Kari"},
		contact{at: step(8), reasons: []string{"suggestion"}, note: "Ønsker SMS-varsel"},
		contact{at: step(9), reasons: []string{"purchase_advice"}},
	)
	f.save()
	return f
}

// handOptions are the defaults with the hand-made day's clock: the next
// morning.
func handOptions() Options {
	o := DefaultOptions()
	o.Now = func() time.Time { return at(handDay.Add(1), 8, 0) }
	return o
}

func approx(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func reasonByID(s *Summary, id string) *ReasonRow {
	for i := range s.Reasons {
		if s.Reasons[i].ID == id {
			return &s.Reasons[i]
		}
	}
	return nil
}

func TestSummaryOfAHandMadeDay(t *testing.T) {
	f := handMade(t)
	s := f.summarize(handDay, handOptions())
	late := reasonByID(s, "delivery_late")
	status := reasonByID(s, "delivery_status")
	if late == nil || status == nil {
		t.Fatalf("reasons missing: %+v", s.Reasons)
	}
	checks := []struct {
		name string
		ok   bool
		got  any
	}{
		{"the day's volume is 26", s.Total == 26 && s.Volume.Total == 26, s.Total},
		{"the day is complete the next morning", s.Complete, s.Complete},
		{"all 28 baseline days have data", s.HistoryDays == 28 && s.EnoughHistory, s.HistoryDays},
		{"volume is compared with 4 Wednesdays of 20: +30 %",
			s.Volume.Weekdays == 4 && approx(*s.Volume.WeekdayMean, 20) && approx(*s.Volume.Change, 0.3) && !s.Volume.Spike,
			s.Volume},
		{"reasons sort by count", s.Reasons[0].ID == "delivery_late" && s.Reasons[1].ID == "invoice_wrong", s.Reasons[0].ID},
		{"late deliveries: 16, share 16/26", late.Count == 16 && approx(late.Share, 16.0/26), late.Count},
		{"a secondary mention is not volume", late.AlsoMentioned == 1, late.AlsoMentioned},
		{"b7 and b28 of late are 4 a day: Δ +300 %",
			approx(*late.B7, 4) && approx(*late.B28, 4) && approx(*late.Delta7, 3) && approx(*late.Delta28, 3), late.Delta7},
		{"late is expected 26·56/280 = 5.2 times and spikes",
			approx(*late.Expected, 5.2) && approx(*late.Ratio, 16/5.2) && approx(*late.PValue, PoissonUpper(16, 5.2)) && late.Spike && !late.Drop,
			late.Expected},
		{"status is expected 10.4 times, came once: a drop",
			approx(*status.Expected, 10.4) && status.Drop && !status.Spike && approx(*status.PValue, PoissonLower(1, 10.4)), status.PValue},
		{"flags name exactly the spike and the drop",
			slices.Equal(s.Flags.Spikes, []string{"delivery_late"}) && slices.Equal(s.Flags.Drops, []string{"delivery_status"}), s.Flags},
		{"the 7-day trend of late: 40 against 146·0.2 = 29.2, below ×1.5",
			late.Trend != nil && late.Trend.Count == 40 && approx(late.Trend.Expected, 29.2) && !late.Trend.Spike, late.Trend},
		{"the median handle time of late is 8.5 min, p90 15 min, 136 min in all",
			approx(*late.MedianS, 510) && approx(*late.P90S, 900) && approx(late.Minutes, 136), late.MedianS},
		{"handle times of 0 s and 5 h are dropped", s.Handle.Dropped == 2 && s.Handle.Used == 24, s.Handle},
		{"the 28-day sparkline ends with the day", len(late.Daily) == 29 && late.Daily[28] == 16 && late.Daily[0] == 4, late.Daily},
		{"the Pareto: late and wrong invoice are 19 of 22 irritant contacts, of 5 reasons",
			slices.Equal(s.Pareto.IDs, []string{"delivery_late", "invoice_wrong"}) && approx(s.Pareto.Share, 19.0/22) && s.Pareto.Of == 5,
			s.Pareto},
		{"the 7-day Pareto covers 7 days", s.Pareto7d.Days == 7 && s.Pareto7d.Total == 6*18+22, s.Pareto7d},
		{"the split: 22 irritant, 3 value, 1 uncoded",
			s.Split.Irritant.Count == 22 && s.Split.Value.Count == 3 && s.Split.Uncoded.Count == 1 &&
				s.Split.Preventable.Count == 22 && s.Split.Leverage.Count == 3, s.Split},
		{"the 28-day split is 90/10/0",
			s.Split.Baseline28 != nil && approx(s.Split.Baseline28.Irritant, 0.9) && approx(s.Split.Baseline28.Value, 0.1), s.Split.Baseline28},
		{"reported FCR is 20/(20+4), unknown 2 of 26",
			approx(*s.FCRReported, 20.0/24) && s.FCR.Unknown == 2 && approx(s.FCR.UnknownShare, 2.0/26), s.FCR},
		{"repeats: 5 of 8 contacts with a ref, all in the same category",
			s.Repeats.WithRef == 8 && s.Repeats.Repeats == 5 && approx(*s.RepeatRate, 5.0/8) && s.Repeats.SameCategory == 5,
			s.Repeats},
		{"the transfer is not a repeat", s.Repeats.Transfers == 1, s.Repeats.Transfers},
		{"coverage is 8 of 26", approx(s.Repeats.Coverage, 8.0/26) && s.Repeats.CoverageLow, s.Repeats.Coverage},
		{"the top chain is status → late ×4",
			len(s.Repeats.Chains) == 2 && s.Repeats.Chains[0] == Chain{From: "delivery_status", To: "delivery_late",
				FromLabel: "Hvor er varen min?", ToLabel: "Levering for sent", Count: 4}, s.Repeats.Chains},
		{"late's repeat rate is 4 of 7", late.WithRef == 7 && late.Repeats == 4, late.RepeatRate},
		{"measured FCR: cohort 7 January, 5 of 8 did not come back",
			s.FCR.CohortFrom == "2026-01-07" && s.FCR.CohortSize == 8 && approx(*s.FCRMeasured, 5.0/8), s.FCR},
		{"the catch-all share is 1/26 and its note is listed",
			approx(*s.CatchAllShare, 1.0/26) && len(s.Health.CatchAllNotes) == 1 && s.Health.CatchAllNotes[0].Text == "Kunden vil hente selv",
			s.Health},
		{"ref coverage 8/26", approx(s.Health.RefCoverage, 8.0/26), s.Health.RefCoverage},
		{"praise and the suggestion go to their owners with notes",
			len(s.Praise) == 2 && s.Praise[0].Owner == "customer_service" && s.Praise[0].Notes[0].Text == "Takk til Kari" &&
				s.Praise[1].ID == "suggestion" && s.Praise[1].Suggestion && s.Praise[1].Owner == "product", s.Praise},
		{"a reason only mentioned as secondary shows with count 0",
			reasonByID(s, "praise_delivery") != nil && reasonByID(s, "praise_delivery").Count == 0, nil},
		{"24 hours on an ordinary day", len(s.Hours) == 24 && s.Hours[9].Count == 3 && s.Hours[10].Count == 4 && s.Hours[15].Count == 10, s.Hours},
		{"unused reasons need 90 days of data", s.Health.Unused == nil && slices.Contains(s.Notices, "unused_needs_history"), s.Notices},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if !c.ok {
				t.Errorf("got %+v", c.got)
			}
		})
	}
	t.Run("the logistics block comes first, with the spike and its Δ28 of (17−12)/12", func(t *testing.T) {
		o := s.Owners[0]
		if o.ID != "logistics" || o.Count != 17 || !approx(*o.Delta28, 5.0/12) || !slices.Equal(o.Spikes, []string{"delivery_late"}) ||
			!slices.Equal(o.Top, []string{"delivery_late", "delivery_status"}) {
			t.Errorf("got %+v", o)
		}
		var praise = map[string]int{}
		for _, o := range s.Owners {
			praise[o.ID] = o.Praise
		}
		if praise["customer_service"] != 1 || praise["product"] != 1 || praise["logistics"] != 0 {
			t.Errorf("praise per owner %v", praise)
		}
	})
}

func TestRetiredAndRenamedReasonsKeepTheirLabels(t *testing.T) {
	f := handMade(t)
	s := f.summarize(handDay, handOptions())
	tests := []struct {
		id, label  string
		deprecated bool
	}{
		{"delivery_late", "Levering for sent", false},    // renamed in v2; the day's contacts used v2
		{"fax_order", "Bestilling per faks", true},       // gone from v2
		{"invoice_unclear", "Uklar faktura", true},       // deprecated in v2
		{"delivery_status", "Hvor er varen min?", false}, // unchanged
	}
	for _, tt := range tests {
		t.Run(tt.id+" is shown as "+tt.label, func(t *testing.T) {
			r := reasonByID(s, tt.id)
			if r == nil {
				t.Fatal("missing")
			}
			if r.Label != tt.label || r.Deprecated != tt.deprecated || r.Unknown {
				t.Errorf("label %q deprecated %v unknown %v", r.Label, r.Deprecated, r.Unknown)
			}
		})
	}
	t.Run("a v1-only reason keeps its category and owner", func(t *testing.T) {
		r := reasonByID(s, "fax_order")
		if r.Category != "delivery" || r.Owner != "sales" || r.Kind != "irritant" {
			t.Errorf("got %+v", r)
		}
	})
	t.Run("labels follow the language", func(t *testing.T) {
		o := handOptions()
		o.Lang = "sv"
		s := f.summarize(handDay, o)
		if r := reasonByID(s, "fax_order"); r.Label != "Beställning per fax" || r.OwnerLabel != "Försäljning" {
			t.Errorf("got %q / %q", r.Label, r.OwnerLabel)
		}
	})
}

func TestUnusedReasons(t *testing.T) {
	f := handMade(t)
	o := handOptions()
	o.UnusedDays = 20
	s := f.summarize(handDay, o)
	var ids []string
	for _, u := range s.Health.Unused {
		ids = append(ids, u.ID)
	}
	// Offered in v2 and not catch-alls: praise_delivery was only mentioned
	// as a secondary reason, which counts as use.
	if len(ids) != 0 {
		t.Errorf("unused %v, want none", ids)
	}
	o.UnusedDays = 20
	o.Taxonomy = f.v1
	s = f.summarize(handDay.Add(-1), o)
	ids = nil
	for _, u := range s.Health.Unused {
		ids = append(ids, u.ID)
	}
	want := []string{"fax_order", "praise_service", "praise_delivery", "suggestion"}
	if !slices.Equal(ids, want) {
		t.Errorf("unused the day before against v1: %v, want %v", ids, want)
	}
}

func TestMeasuredFCRLowestReasons(t *testing.T) {
	f := handMade(t)
	// An afternoon contact on the cohort day, read in the other half of the
	// day, must add to the same reason.
	f.add(contact{at: at(handDay.Add(-7), 15, 0), reasons: []string{"delivery_status"}, ref: "k9"})
	f.save()
	o := handOptions()
	o.FCRMinContacts = 5
	s := f.summarize(handDay, o)
	want := []ReasonFCR{{ID: "delivery_status", Label: "Hvor er varen min?", Contacts: 9, FCR: 6.0 / 9}}
	if !slices.Equal(s.FCR.Lowest, want) {
		t.Errorf("got %+v", s.FCR.Lowest)
	}
	t.Run("the cohort moves back a day while its window is still open", func(t *testing.T) {
		o := handOptions()
		o.Now = func() time.Time { return at(handDay, 18, 0) } // the day itself, not over
		s := f.summarize(handDay, o)
		if s.FCR.CohortTo != "2026-01-06" || s.Complete || !slices.Contains(s.Notices, "partial_day") {
			t.Errorf("cohort %s, complete %v, notices %v", s.FCR.CohortTo, s.Complete, s.Notices)
		}
	})
	t.Run("rolling figures over 28 days when asked", func(t *testing.T) {
		o := handOptions()
		o.RollingDays = 28
		s := f.summarize(handDay, o)
		if s.Repeats.Rolling == nil || s.FCR.Rolling == nil || s.Repeats.RollingDays != 28 {
			t.Fatalf("rolling %v %v", s.Repeats.Rolling, s.FCR.Rolling)
		}
	})
}

func TestOneDayOfHistory(t *testing.T) {
	f := newFixture(t)
	D := Day{2026, time.February, 2}
	for i := range 6 {
		f.add(contact{at: at(D, 9, i), reasons: []string{"delivery_late"}})
	}
	f.save()
	o := DefaultOptions()
	o.Now = func() time.Time { return at(D, 20, 0) }
	s := f.summarize(D, o)
	r := reasonByID(s, "delivery_late")
	if s.EnoughHistory || s.HistoryDays != 0 || !slices.Contains(s.Notices, "not_enough_history") {
		t.Errorf("history %d enough %v notices %v", s.HistoryDays, s.EnoughHistory, s.Notices)
	}
	if r.B7 != nil || r.B28 != nil || r.Delta7 != nil || r.Expected != nil || r.PValue != nil || r.Spike || r.New28 {
		t.Errorf("baselines should be null without history: %+v", r)
	}
	if s.Volume.WeekdayMean != nil || s.Volume.Change != nil || s.Volume.Spike {
		t.Errorf("volume %+v", s.Volume)
	}
	var buf strings.Builder
	if err := WriteJSON(&buf, s); err != nil {
		t.Fatal(err)
	}
	js := buf.String()
	if !strings.Contains(js, `"b28": null`) || !strings.Contains(js, `"enough_history": false`) || strings.Contains(js, "NaN") {
		t.Errorf("JSON should carry nulls and the flag:\n%s", js)
	}
}

func TestBadInput(t *testing.T) {
	ctx := context.Background()
	empty := reader(t, storetest.MustOpen(t, store.Options{Location: oslo}))
	f := handMade(t)
	tests := []struct {
		name string
		src  Source
		req  Request
		want error
	}{
		{"an empty database", empty, Request{Day: handDay}, ErrNoData},
		{"an unknown team", f.r, Request{Day: handDay, Team: "nobody"}, ErrUnknownTeam},
		{"a day in the future", f.r, Request{Day: handDay.Add(2)}, ErrFutureDate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Summarize(ctx, tt.src, tt.req, handOptions())
			if !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
	t.Run("an unknown team's error lists the teams", func(t *testing.T) {
		_, err := Summarize(ctx, f.r, Request{Day: handDay, Team: "nobody"}, handOptions())
		if err == nil || !strings.Contains(err.Error(), "t1") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("a day before the first contact is an empty summary, not an error", func(t *testing.T) {
		s, err := Summarize(ctx, f.r, Request{Day: handDay.Add(-100)}, handOptions())
		if err != nil || s.Total != 0 || !slices.Contains(s.Notices, "no_contacts") {
			t.Errorf("got %v, %v", s, err)
		}
	})
	t.Run("options out of range name their key", func(t *testing.T) {
		o := handOptions()
		o.RepeatWindowDays = 31
		if _, err := Summarize(ctx, f.r, Request{Day: handDay}, o); err == nil || !strings.Contains(err.Error(), "repeat_window_days") {
			t.Errorf("got %v", err)
		}
	})
}

func TestTeamFilter(t *testing.T) {
	f := handMade(t)
	f.add(contact{at: at(handDay, 9, 0), team: "t2", reasons: []string{"invoice_wrong"}})
	f.save()
	one := f.summarize(handDay, handOptions())
	s, err := Summarize(context.Background(), f.r, Request{Day: handDay, Team: "t2"}, handOptions())
	if err != nil {
		t.Fatal(err)
	}
	if s.Total != 1 || s.Team != "t2" || one.Total != 27 {
		t.Errorf("t2 total %d, all teams %d", s.Total, one.Total)
	}
	t1, err := Summarize(context.Background(), f.r, Request{Day: handDay, Team: "t1"}, handOptions())
	if err != nil || t1.Total != 26 {
		t.Errorf("t1 total %v (%v)", t1, err)
	}
}

func TestDSTDays(t *testing.T) {
	tests := []struct {
		day   Day
		hours int
	}{
		{Day{2026, time.March, 29}, 23},
		{Day{2026, time.October, 25}, 25},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s has %d hours and keeps its own contacts", tt.day, tt.hours), func(t *testing.T) {
			f := newFixture(t)
			start, end := tt.day.Start(oslo), tt.day.End(oslo)
			f.add(
				contact{at: start.Add(-time.Minute), reasons: []string{"invoice_wrong"}},
				contact{at: start, reasons: []string{"delivery_late"}},
				contact{at: start.Add(150 * time.Minute), reasons: []string{"delivery_late"}}, // 03:30 in spring, 02:30 (2nd) in autumn
				contact{at: end.Add(-time.Minute), reasons: []string{"delivery_late"}},
				contact{at: end, reasons: []string{"invoice_wrong"}},
			)
			f.save()
			o := DefaultOptions()
			o.Now = func() time.Time { return end.Add(48 * time.Hour) }
			s := f.summarize(tt.day, o)
			if s.Total != 3 || reasonByID(s, "delivery_late").Count != 3 || reasonByID(s, "invoice_wrong") != nil {
				t.Errorf("total %d, reasons %+v", s.Total, s.Reasons)
			}
			if len(s.Hours) != tt.hours {
				t.Fatalf("%d hours", len(s.Hours))
			}
			sum := 0
			for _, h := range s.Hours {
				sum += h.Count
			}
			if sum != 3 || s.Hours[0].Count != 1 || s.Hours[len(s.Hours)-1].Count != 1 || s.Hours[len(s.Hours)-1].Hour != 23 {
				t.Errorf("hours %+v", s.Hours)
			}
			if s.Hours[2].Count != 1 {
				t.Errorf("the contact 150 minutes in is in the third hour: %+v", s.Hours)
			}
			if prev, _ := Summarize(context.Background(), f.r, Request{Day: tt.day.Add(-1)}, o); prev.Total != 1 {
				t.Errorf("the day before has %d contacts, want 1", prev.Total)
			}
		})
	}
}

func TestDayArithmetic(t *testing.T) {
	now := time.Date(2026, 3, 29, 0, 30, 0, 0, oslo)
	tests := []struct {
		in      string
		want    Day
		wantErr error
	}{
		{"today", Day{2026, 3, 29}, nil},
		{"yesterday", Day{2026, 3, 28}, nil},
		{"2026-03-01", Day{2026, 3, 1}, nil},
		{"2026-03-30", Day{}, ErrFutureDate},
		{"29.03.2026", Day{}, ErrBadDate},
		{"2026-02-30", Day{}, ErrBadDate},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q parses as %v", tt.in, tt.want), func(t *testing.T) {
			got, err := ParseDay(tt.in, now, oslo)
			if !errors.Is(err, tt.wantErr) || got != tt.want {
				t.Errorf("got %v, %v", got, err)
			}
		})
	}
	t.Run("DST days are 23 and 25 hours long", func(t *testing.T) {
		for d, h := range map[Day]float64{{2026, 3, 29}: 23, {2026, 10, 25}: 25, {2026, 1, 14}: 24} {
			if got := d.End(oslo).Sub(d.Start(oslo)).Hours(); got != h {
				t.Errorf("%s: %g hours", d, got)
			}
		}
	})
	t.Run("day arithmetic agrees with the time package over four centuries", func(t *testing.T) {
		start := time.Date(1900, 1, 1, 12, 0, 0, 0, time.UTC)
		first := DayOf(start, time.UTC)
		for n := 0; n < 146097*1+5000; n += 7 {
			tm := start.AddDate(0, 0, n)
			want := DayOf(tm, time.UTC)
			if got := first.Add(n); got != want || got.Sub(first) != n || got.Weekday() != tm.Weekday() {
				t.Fatalf("day %d: got %v (weekday %v), want %v (%v)", n, got, got.Weekday(), want, tm.Weekday())
			}
		}
	})
	t.Run("adding days crosses months and years", func(t *testing.T) {
		if d := (Day{2026, 1, 1}).Add(-1); d != (Day{2025, 12, 31}) {
			t.Errorf("got %v", d)
		}
		if n := (Day{2026, 3, 1}).Sub(Day{2026, 2, 1}); n != 28 {
			t.Errorf("got %d", n)
		}
	})
}

func TestReadsAreSplitIntoPieces(t *testing.T) {
	d := Day{2026, time.October, 25}
	got := pieces(d.Start(oslo), d.End(oslo), oslo)
	if len(got) != 2 || !got[0][0].Equal(d.Start(oslo)) || got[0][1].In(oslo).Hour() != 12 || !got[1][1].Equal(d.End(oslo)) {
		t.Errorf("one day: %v", got)
	}
	got = pieces(d.Start(oslo), d.Add(3).Start(oslo), oslo)
	if len(got) != 3 || !got[1][0].Equal(d.Add(1).Start(oslo)) || !got[2][1].Equal(d.Add(3).Start(oslo)) {
		t.Errorf("three days: %v", got)
	}
	short := d.Start(oslo).Add(13 * time.Hour)
	if got := pieces(short, short.Add(time.Hour), oslo); len(got) != 1 {
		t.Errorf("an hour after noon: %v", got)
	}
}

// afterReads is a Source that counts the calls made after ReadsDone.
type afterReads struct {
	Source
	mu         sync.Mutex
	done, late int
}

func (a *afterReads) readsDone() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.done++
}

func (a *afterReads) call() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.done > 0 {
		a.late++
	}
}

func (a *afterReads) SummaryContacts(ctx context.Context, q store.ContactQuery) ([]store.SummaryContact, error) {
	a.call()
	return a.Source.SummaryContacts(ctx, q)
}

func (a *afterReads) ReasonCohorts(ctx context.Context, q store.ContactQuery) ([]store.ReasonCohort, error) {
	a.call()
	return a.Source.ReasonCohorts(ctx, q)
}

func (a *afterReads) ReasonDays(ctx context.Context, from, to, team string) ([]store.ReasonDay, error) {
	a.call()
	return a.Source.ReasonDays(ctx, from, to, team)
}

func (a *afterReads) TaxonomyYAML(ctx context.Context, version string) ([]byte, error) {
	a.call()
	return a.Source.TaxonomyYAML(ctx, version)
}

func TestReadsDoneComesOnceAfterTheLastRead(t *testing.T) {
	f := handMade(t)
	src := &afterReads{Source: f.r}
	o := handOptions()
	o.RollingDays = 28 // the most reads a summary makes
	o.ReadsDone = src.readsDone
	want, err := Summarize(context.Background(), f.r, Request{Day: handDay}, handOptions())
	if err != nil {
		t.Fatal(err)
	}
	got, err := Summarize(context.Background(), src, Request{Day: handDay}, o)
	if err != nil {
		t.Fatal(err)
	}
	if src.done != 1 || src.late != 0 {
		t.Errorf("ReadsDone came %d times, and %d reads after it; want once and none", src.done, src.late)
	}
	if got.Total != want.Total || len(got.Reasons) != len(want.Reasons) {
		t.Errorf("the summary differs with ReadsDone: %d contacts, %d reasons; want %d, %d",
			got.Total, len(got.Reasons), want.Total, len(want.Reasons))
	}
	t.Run("not when it returns before reading", func(t *testing.T) {
		src := &afterReads{Source: f.r}
		o := handOptions()
		o.ReadsDone = src.readsDone
		if _, err := Summarize(context.Background(), src, Request{Day: handDay, Team: "nobody"}, o); err == nil {
			t.Fatal("an unknown team was summarised")
		}
		if src.done != 0 {
			t.Errorf("ReadsDone came %d times", src.done)
		}
	})
}
