package demo

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"whycall/store"
	"whycall/taxonomy"
	"whycall/taxonomy/taxtest"
)

// flag is one reason the summary's spike test (summary-metrics §5) flags on
// one day: n contacts where lambda were expected.
type flag struct {
	day, reason string
	n           int
	lambda      float64
	drop        bool
}

func (f flag) String() string {
	kind := "spike"
	if f.drop {
		kind = "drop"
	}
	return fmt.Sprintf("%s %s %s: %d (expected %.1f)", kind, f.day, f.reason, f.n, f.lambda)
}

// poissonCDF returns P(X ≤ n) for X ~ Poisson(lambda).
func poissonCDF(n int, lambda float64) float64 { return 1 - poissonSF(n+1, lambda) }

// spikeFlags runs the summary's spike and drop tests on every day from
// `from` on, against the 28 complete days before it, on primary reasons.
func spikeFlags(g *Generator, days [][]store.Contact, from int) []flag {
	counts := make([]map[string]int, len(days))
	totals := make([]int, len(days))
	for i, d := range days {
		counts[i] = map[string]int{}
		for _, c := range d {
			counts[i][c.Primary()]++
		}
		totals[i] = len(d)
	}
	var flags []flag
	for D := from; D < len(days); D++ {
		w0 := max(0, D-28)
		if D-w0 < 14 {
			continue
		}
		C := 0
		Cr := map[string]int{}
		for i := w0; i < D; i++ {
			C += totals[i]
			for r, n := range counts[i] {
				Cr[r] += n
			}
		}
		for _, r := range g.reasons {
			n := counts[D][r.id]
			lambda := math.Max(float64(totals[D])*float64(Cr[r.id])/float64(C), 0.5)
			if n >= 5 && float64(n) >= 1.5*lambda && poissonSF(n, lambda) < 0.001 {
				flags = append(flags, flag{g.days[D].date, r.id, n, lambda, false})
			}
			if lambda >= 10 && float64(n) <= lambda/1.5 && poissonCDF(n, lambda) < 0.001 {
				flags = append(flags, flag{g.days[D].date, r.id, n, lambda, true})
			}
		}
	}
	return flags
}

func TestPoissonTail(t *testing.T) {
	// The test vectors of summary-metrics §5: the smallest flagged n for λ.
	for _, tc := range []struct {
		lambda float64
		n      int
	}{{0.5, 5}, {1, 6}, {2, 9}, {3, 11}, {5, 14}, {10, 22}, {20, 36}, {50, 75}, {100, 150}, {200, 300}} {
		t.Run(fmt.Sprintf("λ %v is first flagged at %d", tc.lambda, tc.n), func(t *testing.T) {
			flagged := func(n int) bool {
				return n >= 5 && float64(n) >= 1.5*tc.lambda && poissonSF(n, tc.lambda) < 0.001
			}
			if !flagged(tc.n) || flagged(tc.n-1) {
				t.Errorf("flagged(%d) = %v, flagged(%d) = %v", tc.n, flagged(tc.n), tc.n-1, flagged(tc.n-1))
			}
		})
	}
}

func TestPlantedSpike(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  Options
	}{
		{"a default demo", Options{}},
		{"a small team", Options{Contacts: 8_000, Days: 60, Seed: 7}},
		{"a big centre", Options{Contacts: 1_000_000, Days: 90, Seed: 3}},
		{"another seed", Options{Contacts: 150_000, Days: 45, Seed: 99}},
	} {
		t.Run(tc.name+" flags the planted spike and nothing else", func(t *testing.T) {
			if testing.Short() && tc.opt.Contacts > 200_000 {
				t.Skip("big data set")
			}
			g, days := generate(t, tc.opt)
			sp := g.Spike()
			if sp.Reason != "delivery_late" || len(sp.Days) != 2 || sp.Factor < 3 {
				t.Fatalf("spike %v", sp)
			}
			// Every day with a full 28-day baseline, plus the spike days.
			flags := spikeFlags(g, days, min(28, len(days)-2))
			var want, got []string
			for _, d := range sp.Days {
				want = append(want, "spike "+d+" delivery_late")
			}
			for _, f := range flags {
				got = append(got, fmt.Sprintf("%s %s %s", map[bool]string{false: "spike", true: "drop"}[f.drop], f.day, f.reason))
			}
			if !slices.Equal(got, want) {
				t.Errorf("flagged:\n%v\nwant only %v", flags, want)
			}
			for i, d := range sp.Days {
				n := 0
				for _, c := range days[len(days)-len(sp.Days)+i] {
					if c.Primary() == sp.Reason {
						n++
					}
				}
				if n != sp.Counts[i] || math.Abs(float64(n)/sp.Usual[i]-sp.Factor) > 0.1*sp.Factor {
					t.Errorf("%s: %d %s contacts, spike says %d, ×%.2f of usual %.1f", d, n, sp.Reason, sp.Counts[i], float64(n)/sp.Usual[i], sp.Usual[i])
				}
			}
		})
	}
}

func TestSpikeString(t *testing.T) {
	s := Spike{Reason: "delivery_late", Days: []string{"2026-11-23", "2026-11-24"}, Factor: 3}
	if got, want := s.String(), "delivery_late on 2026-11-23 and 2026-11-24, ×3"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	s.Factor = 4.5
	if got, want := s.String(), "delivery_late on 2026-11-23 and 2026-11-24, ×4.5"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestRepeatContacts(t *testing.T) {
	_, days := generate(t, Options{Contacts: 100_000, Days: 40})
	type seen struct {
		reason string
		at     int64
	}
	last := map[string]seen{}
	withRef, repeats := 0, 0
	chains := map[string]int{}
	week := int64(repeatMax)
	for _, d := range days {
		for _, c := range d {
			if c.CustomerRef == "" {
				continue
			}
			withRef++
			at := c.StartedAt.UnixMilli()
			if p, ok := last[c.CustomerRef]; ok && at-p.at <= week {
				repeats++
				chains[p.reason+" → "+c.Primary()]++
			}
			last[c.CustomerRef] = seen{c.Primary(), at}
		}
	}
	cover := float64(withRef) / 100_000
	rcr := float64(repeats) / float64(withRef)
	if cover < 0.6 || cover > 0.85 {
		t.Errorf("customer ref coverage %.2f, want about 0.73", cover)
	}
	if rcr < 0.08 || rcr > 0.35 {
		t.Errorf("7-day repeat rate %.2f, want 0.08–0.35", rcr)
	}
	for _, ch := range []string{"delivery_status → delivery_late", "product_defect → claim_followup", "return_withdrawal → refund_credit_missing"} {
		if chains[ch] < 100 {
			t.Errorf("chain %s seen %d times, want it among the top", ch, chains[ch])
		}
	}
}

func TestAnyTaxonomy(t *testing.T) {
	tax := taxtest.MustGenerate(t, 60)
	g, days := generate(t, Options{Taxonomy: tax, Contacts: 120_000, Days: 60, Seed: 11})

	t.Run("draws every contact from the taxonomy's offered reasons", func(t *testing.T) {
		used := map[string]int{}
		for _, d := range days {
			for _, c := range d {
				r, ok := tax.Reason(c.Primary())
				if !ok || r.Deprecated {
					t.Fatalf("contact %s has reason %q, not offered by the taxonomy", c.ID, c.Primary())
				}
				if c.TaxonomyVersion != tax.Version {
					t.Fatalf("contact %s has taxonomy version %q, want %q", c.ID, c.TaxonomyVersion, tax.Version)
				}
				used[c.Primary()]++
			}
		}
		if len(used) < 40 {
			t.Errorf("only %d reasons used", len(used))
		}
	})

	t.Run("plants its spike on a common irritant and flags nothing else", func(t *testing.T) {
		sp := g.Spike()
		r, _ := tax.Reason(sp.Reason)
		if r == nil || r.CatchAll || r.Kind != taxonomy.KindIrritant {
			t.Fatalf("spike on %q (%+v)", sp.Reason, r)
		}
		want := []string{"spike " + sp.Days[0] + " " + sp.Reason, "spike " + sp.Days[1] + " " + sp.Reason}
		var got []string
		for _, f := range spikeFlags(g, days, 28) {
			got = append(got, fmt.Sprintf("%s %s %s", map[bool]string{false: "spike", true: "drop"}[f.drop], f.day, f.reason))
		}
		if !slices.Equal(got, want) {
			t.Errorf("flagged %v, want %v", got, want)
		}
	})
}
