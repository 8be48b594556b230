package demo

import (
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"whycall/store"
	"whycall/taxonomy"
)

var (
	oslo, _ = time.LoadLocation("Europe/Oslo")
	// testEnd is a Tuesday; the 90 days before it hold the end of summer
	// time (2026-10-25).
	testEnd = time.Date(2026, 11, 24, 15, 0, 0, 0, oslo)
)

// generate makes every contact of opt, by day.
func generate(t testing.TB, opt Options) (*Generator, [][]store.Contact) {
	t.Helper()
	if opt.Taxonomy == nil {
		opt.Taxonomy = testTaxonomy()
	}
	if opt.End.IsZero() {
		opt.End = testEnd
	}
	if opt.Location == nil {
		opt.Location = oslo
	}
	g, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	var days [][]store.Contact
	for {
		cs, ok := g.Next()
		if !ok {
			return g, days
		}
		days = append(days, cs)
	}
}

func TestGenerate(t *testing.T) {
	g, days := generate(t, Options{Contacts: 60_000, Days: 60})

	t.Run("makes exactly the contacts asked for, over the days asked for", func(t *testing.T) {
		n := 0
		for _, d := range days {
			n += len(d)
		}
		if n != 60_000 || len(days) != 60 {
			t.Fatalf("got %d contacts over %d days, want 60000 over 60", n, len(days))
		}
		if g.FirstDay() != "2026-09-26" || g.LastDay() != "2026-11-24" {
			t.Errorf("days %s … %s, want 2026-09-26 … 2026-11-24", g.FirstDay(), g.LastDay())
		}
	})

	t.Run("every contact is a valid finished contact of a demo agent", func(t *testing.T) {
		ids := map[string]bool{}
		for _, d := range days {
			for i := range d {
				c := &d[i]
				if err := c.Validate(); err != nil {
					t.Fatal(err)
				}
				if c.Draft() || c.Deleted || len(c.Reasons) == 0 {
					t.Fatalf("contact %s is not an ordinary finished contact: %+v", c.ID, c)
				}
				if !strings.HasPrefix(c.Agent, AgentPrefix) || c.Team == "" || c.Site != DefaultSite {
					t.Fatalf("contact %s: agent %q team %q site %q", c.ID, c.Agent, c.Team, c.Site)
				}
				if ids[c.ID] {
					t.Fatalf("id %s twice", c.ID)
				}
				ids[c.ID] = true
				if c.ID[14] != '7' {
					t.Fatalf("id %s is not a UUIDv7", c.ID)
				}
				if c.UpdatedAt.Before(c.EndedAt) || c.Rev < 3 {
					t.Fatalf("contact %s: updated %v before end %v or rev %d", c.ID, c.UpdatedAt, c.EndedAt, c.Rev)
				}
			}
		}
	})

	t.Run("contacts start in opening hours on their local day, in order", func(t *testing.T) {
		for i, d := range days {
			for k := range d {
				st := d[k].StartedAt.In(oslo)
				from, to := openHours(st.Weekday())
				if st.Format(time.DateOnly) != g.days[i].date || st.Hour() < from || st.Hour() >= to {
					t.Fatalf("contact %s starts %v, outside %s %02d–%02d", d[k].ID, st, g.days[i].date, from, to)
				}
				if k > 0 && st.Before(d[k-1].StartedAt) {
					t.Fatalf("contacts of %s out of order", g.days[i].date)
				}
			}
		}
	})

	t.Run("catch-alls always have a note and praise usually does", func(t *testing.T) {
		catchAll, praise, praiseNoted := 0, 0, 0
		langs := map[string]int{}
		for _, d := range days {
			for _, c := range d {
				switch {
				case strings.HasSuffix(c.Reasons[0], "_other"):
					catchAll++
					if c.Note == "" {
						t.Fatalf("catch-all contact %s has no note", c.ID)
					}
				case strings.HasPrefix(c.Reasons[0], "praise_"):
					praise++
					if c.Note != "" {
						praiseNoted++
						if c.Team == "goteborg" {
							langs["sv"]++
						} else {
							langs["nb"]++
						}
					}
				}
			}
		}
		if catchAll == 0 || praise == 0 || float64(praiseNoted) < 0.7*float64(praise) {
			t.Errorf("catch-alls %d, praise %d of which %d with notes", catchAll, praise, praiseNoted)
		}
		if langs["sv"] == 0 || langs["nb"] == 0 {
			t.Errorf("praise notes by language: %v, want both nb and sv", langs)
		}
	})

	t.Run("some contacts have a secondary reason, and cancel_leave often its cause", func(t *testing.T) {
		second, leave, leaveCause := 0, 0, 0
		for _, d := range days {
			for _, c := range d {
				if len(c.Reasons) > 1 {
					second++
				}
				if c.Reasons[0] == "cancel_leave" {
					leave++
					if len(c.Reasons) > 1 {
						leaveCause++
					}
				}
			}
		}
		if share := float64(second) / 60_000; share < 0.03 || share > 0.12 {
			t.Errorf("%.1f %% of contacts have a secondary reason, want 3–12 %%", 100*share)
		}
		if share := float64(leaveCause) / float64(leave); share < 0.4 || share > 0.7 {
			t.Errorf("%.0f %% of cancel_leave contacts name a cause, want about 55 %%", 100*share)
		}
	})
}

func TestGenerateIsDeterministic(t *testing.T) {
	opt := Options{Contacts: 20_000, Days: 30, Seed: 42}
	_, a := generate(t, opt)
	_, b := generate(t, opt)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs with the same seed made different contacts")
	}
	opt.Seed = 43
	_, c := generate(t, opt)
	if reflect.DeepEqual(a, c) {
		t.Fatal("another seed made the same contacts")
	}
	if a[0][0].ID == c[0][0].ID {
		t.Fatal("another seed made the same first id")
	}
}

// weekdayMeans returns the mean number of contacts per weekday.
func weekdayMeans(days [][]store.Contact, g *Generator) [7]float64 {
	var sum, n [7]float64
	for i, d := range days {
		wd := g.days[i].wd
		sum[wd] += float64(len(d))
		n[wd]++
	}
	for i := range sum {
		sum[i] /= n[i]
	}
	return sum
}

func TestDistribution(t *testing.T) {
	g, days := generate(t, Options{Contacts: 200_000, Days: 56})

	t.Run("Monday is the busiest day and Sunday the quietest", func(t *testing.T) {
		m := weekdayMeans(days, g)
		for wd := time.Sunday; wd <= time.Saturday; wd++ {
			if wd != time.Monday && m[wd] >= m[time.Monday] {
				t.Errorf("%v has %.0f contacts a day, Monday %.0f", wd, m[wd], m[time.Monday])
			}
			if wd != time.Sunday && m[wd] <= m[time.Sunday] {
				t.Errorf("%v has %.0f contacts a day, Sunday %.0f", wd, m[wd], m[time.Sunday])
			}
		}
	})

	t.Run("weekday contacts dip at lunch", func(t *testing.T) {
		var morning, lunch int
		for _, d := range days {
			for _, c := range d {
				st := c.StartedAt.In(oslo)
				if wd := st.Weekday(); wd == time.Saturday || wd == time.Sunday {
					continue
				}
				switch h := float64(st.Hour()) + float64(st.Minute())/60; {
				case h >= 9.5 && h < 11:
					morning++
				case h >= 11.75 && h < 12.5:
					lunch++
				}
			}
		}
		// per 15 minutes: the morning window is twice as long
		if perSlotLunch, perSlotMorning := float64(lunch)/3, float64(morning)/6; perSlotLunch > 0.8*perSlotMorning {
			t.Errorf("lunch has %.0f contacts per slot, the morning %.0f: no dip", perSlotLunch, perSlotMorning)
		}
	})

	t.Run("irritants dominate and the mix is skewed", func(t *testing.T) {
		byReason := map[string]int{}
		for _, d := range days {
			for _, c := range d {
				byReason[c.Reasons[0]]++
			}
		}
		irritant := 0
		for _, c := range testTaxonomy().Categories {
			for _, r := range c.Reasons {
				if r.Kind == taxonomy.KindIrritant && !r.CatchAll {
					irritant += byReason[r.ID]
				}
			}
		}
		if share := float64(irritant) / 200_000; share < 0.8 || share > 0.95 {
			t.Errorf("irritant share %.2f, want 0.80–0.95", share)
		}
		if top := byReason["delivery_status"]; float64(top)/200_000 < 0.08 {
			t.Errorf("delivery_status has %d contacts, want the biggest reason near 11 %%", top)
		}
	})

	t.Run("handle times differ by reason", func(t *testing.T) {
		med := func(id string) float64 {
			var hs []float64
			for _, d := range days {
				for _, c := range d {
					if c.Reasons[0] == id && c.Channel == store.ChannelPhone {
						hs = append(hs, c.Duration().Minutes())
					}
				}
			}
			return median(hs)
		}
		status, defect := med("delivery_status"), med("product_defect")
		if status < 2.5 || status > 3.5 || defect < 7 || defect > 9 {
			t.Errorf("median phone handle time: delivery_status %.1f min, product_defect %.1f min; want about 3 and 8", status, defect)
		}
	})

	t.Run("reported FCR differs by reason", func(t *testing.T) {
		fcr := func(id string) float64 {
			yes, decided := 0, 0
			for _, d := range days {
				for _, c := range d {
					if c.Reasons[0] != id || c.Outcome == store.OutcomeUnknown {
						continue
					}
					decided++
					if c.Outcome == store.OutcomeResolved {
						yes++
					}
				}
			}
			return float64(yes) / float64(decided)
		}
		if a, b := fcr("how_to_use"), fcr("no_authority"); a < 0.85 || b > 0.5 {
			t.Errorf("FCR how_to_use %.2f, no_authority %.2f; want about 0.91 and 0.35", a, b)
		}
	})
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}
