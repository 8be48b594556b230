package demo

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"whycall/store"
	"whycall/taxonomy"
)

// Generator makes the contacts of one demo data set, a day at a time, in
// start-time order. It is not safe for concurrent use.
type Generator struct {
	opt Options
	rng *rand.Rand

	reasons []reasonInfo
	shares  []float64 // base share of each reason among primary contacts, sums to 1
	spikeR  int       // index of the spike's reason
	spike   Spike

	days []dayPlan
	next int // index of the next day to generate

	agents []agent
	teams  []string

	rings     []ring // per reason: recent contacts a later one may follow up on
	customers uint64 // size of the customer pool
	refA      uint64 // scramble customer numbers: digits = (c·refA + refB) mod 10⁷
	refB      uint64

	secCum      []float64 // cumulative base shares over reasons a secondary may be
	secIdx      []int     // the reason index of each secCum entry
	leave       []int     // causes of leaving, for cancel_leave's secondary
	cancelLeave int       // index of cancel_leave, -1 if absent
}

// reasonInfo is one offered reason with its profile.
type reasonInfo struct {
	id       string
	category string
	prof     profile
	kind     taxonomy.Kind
	catchAll bool
	praise   bool    // praise or suggestion: short positive notes
	notes    notes   // notes agents write on it
	noteP    float64 // chance a contact of it has a note
	chains   []chainPick
	siblings []int // other offered, non-catch-all reasons of the same category
}

// chainPick is a chain source with the cumulative share of contacts that
// follow up on it (over the reason's list of sources).
type chainPick struct {
	from int
	cum  float64
}

type agent struct{ name, team, lang string }

// dayPlan is one local calendar day and how many contacts it gets.
type dayPlan struct {
	y     int
	m     time.Month
	d     int
	date  string
	wd    time.Weekday
	n     int
	spike int // index into Spike.Days, -1 on ordinary days
}

// ring holds the most recent contacts of one reason that a later contact
// may be a repeat of: customer and start time, oldest overwritten first.
type ring struct {
	cust []uint32
	at   []int64
	next int
	n    int
}

const ringSize = 1024

func (r *ring) push(cust uint32, at int64) {
	if r.cust == nil {
		r.cust, r.at = make([]uint32, ringSize), make([]int64, ringSize)
	}
	r.cust[r.next], r.at[r.next] = cust, at
	r.next = (r.next + 1) % ringSize
	r.n = min(r.n+1, ringSize)
}

// Time windows of repeats: a follow-up comes at least an hour and at most
// a week after the contact it follows up on (the summary's repeat window).
const (
	repeatMin = int64(time.Hour / time.Millisecond)
	repeatMax = int64(7 * 24 * time.Hour / time.Millisecond)
)

// pick returns a customer whose contact is in [at−repeatMax, at−repeatMin],
// favouring recent ones, or false.
func (r *ring) pick(rng *rand.Rand, at int64) (uint32, bool) {
	if r.n == 0 {
		return 0, false
	}
	u := rng.Float64()
	k := int(float64(r.n) * u * u) // 0 is the newest
	i := (r.next - 1 - k + 2*ringSize) % ringSize
	if d := at - r.at[i]; d < repeatMin || d > repeatMax {
		return 0, false
	}
	return r.cust[i], true
}

// New plans a data set: checks the options, weighs the taxonomy's offered
// reasons, lays out the days and plants the spike. Contacts are made by Next.
func New(opt Options) (*Generator, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("demo options: %w", err)
	}
	g := &Generator{
		opt: opt,
		rng: rand.New(rand.NewPCG(opt.Seed, 0x5eed_da7a_c0ffee)),
	}
	if err := g.planReasons(opt.Taxonomy); err != nil {
		return nil, err
	}
	g.planAgents()
	g.planDays()
	g.customers = min(max(200, uint64(opt.Contacts)*45/100), 9_999_999)
	g.refA = g.rng.Uint64N(9_000_000) | 1
	if g.refA%5 == 0 {
		g.refA += 2
	}
	g.refB = g.rng.Uint64N(10_000_000)
	g.rings = make([]ring, len(g.reasons))
	return g, nil
}

// planReasons weighs every offered reason: the built-in profiles where the
// reason is known, else a Zipf-like weight in a seeded order, irritants
// weighted over value reasons.
func (g *Generator) planReasons(t *taxonomy.Taxonomy) error {
	index := map[string]int{}
	var unknown []int
	for _, c := range t.Categories {
		for _, r := range c.Reasons {
			if r.Deprecated {
				continue
			}
			ri := reasonInfo{id: r.ID, category: c.ID, kind: r.Kind, catchAll: r.CatchAll}
			p, ok := knownProfiles[r.ID]
			switch {
			case r.CatchAll:
				ri.prof = derivedProfile(r)
				ri.prof.weight = catchAllWeight
				ri.notes, ok = catchAllNotes[c.ID]
				if !ok {
					ri.notes = genericCatchAll
				}
				ri.noteP = 1
			case ok:
				ri.prof = p
			default:
				ri.prof = derivedProfile(r)
				unknown = append(unknown, len(g.reasons))
			}
			if !r.CatchAll && (strings.HasPrefix(r.ID, "praise") || r.ID == "suggestion" ||
				(r.Kind == taxonomy.KindValue && c.ID == "feedback")) {
				ri.praise = true
				if ri.notes, ok = praiseNotes[r.ID]; !ok {
					ri.notes = genericPraise
				}
				ri.noteP = 0.85
			}
			if ri.notes.nb == nil {
				ri.notes, ri.noteP = everydayNotes, 0.04
			}
			index[r.ID] = len(g.reasons)
			g.reasons = append(g.reasons, ri)
		}
	}
	if len(g.reasons) == 0 {
		return fmt.Errorf("taxonomy %s offers no reasons to draw from", t.ID)
	}
	// Reasons the built-in profiles do not know get Zipf weights by a seeded
	// rank, so any taxonomy gets a long-tailed mix.
	g.rng.Shuffle(len(unknown), func(i, j int) { unknown[i], unknown[j] = unknown[j], unknown[i] })
	for rank, i := range unknown {
		w := 90 / math.Pow(float64(rank+1), 0.9)
		if g.reasons[i].praise {
			w = math.Min(w, 5)
		} else if g.reasons[i].kind == taxonomy.KindValue {
			w *= 0.35
		}
		g.reasons[i].prof.weight = w
	}

	sum := 0.0
	for _, r := range g.reasons {
		sum += r.prof.weight
	}
	g.shares = make([]float64, len(g.reasons))
	for i, r := range g.reasons {
		g.shares[i] = r.prof.weight / sum
	}

	g.cancelLeave = -1
	for i := range g.reasons {
		r := &g.reasons[i]
		cum := 0.0
		for _, cs := range knownChains[r.id] {
			if from, ok := index[cs.from]; ok {
				cum += cs.share
				r.chains = append(r.chains, chainPick{from, cum})
			}
		}
		for j, s := range g.reasons {
			if j != i && s.category == r.category && !s.catchAll {
				r.siblings = append(r.siblings, j)
			}
		}
		if !r.catchAll && !r.praise {
			g.secIdx = append(g.secIdx, i)
			g.secCum = append(g.secCum, cumLast(g.secCum)+g.shares[i])
		}
		if r.id == "cancel_leave" {
			g.cancelLeave = i
		}
	}
	for _, id := range leaveCauses {
		if i, ok := index[id]; ok {
			g.leave = append(g.leave, i)
		}
	}
	g.spikeR = g.chooseSpikeReason(index)
	return nil
}

func cumLast(cum []float64) float64 {
	if len(cum) == 0 {
		return 0
	}
	return cum[len(cum)-1]
}

// derivedProfile is the profile of a reason the built-in profiles do not
// know, from its kind and treatment.
func derivedProfile(r *taxonomy.Reason) profile {
	p := profile{handleM: 6, fcr: 0.75, repeat: 0.05}
	switch r.Treatment {
	case taxonomy.TreatAutomate:
		p.handleM, p.fcr = 4, 0.88
	case taxonomy.TreatSimplify:
		p.handleM, p.fcr = 5.5, 0.84
	case taxonomy.TreatEliminate:
		p.handleM, p.fcr, p.repeat = 6.5, 0.68, 0.07
	case taxonomy.TreatLeverage:
		p.handleM, p.fcr, p.repeat = 7, 0.93, 0.02
	}
	if r.CatchAll {
		p.handleM, p.fcr = 5.5, 0.76
	}
	return p
}

// chooseSpikeReason is delivery_late when the taxonomy offers it, else the
// third most common irritant that is not a catch-all (the top ones are too
// big to triple believably).
func (g *Generator) chooseSpikeReason(index map[string]int) int {
	if i, ok := index[spikeReason]; ok && !g.reasons[i].catchAll {
		return i
	}
	var cands []int
	for i, r := range g.reasons {
		if !r.catchAll && !r.praise && r.kind != taxonomy.KindValue {
			cands = append(cands, i)
		}
	}
	if len(cands) == 0 {
		for i, r := range g.reasons {
			if !r.catchAll {
				cands = append(cands, i)
			}
		}
	}
	if len(cands) == 0 {
		return 0
	}
	slices.SortStableFunc(cands, func(a, b int) int {
		switch {
		case g.shares[a] > g.shares[b]:
			return -1
		case g.shares[a] < g.shares[b]:
			return 1
		}
		return 0
	})
	return cands[min(2, len(cands)-1)]
}

// Agent names per team; the Swedish team writes its notes in Swedish.
var teamNames = []struct {
	team, lang string
	names      []string
}{
	{"oslo", "nb", []string{"ingrid", "lars", "nora", "ole", "kari", "emil", "sofie", "jonas", "hanne", "magnus"}},
	{"goteborg", "sv", []string{"astrid", "nils", "linnea", "erik", "freja", "axel", "elsa", "oskar", "maja", "viktor"}},
	{"bergen", "nb", []string{"sigrid", "henrik", "thea", "aksel", "marte", "sindre", "ida", "tor", "live", "even"}},
}

// planAgents names the agents and puts them in teams: one team for a single
// agent, two up to five agents, three from six.
func (g *Generator) planAgents() {
	nt := 3
	switch {
	case g.opt.Agents == 1:
		nt = 1
	case g.opt.Agents < 6:
		nt = 2
	}
	for t := 0; t < nt; t++ {
		g.teams = append(g.teams, teamNames[t].team)
	}
	for i := 0; i < g.opt.Agents; i++ {
		t := teamNames[i%nt]
		k := i / nt
		name := AgentPrefix + t.names[k%len(t.names)]
		if k >= len(t.names) {
			name += fmt.Sprint("-", k/len(t.names)+1)
		}
		g.agents = append(g.agents, agent{name, t.team, t.lang})
	}
}

// Day-to-day volume varies by about this much (log-normal σ) on top of the
// weekday pattern.
const dayNoise = 0.04

// planDays lays out the days ending on End, gives each its share of the
// contacts by weekday, plants the spike on the last two days and splits the
// total exactly.
func (g *Generator) planDays() {
	loc := g.opt.Location
	ey, em, ed := g.opt.End.In(loc).Date()
	weights := make([]float64, g.opt.Days)
	for i := range g.opt.Days {
		day := time.Date(ey, em, ed-(g.opt.Days-1-i), 12, 0, 0, 0, loc)
		y, m, d := day.Date()
		g.days = append(g.days, dayPlan{y: y, m: m, d: d, date: day.Format(time.DateOnly), wd: day.Weekday(), spike: -1})
		weights[i] = weekdayVolume[day.Weekday()] * math.Exp(dayNoise*g.rng.NormFloat64())
	}
	sum := 0.0
	for _, w := range weights {
		sum += w
	}

	nSpike := min(2, g.opt.Days)
	first := g.opt.Days - nSpike
	q := g.shares[g.spikeR]
	usual := math.Inf(1) // the smaller spike day's usual count
	for i := first; i < g.opt.Days; i++ {
		usual = math.Min(usual, float64(g.opt.Contacts)*weights[i]/sum*q)
	}
	f := spikeFactor(usual, q)
	g.spike = Spike{Reason: g.reasons[g.spikeR].id, Factor: f}
	for i := first; i < g.opt.Days; i++ {
		weights[i] *= 1 + (f-1)*q
		g.days[i].spike = i - first
		g.spike.Days = append(g.spike.Days, g.days[i].date)
	}
	for i, n := range allocate(g.opt.Contacts, weights) {
		g.days[i].n = n
	}
	for i := first; i < g.opt.Days; i++ {
		u := float64(g.days[i].n) * q / (1 + (f-1)*q)
		g.spike.Usual = append(g.spike.Usual, u)
		g.spike.Counts = append(g.spike.Counts, int(math.Round(f*u)))
	}
}

// spikeFactor is the smallest factor from 3 up (in steps of ½) at which a
// reason usually seen `usual` times a day, with share q, is flagged by the
// summary's test (count ≥ 5, ≥ 1.5 × expected, P(X ≥ count) < 0.001) with a
// wide margin: the expectation is taken as if the baseline already held a
// spike day in 14, and the test at 0.00001 and ×1.8.
func spikeFactor(usual, q float64) float64 {
	f := 3.0
	for ; f < 100; f += 0.5 {
		n := int(math.Round(f * usual))
		lambda := math.Max(0.5, usual*(1+(f-1)*q)*(1+(f-1)/14))
		if n >= 5 && float64(n) >= 1.8*lambda && poissonSF(n, lambda) < 1e-5 {
			break
		}
	}
	return f
}

// Spike returns the planted spike.
func (g *Generator) Spike() Spike { return g.spike }

// Options returns the options in use, defaults filled in.
func (g *Generator) Options() Options { return g.opt }

// Total is the number of contacts the generator makes.
func (g *Generator) Total() int { return g.opt.Contacts }

// Teams lists the names of the teams.
func (g *Generator) Teams() []string { return slices.Clone(g.teams) }

// Agents lists the agents' names.
func (g *Generator) Agents() []string {
	names := make([]string, len(g.agents))
	for i, a := range g.agents {
		names[i] = a.name
	}
	return names
}

// FirstDay and LastDay are the local dates of the data set, YYYY-MM-DD.
func (g *Generator) FirstDay() string { return g.days[0].date }

// Start is midnight at the start of the first day: a fixed clock for the
// store while it takes demo data (when the taxonomy was "added"), so that a
// seed gives the same database every time.
func (g *Generator) Start() time.Time {
	d := g.days[0]
	return time.Date(d.y, d.m, d.d, 0, 0, 0, 0, g.opt.Location)
}

// LastDay is the local date of the last day, YYYY-MM-DD.
func (g *Generator) LastDay() string { return g.days[len(g.days)-1].date }

// Next returns the contacts of the next day in start-time order, or false
// when every day has been made. The slice is the caller's.
func (g *Generator) Next() ([]store.Contact, bool) {
	if g.next >= len(g.days) {
		return nil, false
	}
	dp := g.days[g.next]
	g.next++
	return g.makeDay(g.next-1, dp), true
}

// Handle-time and channel figures.
var (
	channelCum  = []float64{0.68, 0.88, 0.98, 1.0} // phone, chat, email, other
	channelMult = []float64{1.0, 1.4, 0.7, 1.0}    // handle time relative to phone
	refCoverage = []float64{0.70, 0.82, 0.93, 0.50}
)

const (
	handleSigma   = 0.55  // log-normal σ of handle times
	unknownShare  = 0.07  // outcome left unset
	forgottenRate = 0.001 // contact left open for hours (dropped by the summary)
	zeroRate      = 0.0005
	secondaryRate = 0.06
	leaveCauseP   = 0.55 // cancel_leave with its cause as secondary
	resolvedKeep  = 0.25 // chance a resolved contact is one a repeat can follow up on
	minuteMs      = 60_000
)

// makeDay makes day i's contacts.
func (g *Generator) makeDay(i int, dp dayPlan) []store.Contact {
	rng, loc := g.rng, g.opt.Location
	starts, cum := daySlots(dp.y, dp.m, dp.d, loc)
	times := make([]int64, dp.n)
	for k := range times {
		s := pickCum(rng, cum)
		times[k] = starts[s] + rng.Int64N(slotMinutes*minuteMs)
	}
	slices.Sort(times)

	counts := g.reasonCounts(dp)
	order := make([]int32, 0, dp.n)
	for r, c := range counts {
		for range c {
			order = append(order, int32(r))
		}
	}
	rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })

	onShift := g.onShift(i, dp.wd)
	out := make([]store.Contact, dp.n)
	reasons := make([]string, 0, dp.n+dp.n/10)
	tver := g.opt.Taxonomy.Version
	for k, at := range times {
		ri := int(order[k])
		r := &g.reasons[ri]
		a := onShift[rng.IntN(len(onShift))]
		c := &out[k]
		c.ID = makeID(at, rng)
		c.Agent, c.Team, c.Site = a.name, a.team, g.opt.Site
		c.TaxonomyVersion = tver

		ch := pickCum(rng, channelCum)
		c.Channel = store.Channels[ch]

		start := len(reasons)
		reasons = append(reasons, r.id)
		if sec, ok := g.secondary(ri); ok {
			reasons = append(reasons, g.reasons[sec].id)
		}
		c.Reasons = reasons[start:len(reasons):len(reasons)]

		c.Outcome = g.outcome(r.prof.fcr)

		cover := refCoverage[ch]
		if r.praise {
			cover /= 2
		}
		if rng.Float64() < cover {
			cust := g.customer(r, ri, at)
			c.CustomerRef = g.opt.Ref(g.rawRef(cust))
			if c.Outcome != store.OutcomeResolved || rng.Float64() < resolvedKeep {
				g.rings[ri].push(cust, at)
			}
		}
		if rng.Float64() < r.noteP {
			list := r.notes.in(a.lang)
			c.Note = list[rng.IntN(len(list))]
		}

		handle := g.handleMs(r.prof.handleM * channelMult[ch])
		c.StartedAt = time.UnixMilli(at).In(loc)
		c.EndedAt = time.UnixMilli(at + handle).In(loc)
		c.UpdatedAt = c.EndedAt.Add(time.Duration(5+rng.IntN(85)) * time.Second)
		c.Rev = int64(2 + len(c.Reasons))
		for _, set := range []bool{c.CustomerRef != "", c.Note != "", c.Outcome != store.OutcomeUnknown} {
			if set {
				c.Rev++
			}
		}
	}
	return out
}

// reasonCounts splits the day's contacts over the reasons: each count is its
// share of the day plus noise cut at two standard deviations (Poisson-like
// but never extreme), so that only the planted spike stands out; the spike's reason gets exactly its planted
// count on spike days.
func (g *Generator) reasonCounts(dp dayPlan) []int {
	rng := g.rng
	counts := make([]int, len(g.shares))
	denom, lim := 1.0, 2.0
	if dp.spike >= 0 {
		// The spike's extra contacts raise the day's total, and with it the
		// count the summary expects of every other reason, by about a
		// tenth: keep their noise tighter so none looks like a drop.
		denom, lim = 1+(g.spike.Factor-1)*g.shares[g.spikeR], 1.5
	}
	sum := 0
	for r, q := range g.shares {
		e := float64(dp.n) * q / denom
		if dp.spike >= 0 && r == g.spikeR {
			counts[r] = g.spike.Counts[dp.spike]
		} else {
			counts[r] = max(0, int(math.Round(e+clampedNorm(rng, lim)*math.Sqrt(e))))
		}
		sum += counts[r]
	}
	// Bring the sum to the day's total, a contact at a time, on reasons
	// picked by share (never the spike's).
	cum := make([]float64, len(g.shares))
	total := 0.0
	for r, q := range g.shares {
		if !(dp.spike >= 0 && r == g.spikeR) {
			total += q
		}
		cum[r] = total
	}
	for sum != dp.n {
		r := pickCum(rng, cum)
		if dp.spike >= 0 && r == g.spikeR {
			continue
		}
		switch {
		case sum < dp.n:
			counts[r]++
			sum++
		case counts[r] > 0:
			counts[r]--
			sum--
		}
	}
	return counts
}

// onShift returns the agents working on day i: on weekdays each agent has
// one rotating day off in five, at weekends a third of them work.
func (g *Generator) onShift(i int, wd time.Weekday) []agent {
	var on []agent
	for k, a := range g.agents {
		if wd == time.Saturday || wd == time.Sunday {
			if (i/7+k)%3 == 0 {
				on = append(on, a)
			}
		} else if (i+k)%5 != 0 {
			on = append(on, a)
		}
	}
	if len(on) == 0 {
		return g.agents
	}
	return on
}

// secondary returns a second reason for some contacts: the cause of leaving
// on cancel_leave, else mostly a reason of the same category.
func (g *Generator) secondary(ri int) (int, bool) {
	r := &g.reasons[ri]
	rng := g.rng
	if r.catchAll || r.praise {
		return 0, false
	}
	if ri == g.cancelLeave && len(g.leave) > 0 {
		if rng.Float64() < leaveCauseP {
			return g.leave[rng.IntN(len(g.leave))], true
		}
		return 0, false
	}
	if rng.Float64() >= secondaryRate {
		return 0, false
	}
	var s int
	if len(r.siblings) > 0 && rng.Float64() < 0.6 {
		s = r.siblings[rng.IntN(len(r.siblings))]
	} else if len(g.secCum) > 0 {
		s = g.secIdx[pickCum(rng, g.secCum)]
	} else {
		return 0, false
	}
	return s, s != ri
}

// outcome draws how the contact ended, resolved with chance fcr when the
// agent set an outcome at all.
func (g *Generator) outcome(fcr float64) store.Outcome {
	u := g.rng.Float64()
	switch {
	case u < unknownShare:
		return store.OutcomeUnknown
	case u < unknownShare+(1-unknownShare)*fcr:
		return store.OutcomeResolved
	}
	switch v := g.rng.Float64(); {
	case v < 0.40:
		return store.OutcomeUnresolved
	case v < 0.85:
		return store.OutcomeFollowUp
	}
	return store.OutcomeEscalated
}

// customer returns who the contact is from: a customer following up on an
// earlier contact (along the reason's chains, or about the same reason after
// an open one), else one drawn from the whole pool.
func (g *Generator) customer(r *reasonInfo, ri int, at int64) uint32 {
	u := g.rng.Float64()
	for _, cp := range r.chains {
		if u < cp.cum {
			if c, ok := g.rings[cp.from].pick(g.rng, at); ok {
				return c
			}
			break
		}
	}
	if g.rng.Float64() < r.prof.repeat {
		if c, ok := g.rings[ri].pick(g.rng, at); ok {
			return c
		}
	}
	return uint32(g.rng.Uint64N(g.customers))
}

// rawRef is what an agent types for customer c: a customer number or a
// Norwegian or Swedish mobile number, written in one of the ways people
// write it. All ways of writing one customer normalise alike.
func (g *Generator) rawRef(c uint32) string {
	digits := (uint64(c)*g.refA + g.refB) % 10_000_000
	kind := (uint64(c) * 0x9E3779B97F4A7C15 >> 32) % 10
	style := g.rng.IntN(3)
	switch {
	case kind < 5: // customer number
		switch style {
		case 0:
			return fmt.Sprintf("KD-%07d", digits)
		case 1:
			return fmt.Sprintf("kd %07d", digits)
		}
		return fmt.Sprintf("KD%07d", digits)
	case kind < 8: // Norwegian mobile, 8 digits from 4 or 9
		lead := "9"
		if c%3 == 0 {
			lead = "4"
		}
		n := fmt.Sprintf("%s%07d", lead, digits)
		switch style {
		case 0:
			return n[:3] + " " + n[3:5] + " " + n[5:]
		case 1:
			return n
		}
		return n[:3] + "-" + n[3:5] + "-" + n[5:]
	}
	// Swedish mobile: 07 + 0/2/3 + 7 digits.
	n := fmt.Sprintf("07%c%07d", "023"[c%3], digits)
	switch style {
	case 0:
		return n[:3] + "-" + n[3:6] + " " + n[6:8] + " " + n[8:]
	case 1:
		return n
	}
	return n[:3] + " " + n[3:6] + " " + n[6:8] + " " + n[8:]
}

// handleMs draws a handle time with the given median (minutes): log-normal,
// with a few contacts left open for hours and a few closed at once.
func (g *Generator) handleMs(median float64) int64 {
	rng := g.rng
	switch u := rng.Float64(); {
	case u < zeroRate:
		return 0
	case u < zeroRate+forgottenRate:
		return int64(4*time.Hour/time.Millisecond) + rng.Int64N(int64(5*time.Hour/time.Millisecond))
	}
	return int64(median * minuteMs * math.Exp(handleSigma*rng.NormFloat64()))
}

// makeID returns a UUIDv7 for a contact started at ms: the time in the first
// 48 bits, the rest from rng, so a seed gives the same ids every time.
func makeID(ms int64, rng *rand.Rand) string {
	var u uuid.UUID
	var ts [8]byte
	binary.BigEndian.PutUint64(ts[:], uint64(ms))
	copy(u[:6], ts[2:])
	binary.BigEndian.PutUint64(u[8:], rng.Uint64())
	a := rng.Uint64()
	u[6] = 0x70 | byte(a>>8)&0x0f // version 7
	u[7] = byte(a)
	u[8] = 0x80 | u[8]&0x3f // RFC 9562 variant
	return u.String()
}
