package report

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"whycall/store"
)

// poisson draws from Poisson(lambda) by Knuth's product of uniforms (fine
// for the small means used here).
func poisson(r *rand.Rand, lambda float64) int {
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// genShares are the daily expected counts of the generated reasons (about
// 300 contacts a day), from the test taxonomy and made-up ids.
var genShares = func() map[string]float64 {
	m := map[string]float64{"delivery_status": 60, "delivery_late": 12, "invoice_wrong": 30, "invoice_unclear": 20,
		"purchase_advice": 25, "delivery_other": 8, "praise_service": 3, "suggestion": 2}
	for i := range 17 {
		m[fmt.Sprintf("gen_reason_%02d", i)] = float64(40-2*i) / 1.5
	}
	return m
}()

// TestPlantedSpikeIsFoundAlone generates 35 days of Poisson counts in a
// real store, plants a spike of one reason on the last day and checks that
// exactly that reason is flagged; on a day without a planted change, at most
// one flag may fire (about 25 reasons × 2 one-sided tests × α = 0.001 give
// 0.05 expected false flags a day; two or more happen on fewer than 0.2 % of
// days).
func TestPlantedSpikeIsFoundAlone(t *testing.T) {
	f := newFixture(t)
	r := rand.New(rand.NewPCG(7, 11))
	D := Day{2026, time.May, 20}
	ids := make([]string, 0, len(genShares))
	for id := range genShares {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for back := 34; back >= 0; back-- {
		d := D.Add(-back)
		for _, id := range ids {
			n := poisson(r, genShares[id])
			if back == 0 && id == "delivery_late" {
				n = 12 * 3 // planted: three times the usual 12
			}
			for i := range n {
				f.add(contact{at: at(d, 8, 0).Add(time.Duration(r.IntN(10*3600)) * time.Second), reasons: []string{id},
					ref: fmt.Sprintf("cust%d", r.IntN(5000)), note: fmt.Sprint("n", i)})
			}
		}
	}
	f.save()
	o := DefaultOptions()
	o.Now = func() time.Time { return at(D.Add(1), 7, 0) }
	t.Run("the planted day flags exactly the planted reason", func(t *testing.T) {
		s := f.summarize(D, o)
		if !slices.Equal(s.Flags.Spikes, []string{"delivery_late"}) || len(s.Flags.Drops) > 0 {
			t.Errorf("spikes %v drops %v", s.Flags.Spikes, s.Flags.Drops)
		}
		if r := reasonByID(s, "delivery_late"); r.Count != 36 || *r.Expected < 8 || *r.Expected > 16 {
			t.Errorf("late: %d against %v", r.Count, *r.Expected)
		}
	})
	for back := 1; back <= 6; back++ {
		d := D.Add(-back)
		t.Run(fmt.Sprintf("an ordinary day (%s) raises at most one flag", d), func(t *testing.T) {
			s := f.summarize(d, o)
			if n := len(s.Flags.Spikes) + len(s.Flags.Drops); n > 1 {
				t.Errorf("%d flags: spikes %v drops %v", n, s.Flags.Spikes, s.Flags.Drops)
			}
		})
	}
}

// summarizeRows runs the reason rows of the summary on rollup rows alone (no store, no
// contacts, no taxonomy), for tests of the statistics over many days.
func summarizeRows(rows []store.ReasonDay, base, last Day, opt Options) *Summary {
	opt = opt.withDefaults()
	p := &plan{from: last, to: last, days: 1, base: base, shift: 7, periods: 4, complete: true}
	lab := &labeler{lang: opt.Lang, opt: opt, rank: map[string]int{}, cache: map[string]reasonMeta{}}
	c := &computer{p: p, opt: opt, in: &inputs{rows: rows, lab: lab}, loc: time.UTC, test: opt.spikeTest(), firstData: base}
	c.roll = newRollup(base, last, rows)
	c.total = c.roll.total(last, last)
	c.s = &Summary{Total: c.total.primary}
	c.s.HistoryDays = c.roll.dataDays(last.Add(-baselineDays), last.Add(-1))
	c.s.EnoughHistory = c.s.HistoryDays >= opt.MinHistoryDays
	c.reasonRows() // the flags; the rest of the summary is not needed here
	return c.s
}

// TestFalseAlarmRate checks the flags' calibration: on Poisson data with no
// change, 45 reasons over 1,000 days (45,000 one-sided tests each way), the
// false spikes and false drops must each stay within the 99.9th percentile of
// Poisson(45,000 · α) = Poisson(45), i.e. at most 67. The exact test is
// conservative and the guards drop more, so the real count is lower; the
// baseline shares are estimated from 28 days, as in use, which adds a little.
func TestFalseAlarmRate(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation")
	}
	r := rand.New(rand.NewPCG(1, 2))
	const reasons, days = 45, 1000
	means := make([]float64, reasons)
	for i := range means {
		means[i] = 60 / float64(i+1) // Zipf-like, 0.5 to 60 a day
		if means[i] < 0.5 {
			means[i] = 0.5
		}
	}
	base := Day{2020, time.January, 1}
	names := make([]string, reasons)
	for i := range names {
		names[i] = fmt.Sprintf("r%02d", i)
	}
	var window [][]int // the last 29 days of counts, per reason
	spikes, drops, tests := 0, 0, 0
	var rows []store.ReasonDay
	for d := 0; d < days+28; d++ {
		counts := make([]int, reasons)
		for i, m := range means {
			counts[i] = poisson(r, m)
		}
		window = append(window, counts)
		if len(window) > 29 {
			window = window[1:]
		}
		if len(window) < 29 {
			continue
		}
		rows = rows[:0]
		first := base.Add(d - 28)
		for k, day := range window {
			ds := first.Add(k).String()
			for i, n := range day {
				if n > 0 {
					rows = append(rows, store.ReasonDay{Day: ds, Reason: names[i], Primary: n})
				}
			}
		}
		s := summarizeRows(rows, first, first.Add(28), DefaultOptions())
		spikes += len(s.Flags.Spikes)
		drops += len(s.Flags.Drops)
		tests += reasons
	}
	t.Logf("%d tests: %d false spikes, %d false drops (expected at most %.0f each)", tests, spikes, drops, float64(tests)*0.001)
	if spikes > 67 || drops > 67 {
		t.Errorf("%d false spikes, %d false drops in %d tests; want at most 67 each", spikes, drops, tests)
	}
}
