package report

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync"
	"time"

	"whycall/store"
	"whycall/taxonomy"
)

// baselineDays is the length of the baseline window W of the spike test and
// of b28.
const baselineDays = 28

// Summarize computes the summary of req from src. It reads the rollup for
// the baselines and, for ranges up to Options.DetailDays, the range's
// contacts; the reads run concurrently. Input the summary cannot be made for
// is reported with ErrBadDate, ErrFutureDate, ErrUnknownTeam or ErrNoData
// (test with errors.Is).
func Summarize(ctx context.Context, src Source, req Request, opt Options) (*Summary, error) {
	opt = opt.withDefaults()
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	loc := src.Location()
	if loc == nil {
		loc = time.UTC
	}
	days := req.Days
	if days == 0 {
		days = 1
	}
	if days < 1 || days > MaxDays {
		return nil, fmt.Errorf("summary of %d days: want 1 to %d", days, MaxDays)
	}
	now := opt.Now()
	today := DayOf(now, loc)
	last := req.Day
	if last.IsZero() {
		last = today
	}
	if today.Before(last) {
		return nil, fmt.Errorf("date %s: %w (today is %s)", last, ErrFutureDate, today)
	}
	firstData, err := checkData(ctx, src, req.Team)
	if err != nil {
		return nil, err
	}

	p := newPlan(last, days, now, loc, opt)
	p.team = req.Team
	in, err := p.read(ctx, src, opt)
	if opt.ReadsDone != nil {
		opt.ReadsDone()
	}
	if err != nil {
		return nil, fmt.Errorf("summary of %s: %w", last, err)
	}
	c := &computer{p: p, opt: opt, in: in, loc: loc, test: opt.spikeTest(), firstData: firstData, now: now}
	return c.compute(), nil
}

// checkData tells an empty database and an unknown team apart from a day
// without contacts, and returns the first day with data.
func checkData(ctx context.Context, src Source, team string) (Day, error) {
	first, _, err := src.DataDays(ctx, team)
	if err != nil {
		return Day{}, err
	}
	if first != "" {
		d, _ := parseDayString(first)
		return d, nil
	}
	teams, err := src.Teams(ctx)
	if err != nil {
		return Day{}, err
	}
	if len(teams) == 0 {
		return Day{}, ErrNoData
	}
	for i, t := range teams {
		if t == "" {
			teams[i] = `""`
		}
	}
	return Day{}, fmt.Errorf("team %q: %w; teams with contacts: %s", team, ErrUnknownTeam, strings.Join(teams, ", "))
}

// plan is which days a summary reads.
type plan struct {
	team     string
	from, to Day // the range
	days     int
	detail   bool
	window   time.Duration // the repeat window
	// base is the first rollup day read: early enough for the 28-day
	// baseline, the 7-day trend's 28 days and the volume comparison.
	base Day
	// shift and periods define the volume comparison: the same range
	// shifted back by k·shift days, k = 1..periods.
	shift, periods int
	// cohortFrom, cohortTo is the matured measured-FCR cohort.
	cohortFrom, cohortTo Day
	complete             bool
}

func newPlan(last Day, days int, now time.Time, loc *time.Location, opt Options) *plan {
	p := &plan{from: last.Add(-(days - 1)), to: last, days: days, detail: days <= opt.DetailDays}
	p.window = time.Duration(opt.RepeatWindowDays) * 24 * time.Hour
	p.shift = 7 * ((days + 6) / 7)
	p.periods = 4
	if days > baselineDays {
		p.periods = 1
	}
	back := max(baselineDays+6, p.periods*p.shift) // D−34 for the trend's baseline
	p.base = p.from.Add(-back)
	p.cohortTo = last.Add(-opt.RepeatWindowDays)
	for p.cohortTo.End(loc).Add(p.window).After(now) {
		p.cohortTo = p.cohortTo.Add(-1)
	}
	p.cohortFrom = p.cohortTo.Add(-(days - 1))
	p.complete = !last.End(loc).After(now)
	return p
}

// inputs is everything a summary reads.
type inputs struct {
	rows     []store.ReasonDay
	used     []string // reasons used in the unused-reason window before rows
	lab      *labeler
	contacts contactPieces // the range (detail)
	// The measured-FCR cohort (detail): counts per reason, or the contacts
	// themselves when only same-category later contacts count.
	cohort         []store.ReasonCohort
	cohortContacts contactPieces
	// Options.RollingDays
	rollRepeats contactPieces
	rollCohort  []store.ReasonCohort
}

// maxReads is how many of a summary's queries run at once.
const maxReads = 4

// read runs the summary's queries concurrently: the store is SQLite in WAL
// mode, where readers do not block each other. Reading contacts is split in
// pieces (halves of a day, or single days), so that finding each contact's
// earlier contacts, the costliest part, spreads over the cores.
func (p *plan) read(ctx context.Context, src Source, opt Options) (*inputs, error) {
	loc := src.Location()
	in := &inputs{}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
		sem  = make(chan struct{}, maxReads)
	)
	run := func(f func() error) {
		wg.Go(func() {
			sem <- struct{}{}
			err := f()
			<-sem
			if err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	var joins []func() // after the reads: join the cohorts' pieces
	contacts := func(dst *contactPieces, q store.ContactQuery) {
		*dst = inPieces(run, p.query(q, opt), loc, func(q store.ContactQuery) ([]store.SummaryContact, error) {
			return src.SummaryContacts(ctx, q)
		})
	}
	cohorts := func(dst *[]store.ReasonCohort, q store.ContactQuery) {
		got := inPieces(run, p.query(q, opt), loc, func(q store.ContactQuery) ([]store.ReasonCohort, error) {
			return src.ReasonCohorts(ctx, q)
		})
		joins = append(joins, func() { *dst = slices.Concat(got...) })
	}
	if p.detail {
		contacts(&in.contacts, store.ContactQuery{From: p.from.Start(loc), To: p.to.End(loc),
			Before: p.window, Agents: opt.PerAgent})
		cohort := store.ContactQuery{From: p.cohortFrom.Start(loc), To: p.cohortTo.End(loc), WithRef: true, After: p.window}
		if opt.FCRSameCategory {
			contacts(&in.cohortContacts, cohort)
		} else {
			cohorts(&in.cohort, cohort)
		}
		if r := opt.RollingDays; r > 0 {
			contacts(&in.rollRepeats, store.ContactQuery{From: p.to.Add(-(r - 1)).Start(loc), To: p.to.End(loc),
				WithRef: true, Before: p.window})
			cohorts(&in.rollCohort, store.ContactQuery{From: p.cohortTo.Add(-(r - 1)).Start(loc), To: p.cohortTo.End(loc),
				WithRef: true, After: p.window})
		}
	}
	run(func() (err error) {
		in.rows, err = src.ReasonDays(ctx, p.base.String(), p.to.String(), p.team)
		return err
	})
	// The reasons used in the unused-reason window: the rollup rows read
	// above tell them from p.base on, this query before it.
	if usedFrom := p.to.Add(-(opt.UnusedDays - 1)); usedFrom.Before(p.base) {
		run(func() (err error) {
			in.used, err = src.ReasonsUsed(ctx, usedFrom.String(), p.base.Add(-1).String(), p.team)
			return err
		})
	}
	run(func() (err error) {
		in.lab, err = newLabeler(ctx, src, opt)
		return err
	})
	wg.Wait()
	if len(errs) > 0 {
		return nil, errs[0]
	}
	for _, join := range joins {
		join()
	}
	return in, nil
}

// query fills in what every contact query of the plan shares.
func (p *plan) query(q store.ContactQuery, opt Options) store.ContactQuery {
	q.Team, q.TransferGap = p.team, opt.TransferGap
	return q
}

// inPieces runs read on each piece of q's range (see pieces) through run,
// each into its own slot of the result: valid once every read is done.
func inPieces[T any](run func(func() error), q store.ContactQuery, loc *time.Location,
	read func(store.ContactQuery) ([]T, error)) [][]T {
	parts := pieces(q.From, q.To, loc)
	got := make([][]T, len(parts))
	for i, part := range parts {
		piece := q
		piece.From, piece.To = part[0], part[1]
		run(func() (err error) {
			got[i], err = read(piece)
			return err
		})
	}
	return got
}

// contactPieces are contacts as read, piece by piece in range order: joined
// into one slice, every contact would be copied once more.
type contactPieces [][]store.SummaryContact

// len is the number of contacts.
func (p contactPieces) len() int {
	n := 0
	for _, part := range p {
		n += len(part)
	}
	return n
}

// all yields every contact.
func (p contactPieces) all() iter.Seq[*store.SummaryContact] {
	return func(yield func(*store.SummaryContact) bool) {
		for _, part := range p {
			for i := range part {
				if !yield(&part[i]) {
					return
				}
			}
		}
	}
}

// pieces splits [from, to) into its local days, or a single day at noon.
func pieces(from, to time.Time, loc *time.Location) [][2]time.Time {
	var out [][2]time.Time
	for d := DayOf(from, loc); d.Start(loc).Before(to); d = d.Add(1) {
		a, b := maxTime(d.Start(loc), from), minTime(d.End(loc), to)
		out = append(out, [2]time.Time{a, b})
	}
	if len(out) == 1 {
		a, b := out[0][0], out[0][1]
		mid := time.Date(a.In(loc).Year(), a.In(loc).Month(), a.In(loc).Day(), 12, 0, 0, 0, loc)
		if a.Before(mid) && mid.Before(b) {
			out = [][2]time.Time{{a, mid}, {mid, b}}
		}
	}
	return out
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// computer turns inputs into a Summary.
type computer struct {
	p         *plan
	opt       Options
	in        *inputs
	loc       *time.Location
	test      SpikeTest
	firstData Day
	now       time.Time

	roll  *rollup
	s     *Summary
	info  map[string]reasonMeta
	rows  map[string]*ReasonRow
	total counts // the range's totals
	// detail figures per reason, from single contacts
	versions map[string]map[string]bool
	handles  map[string][]int64
	notes    map[string][]rawNote // newest first
}

func (c *computer) compute() *Summary {
	p, opt := c.p, c.opt
	c.roll = newRollup(p.base, p.to, c.in.rows)
	c.total = c.roll.total(p.from, p.to)
	s := &Summary{
		Date: p.to.String(), From: p.from.String(), Days: p.days, Timezone: c.loc.String(),
		Team: p.team, Lang: opt.Lang, Complete: p.complete, Detail: p.detail,
		Total: c.total.primary,
		Options: UsedOptions{Alpha: opt.Alpha, MinCount: opt.MinCount, MinRatio: opt.MinRatio,
			MinHistoryDays: opt.MinHistoryDays, Dispersion: opt.Dispersion, RepeatWindowDays: opt.RepeatWindowDays,
			ParetoShare: opt.ParetoShare, CatchAllWarn: opt.CatchAllWarn, CatchAllAlert: opt.CatchAllAlert,
			PerAgent: opt.PerAgent},
		Notices: []string{}, Hours: []HourCount{}, Reasons: []ReasonRow{}, Categories: []CategoryRow{},
		Owners: []OwnerRow{}, Praise: []PraiseRow{},
		Flags: Flags{Spikes: []string{}, Drops: []string{}, Trends: []string{}},
	}
	c.s = s
	s.HistoryDays = c.roll.dataDays(p.from.Add(-baselineDays), p.from.Add(-1))
	s.EnoughHistory = s.HistoryDays >= opt.MinHistoryDays

	if p.detail {
		c.scanContacts()
	}
	c.reasonRows()
	c.volume()
	c.categories()
	c.paretos()
	c.split()
	c.outcomes()
	if p.detail {
		c.repeats()
		c.measuredFCR()
	}
	c.owners()
	c.praise()
	c.health()
	c.notices()
	return s
}

// reasonRows builds a row for every reason with contacts or mentions in the
// range, or with a drop.
func (c *computer) reasonRows() {
	p, s, roll := c.p, c.s, c.roll
	n := c.total.primary
	w0, w1 := p.from.Add(-baselineDays), p.from.Add(-1)
	b7from := p.from.Add(-7)
	days7 := roll.dataDays(b7from, w1)
	days28 := roll.dataDays(w0, w1)
	base := roll.total(w0, w1)
	// The trend: the last 7 days against the 28 before them.
	t0, t1 := p.to.Add(-6), p.to
	tw0, tw1 := p.to.Add(-34), p.to.Add(-7)
	trendOK := p.days <= 7 && roll.dataDays(tw0, tw1) >= c.opt.MinHistoryDays
	trendN := roll.total(t0, t1).primary
	trendBase := roll.total(tw0, tw1).primary

	ids := make([]string, 0, len(roll.reasons))
	for id := range roll.reasons {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	c.info = make(map[string]reasonMeta, len(ids))
	c.rows = make(map[string]*ReasonRow, len(ids))
	for _, id := range ids {
		cur := roll.sum(id, p.from, p.to)
		ri := c.reasonMeta(id)
		c.info[id] = ri
		row := ReasonRow{
			ID: id, Label: ri.label, Category: ri.category, CategoryLabel: ri.categoryLabel,
			Owner: ri.owner, OwnerLabel: ri.ownerLabel, Kind: ri.kind, Treatment: ri.treatment,
			CatchAll: ri.catchAll, Deprecated: c.retired(ri), Praise: ri.praise, Unknown: !ri.known,
			Count: cur.primary, Share: ratio(cur.primary, n), AlsoMentioned: cur.secondary,
			Minutes: cur.minutes(), MinutesShare: ratioF(cur.minutes(), c.total.minutes()),
			HandleN: cur.handleN, Notes: []Note{},
		}
		if cur.handleN > 0 {
			row.MeanS = ptr(float64(cur.handleMs) / float64(cur.handleN) / 1000)
		}
		rate := float64(cur.primary) / float64(p.days)
		row.B7, row.Delta7, row.New7 = baseline(roll.sum(id, b7from, w1).primary, days7, rate)
		row.B28, row.Delta28, row.New28 = baseline(roll.sum(id, w0, w1).primary, days28, rate)
		if s.EnoughHistory && id != "" && base.primary > 0 {
			lambda := float64(n) * float64(roll.sum(id, w0, w1).primary) / float64(base.primary)
			phi := 1.0
			if c.opt.Dispersion {
				phi = Dispersion(roll.daily(id, false, w0, w1, true))
			}
			v := c.test.Test(cur.primary, lambda, phi)
			row.Expected, row.Ratio, row.PValue = ptr(v.Expected), ptr(v.Ratio), ptr(v.P)
			row.Spike, row.Drop = v.Spike, v.Drop
		}
		if trendOK && id != "" && trendBase > 0 {
			k := roll.sum(id, t0, t1).primary
			lambda := float64(trendN) * float64(roll.sum(id, tw0, tw1).primary) / float64(trendBase)
			phi := 1.0
			if c.opt.Dispersion {
				phi = Dispersion(roll.daily(id, false, tw0, tw1, true))
			}
			v := c.test.Test(k, lambda, phi)
			row.Trend = &Trend{Count: k, Expected: v.Expected, Ratio: v.Ratio, PValue: v.P, Spike: v.Spike}
		}
		row.Daily = roll.daily(id, false, w0, p.to, false)
		if hs := c.handles[id]; len(hs) > 0 {
			row.MedianS = ptr(Median(hs) / 1000)
			row.P90S = ptr(Percentile(hs, 0.9) / 1000)
		}
		row.Notes = c.noteList(c.notes[id], c.opt.NotesPerReason)
		if row.Count == 0 && row.AlsoMentioned == 0 && !row.Drop {
			continue
		}
		s.Reasons = append(s.Reasons, row)
	}
	slices.SortFunc(s.Reasons, func(a, b ReasonRow) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(b.AlsoMentioned, a.AlsoMentioned), cmp.Compare(a.ID, b.ID))
	})
	for i := range s.Reasons {
		r := &s.Reasons[i]
		c.rows[r.ID] = r
		if r.Spike {
			s.Flags.Spikes = append(s.Flags.Spikes, r.ID)
		}
		if r.Drop {
			s.Flags.Drops = append(s.Flags.Drops, r.ID)
		}
		if r.Trend != nil && r.Trend.Spike {
			s.Flags.Trends = append(s.Flags.Trends, r.ID)
		}
	}
	if c.total.handleN > 0 {
		s.Handle.MeanS = ptr(float64(c.total.handleMs) / float64(c.total.handleN) / 1000)
	}
	s.Handle.Used = c.total.handleN
	s.Handle.Dropped = c.total.primary - c.total.handleN
	s.Handle.TotalMinutes = c.total.minutes()
	s.Daily = make([]DayCount, 0, p.to.Sub(w0)+1)
	for d, i := w0, 0; !p.to.Before(d); d, i = d.Add(1), i+1 {
		s.Daily = append(s.Daily, DayCount{Day: d.String(), Count: roll.daily("", true, d, d, false)[0]})
	}
}

// reasonMeta describes id from the newest taxonomy version its contacts in
// the range used, or the newest stored version that has it.
func (c *computer) reasonMeta(id string) reasonMeta {
	rank := -1
	if vs := c.versions[id]; len(vs) > 0 {
		rank = c.in.lab.newestOf(vs)
	}
	return c.in.lab.info(id, rank)
}

// current is the taxonomy in use now: Options.Taxonomy, or the newest stored.
func (c *computer) current() *taxonomy.Taxonomy {
	if c.opt.Taxonomy != nil {
		return c.opt.Taxonomy
	}
	return c.in.lab.newest()
}

// retired reports whether a known reason is no longer offered: deprecated
// or gone in the current taxonomy.
func (c *computer) retired(ri reasonMeta) bool {
	if !ri.known {
		return false
	}
	cur := c.current()
	if cur == nil {
		return ri.deprecated
	}
	r, ok := cur.Reason(ri.id)
	return !ok || r.Deprecated
}

// baseline returns the mean per day with data of sum over dataDays, and the
// change of rate against it ("new" when the baseline is zero).
func baseline(sum, dataDays int, rate float64) (b, delta *float64, isNew bool) {
	if dataDays == 0 {
		return nil, nil, false
	}
	mean := float64(sum) / float64(dataDays)
	if mean == 0 {
		return ptr(0.0), nil, rate > 0
	}
	return ptr(mean), ptr((rate - mean) / mean), false
}

// volume compares the range's total with the same weekdays of earlier weeks.
func (c *computer) volume() {
	p, s := c.p, c.s
	v := Volume{Total: s.Total}
	var totals []int
	for k := 1; k <= p.periods; k++ {
		a, b := p.from.Add(-k*p.shift), p.to.Add(-k*p.shift)
		if c.roll.dataDays(a, b) == 0 {
			continue
		}
		totals = append(totals, c.roll.total(a, b).primary)
	}
	v.Weekdays = len(totals)
	if len(totals) > 0 {
		sum := 0
		for _, t := range totals {
			sum += t
		}
		mean := float64(sum) / float64(len(totals))
		v.WeekdayMean = ptr(mean)
		if mean > 0 {
			v.Change = ptr((float64(s.Total) - mean) / mean)
		}
		if len(totals) >= 2 {
			phi := 1.0
			if c.opt.Dispersion {
				phi = Dispersion(totals)
			}
			t := c.test.Test(s.Total, mean, phi)
			v.Expected, v.PValue, v.Spike, v.Drop = ptr(t.Expected), ptr(t.P), t.Spike, t.Drop
		}
	}
	s.Volume = v
}

// categories sums reasons per category, with the catch-all share of each.
func (c *computer) categories() {
	s := c.s
	byID := map[string]*CategoryRow{}
	var order []string
	for _, r := range s.Reasons {
		if r.Count == 0 {
			continue
		}
		cr := byID[r.Category]
		if cr == nil {
			label := r.CategoryLabel
			if r.Category == "" {
				label = msg(c.opt.Lang, "uncoded")
			}
			cr = &CategoryRow{ID: r.Category, Label: label}
			byID[r.Category] = cr
			order = append(order, r.Category)
		}
		cr.Count += r.Count
		if r.CatchAll {
			cr.CatchAll += r.Count
		}
	}
	for _, id := range order {
		cr := byID[id]
		cr.Share = ratio(cr.Count, s.Total)
		cr.CatchAllShare = ratio(cr.CatchAll, cr.Count)
		cr.Level = c.level(cr.CatchAllShare, cr.Count)
		s.Categories = append(s.Categories, *cr)
	}
	slices.SortFunc(s.Categories, func(a, b CategoryRow) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.ID, b.ID))
	})
}

// level judges a catch-all share.
func (c *computer) level(share float64, n int) string {
	switch {
	case n < c.opt.CatchAllMinContacts:
		return ""
	case share > c.opt.CatchAllAlert:
		return "alert"
	case share > c.opt.CatchAllWarn:
		return "warn"
	}
	return "ok"
}

// paretos computes the count and cost Pareto of the range and of the last
// 7 days.
func (c *computer) paretos() {
	p, s := c.p, c.s
	weights := func(from, to Day, minutes bool) map[string]float64 {
		w := map[string]float64{}
		for id, ri := range c.info {
			if !ri.known || ri.catchAll || ri.kind != string(taxonomy.KindIrritant) {
				continue
			}
			sum := c.roll.sum(id, from, to)
			if minutes {
				w[id] = sum.minutes()
			} else {
				w[id] = float64(sum.primary)
			}
		}
		return w
	}
	s.Pareto = c.pareto(weights(p.from, p.to, false), p.days)
	s.ParetoMinutes = c.pareto(weights(p.from, p.to, true), p.days)
	s.Pareto7d = c.pareto(weights(p.to.Add(-6), p.to, false), 7)
	s.ParetoMinutes7d = c.pareto(weights(p.to.Add(-6), p.to, true), 7)
}

// pareto returns the smallest prefix of the reasons by weight whose
// cumulative share reaches Options.ParetoShare.
func (c *computer) pareto(w map[string]float64, days int) Pareto {
	type item struct {
		id string
		w  float64
	}
	var items []item
	for id, x := range w {
		if x > 0 {
			items = append(items, item{id, x})
		}
	}
	slices.SortFunc(items, func(a, b item) int { return cmp.Or(cmp.Compare(b.w, a.w), cmp.Compare(a.id, b.id)) })
	// Summed in that order, not the map's, so that the same data gives the
	// same total to the last bit.
	total := 0.0
	for _, it := range items {
		total += it.w
	}
	pr := Pareto{IDs: []string{}, Labels: []string{}, Of: len(items), Total: total, Days: days}
	cum := 0.0
	for _, it := range items {
		if total == 0 || cum >= c.opt.ParetoShare*total*(1-1e-12) {
			break
		}
		cum += it.w
		pr.IDs = append(pr.IDs, it.id)
		pr.Labels = append(pr.Labels, c.info[it.id].label)
	}
	pr.Share = ratioF(cum, total)
	return pr
}

// split computes the value/irritant/uncoded split and the preventable share.
func (c *computer) split() {
	s := c.s
	var now, base [5]counts // irritant, value, uncoded, preventable, leverage
	w0, w1 := c.p.from.Add(-baselineDays), c.p.from.Add(-1)
	for id, ri := range c.info {
		cur, old := c.roll.sum(id, c.p.from, c.p.to), c.roll.sum(id, w0, w1)
		k := 2
		switch {
		case !ri.known || ri.catchAll:
		case ri.kind == string(taxonomy.KindIrritant):
			k = 0
		case ri.kind == string(taxonomy.KindValue):
			k = 1
		}
		now[k].add(&cur)
		base[k].add(&old)
		if ri.known && !ri.catchAll && ri.preventable {
			now[3].add(&cur)
			base[3].add(&old)
		}
		if ri.known && !ri.catchAll && ri.treatment == string(taxonomy.TreatLeverage) {
			now[4].add(&cur)
		}
	}
	part := func(x counts) Part {
		return Part{Count: x.primary, Share: ratio(x.primary, s.Total), Minutes: x.minutes()}
	}
	s.Split = Split{Irritant: part(now[0]), Value: part(now[1]), Uncoded: part(now[2]),
		Preventable: part(now[3]), Leverage: part(now[4])}
	if bt := c.roll.total(w0, w1).primary; bt > 0 {
		s.Split.Baseline28 = &SplitShares{Irritant: ratio(base[0].primary, bt), Value: ratio(base[1].primary, bt),
			Uncoded: ratio(base[2].primary, bt), Preventable: ratio(base[3].primary, bt)}
	}
}

// outcomes computes the reported FCR from the rollup's outcome counts.
func (c *computer) outcomes() {
	s, t := c.s, c.total
	s.FCR.Resolved, s.FCR.NotResolved, s.FCR.Unknown = t.resolved, t.notResolved, t.unknown
	if t.resolved+t.notResolved > 0 {
		s.FCR.Reported = ptr(ratio(t.resolved, t.resolved+t.notResolved))
	}
	s.FCR.UnknownShare = ratio(t.unknown, t.primary)
	s.FCRReported = s.FCR.Reported
	s.FCR.SameCategory = c.opt.FCRSameCategory
}

// owners builds one block per owner department, sorted by irritant minutes.
func (c *computer) owners() {
	s, p := c.s, c.p
	w0, w1 := p.from.Add(-baselineDays), p.from.Add(-1)
	days28 := c.roll.dataDays(w0, w1)
	byID := map[string]*OwnerRow{}
	base := map[string]int{}
	for id, ri := range c.info {
		o := byID[ri.owner]
		if o == nil {
			o = &OwnerRow{ID: ri.owner, Label: c.in.lab.ownerLabel(ri.owner),
				Top: []string{}, TopLabels: []string{}, Spikes: []string{}, Notes: []Note{}}
			byID[ri.owner] = o
		}
		base[ri.owner] += c.roll.sum(id, w0, w1).primary
	}
	for _, r := range s.Reasons { // by count, so Top fills in order
		o := byID[r.Owner]
		o.Count += r.Count
		o.Minutes += r.Minutes
		if r.Kind == string(taxonomy.KindIrritant) && !r.CatchAll {
			o.IrritantMinutes += r.Minutes
		}
		if r.Count > 0 && len(o.Top) < 3 {
			o.Top = append(o.Top, r.ID)
			o.TopLabels = append(o.TopLabels, r.Label)
		}
		if r.Spike {
			o.Spikes = append(o.Spikes, r.ID)
		}
		if r.Praise {
			o.Praise += r.Count
		}
	}
	// Notes to forward: praise and suggestions first, then spiking reasons.
	for _, praiseFirst := range []bool{true, false} {
		for _, r := range s.Reasons {
			o := byID[r.Owner]
			if (praiseFirst && !r.Praise) || (!praiseFirst && !r.Spike) {
				continue
			}
			if room := c.opt.NotesPerReason - len(o.Notes); room > 0 {
				o.Notes = append(o.Notes, c.noteList(c.notes[r.ID], room)...)
			}
		}
	}
	for id, o := range byID {
		if o.Count == 0 {
			continue
		}
		o.Share = ratio(o.Count, s.Total)
		_, o.Delta28, o.New28 = baseline(base[id], days28, float64(o.Count)/float64(p.days))
		s.Owners = append(s.Owners, *o)
	}
	slices.SortFunc(s.Owners, func(a, b OwnerRow) int {
		return cmp.Or(cmp.Compare(b.IrritantMinutes, a.IrritantMinutes), cmp.Compare(b.Count, a.Count), cmp.Compare(a.ID, b.ID))
	})
}

// praise lists praise and suggestion reasons with their notes.
func (c *computer) praise() {
	s := c.s
	for _, r := range s.Reasons {
		if !r.Praise || r.Count == 0 {
			continue
		}
		s.Praise = append(s.Praise, PraiseRow{ID: r.ID, Label: r.Label, Owner: r.Owner, OwnerLabel: r.OwnerLabel,
			Suggestion: c.info[r.ID].suggestion, Count: r.Count, Notes: c.noteList(c.notes[r.ID], maxDigestNotes)})
	}
}

// maxDigestNotes bounds the notes kept per praise reason and for recoding.
const (
	maxDigestNotes   = 50
	maxCatchAllNotes = 200
)

// health reports the taxonomy's health.
func (c *computer) health() {
	s, opt := c.s, c.opt
	h := &s.Health
	for _, r := range s.Reasons {
		if r.CatchAll || r.ID == "" {
			h.CatchAll += r.Count
		}
	}
	h.CatchAllShare = ratio(h.CatchAll, s.Total)
	h.Level = c.level(h.CatchAllShare, s.Total)
	s.CatchAllShare = ptr(h.CatchAllShare)
	if s.Total == 0 {
		s.CatchAllShare = nil
	}
	h.UnknownShare = s.FCR.UnknownShare
	h.RefCoverage = ratio(c.total.ref, s.Total)
	h.UnusedDays = opt.UnusedDays
	var recode []rawNote
	for id, ri := range c.info {
		if ri.catchAll || id == "" {
			recode = append(recode, c.notes[id]...)
		}
	}
	sortNotes(recode)
	h.CatchAllNotesTotal = len(recode)
	h.CatchAllNotes = c.noteList(recode, maxCatchAllNotes)

	cur := c.current()
	h.Versions = []TaxonomyRef{}
	if cur != nil {
		h.Taxonomy = TaxonomyRef{ID: cur.ID, Revision: cur.Revision, Version: cur.Version}
		if !c.firstData.After(c.p.to.Add(-(opt.UnusedDays - 1))) {
			used := map[string]bool{}
			for _, id := range c.in.used {
				used[id] = true
			}
			from := c.p.to.Add(-(opt.UnusedDays - 1)).String()
			for i := range c.in.rows {
				if r := &c.in.rows[i]; r.Day >= from {
					used[r.Reason] = true
				}
			}
			h.Unused = []UnusedReason{}
			for _, cat := range cur.Categories {
				for _, r := range cat.Reasons {
					if !r.Deprecated && !r.CatchAll && !used[r.ID] {
						h.Unused = append(h.Unused, UnusedReason{ID: r.ID, Label: r.Label(opt.Lang)})
					}
				}
			}
		}
	}
	var vs []string
	for _, m := range c.versions {
		for v := range m {
			vs = append(vs, v)
		}
	}
	slices.Sort(vs)
	for _, v := range slices.Compact(vs) {
		ref := TaxonomyRef{Version: v}
		if r, ok := c.in.lab.rank[v]; ok {
			ref.ID, ref.Revision = c.in.lab.versions[r].TaxonomyID, c.in.lab.versions[r].Revision
		}
		h.Versions = append(h.Versions, ref)
	}
}

// notices adds the codes that explain missing or weak figures.
func (c *computer) notices() {
	s, opt := c.s, c.opt
	add := func(code string, cond bool) {
		if cond {
			s.Notices = append(s.Notices, code)
		}
	}
	add("no_contacts", s.Total == 0)
	add("partial_day", !s.Complete)
	add("not_enough_history", !s.EnoughHistory)
	add("low_volume", s.Total > 0 && float64(s.Total)/float64(s.Days) < float64(opt.LowVolume))
	add("no_detail", !s.Detail)
	add("ref_coverage_low", s.Total > 0 && s.Health.RefCoverage < opt.RefCoverageWarn)
	add("unused_needs_history", s.Health.Unused == nil && s.Health.Taxonomy.Version != "")
	add("taxonomy_unreadable", len(c.in.lab.unreadable) > 0)
}

func ptr[T any](v T) *T { return &v }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func ratioF(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// rawNote is a note as read, before it is shown: most are never shown, so
// their times are turned into local times only when they are.
type rawNote struct {
	ms           int64
	reason, text string
}

// sortNotes sorts notes newest first.
func sortNotes(ns []rawNote) {
	slices.SortFunc(ns, func(a, b rawNote) int {
		return cmp.Or(cmp.Compare(b.ms, a.ms), cmp.Compare(a.reason, b.reason), cmp.Compare(a.text, b.text))
	})
}

// noteList returns the first n of the sorted notes ns, ready to show.
func (c *computer) noteList(ns []rawNote, n int) []Note {
	out := make([]Note, 0, min(n, len(ns)))
	for _, r := range ns[:min(n, len(ns))] {
		out = append(out, Note{At: time.UnixMilli(r.ms).In(c.loc), Reason: r.reason, Text: r.text})
	}
	return out
}
