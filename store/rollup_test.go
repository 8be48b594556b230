package store_test

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"whycall/store"
	"whycall/store/storetest"
)

// dstMoments are start times around the Europe/Oslo DST changes of 2026
// (2026-03-29 02:00 → 03:00, 2026-10-25 03:00 → 02:00) and local midnights.
func dstMoments(loc *time.Location) []time.Time {
	var ts []time.Time
	for _, d := range []struct{ y, m, d int }{{2026, 3, 28}, {2026, 3, 29}, {2026, 3, 30}, {2026, 10, 24}, {2026, 10, 25}, {2026, 10, 26}} {
		base := time.Date(d.y, time.Month(d.m), d.d, 0, 0, 0, 0, loc)
		for _, off := range []time.Duration{0, time.Millisecond, time.Hour + 59*time.Minute, 2*time.Hour + 30*time.Minute, 3 * time.Hour, 23*time.Hour + 59*time.Minute} {
			ts = append(ts, base.Add(off))
		}
	}
	// The second 02:30 of 2026-10-25 (CET), and the last millisecond before
	// midnight in UTC terms.
	ts = append(ts, time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC), time.Date(2026, 3, 28, 22, 59, 59, 999e6, time.UTC))
	return ts
}

// TestRollupEqualsRecountUnderRandomChanges runs random sequences of every
// kind of change and checks after each that the rollup equals a recount.
func TestRollupEqualsRecountUnderRandomChanges(t *testing.T) {
	loc := oslo(t)
	moments := dstMoments(loc)
	reasons := []string{"late", "damaged", "refund", "login", "other"}
	teams := []string{"billing", "delivery"}
	outcomes := store.Outcomes
	for seed := range uint64(6) {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 42))
			clk := newClock(time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC))
			s := storetest.MustOpen(t, store.Options{Now: clk.Now, Location: loc})
			var ids []string
			history := map[string][]store.Contact{}
			pick := func() string { return ids[rng.IntN(len(ids))] }
			dur := func() time.Duration {
				return []time.Duration{0, time.Millisecond, 3 * time.Minute, 4 * time.Hour, 4*time.Hour + time.Millisecond, 9 * time.Hour}[rng.IntN(6)]
			}
			ops := []func() (string, error){
				func() (string, error) {
					c, err := s.StartDraft(ctx, store.Draft{Agent: "ann", Team: teams[rng.IntN(2)], TaxonomyVersion: "v",
						StartedAt: moments[rng.IntN(len(moments))]})
					ids = append(ids, c.ID)
					return "start", err
				},
				func() (string, error) {
					id, _ := store.NewID()
					start := moments[rng.IntN(len(moments))]
					c := store.Contact{ID: id, Agent: "ann", Team: teams[rng.IntN(2)], StartedAt: start, EndedAt: start.Add(dur()),
						Outcome:     outcomes[rng.IntN(len(outcomes))],
						CustomerRef: []string{"", "abc"}[rng.IntN(2)], TaxonomyVersion: "v", Rev: 1 + rng.Int64N(3)}
					for _, i := range rng.Perm(len(reasons))[:rng.IntN(store.MaxReasons+1)] {
						c.Reasons = append(c.Reasons, reasons[i])
					}
					ids = append(ids, id)
					return "put", s.Put(ctx, c)
				},
				func() (string, error) {
					if len(ids) == 0 {
						return "put again", nil
					}
					c, err := s.Get(ctx, pick())
					if err != nil {
						return "put again", err
					}
					c.Rev += rng.Int64N(3) - 1 // lower, equal or higher
					c.Team = teams[rng.IntN(2)]
					c.Outcome = outcomes[rng.IntN(len(outcomes))]
					c.Deleted = rng.IntN(4) == 0
					return "put again", s.PutMany(ctx, []store.Contact{c})
				},
				func() (string, error) {
					_, err := s.AddReason(ctx, pick(), reasons[rng.IntN(len(reasons))])
					return "add reason", err
				},
				func() (string, error) {
					_, err := s.RemoveReason(ctx, pick(), reasons[rng.IntN(len(reasons))])
					return "remove reason", err
				},
				func() (string, error) {
					rs := []string{}
					for _, i := range rng.Perm(len(reasons))[:rng.IntN(3)] {
						rs = append(rs, reasons[i])
					}
					_, err := s.SetReasons(ctx, pick(), rs)
					return "set reasons", err
				},
				func() (string, error) {
					_, err := s.SetOutcome(ctx, pick(), outcomes[rng.IntN(len(outcomes))])
					return "set outcome", err
				},
				func() (string, error) {
					_, err := s.SetCustomerRef(ctx, pick(), []string{"", "A-1", "b 2"}[rng.IntN(3)])
					return "set ref", err
				},
				func() (string, error) {
					id := pick()
					c, err := s.Get(ctx, id)
					if err != nil {
						return "finish", err
					}
					_, err = s.Finish(ctx, id, c.StartedAt.Add(dur()))
					return "finish", err
				},
				func() (string, error) { _, err := s.Reopen(ctx, pick()); return "reopen", err },
				func() (string, error) { _, err := s.Delete(ctx, pick()); return "delete", err },
				func() (string, error) {
					id := pick()
					h := history[id]
					if len(h) == 0 {
						return "restore", nil
					}
					_, err := s.Restore(ctx, h[rng.IntN(len(h))])
					return "restore", err
				},
				func() (string, error) {
					_, err := s.Purge(ctx, moments[rng.IntN(len(moments))])
					return "purge", err
				},
			}
			done := map[string]int{}
			defer func() {
				if len(done) != len(ops) {
					t.Errorf("only %d of %d kinds of change succeeded: %v", len(done), len(ops), done)
				}
			}()
			for step := range 250 {
				i := rng.IntN(len(ops))
				if len(ids) == 0 {
					i = 0
				}
				name, err := ops[i]()
				if err != nil && !expected(err) {
					t.Fatalf("step %d %s: %v", step, name, err)
				}
				if err == nil {
					done[name]++
				}
				if err := s.VerifyRollup(ctx); err != nil {
					t.Fatalf("step %d after %s: %v", step, name, err)
				}
				if len(ids) > 0 {
					id := ids[len(ids)-1]
					if c, err := s.Get(ctx, id); err == nil {
						history[id] = append(history[id], c)
					}
				}
			}
		})
	}
}

// expected are the refusals a random sequence runs into.
func expected(err error) bool {
	for _, e := range []error{store.ErrDeleted, store.ErrFinished, store.ErrDraft, store.ErrInvalid} {
		if errorsIs(err, e) {
			return true
		}
	}
	return false
}

func TestRollupCountsLocalDays(t *testing.T) {
	loc := oslo(t)
	s := storetest.MustOpen(t, store.Options{Location: loc})
	put := func(start time.Time, d time.Duration, reasons ...string) {
		t.Helper()
		id, _ := store.NewID()
		err := s.Put(ctx, store.Contact{ID: id, Agent: "ann", Team: "t", StartedAt: start, EndedAt: start.Add(d),
			Reasons: reasons, Outcome: store.OutcomeResolved, TaxonomyVersion: "v"})
		if err != nil {
			t.Fatal(err)
		}
	}
	// 00:30 local on the spring-forward day is still 28 March in UTC.
	put(time.Date(2026, 3, 28, 23, 30, 0, 0, time.UTC), time.Minute, "late", "damaged")
	// 23:30 local on the fall-back day (a 25-hour day) is 22:30 UTC.
	put(time.Date(2026, 10, 25, 22, 30, 0, 0, time.UTC), 5*time.Hour, "late")
	// Both 02:30s of the fall-back day.
	put(time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), 0, "damaged")
	put(time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC), 2*time.Minute)
	// Exactly the longest handle time still counts.
	put(time.Date(2026, 10, 24, 10, 0, 0, 0, time.UTC), store.MaxHandleTime, "refund")
	want := map[string][4]int64{ // primary, secondary, handle_n, handle_ms
		"2026-03-29 late":    {1, 0, 1, 60000},
		"2026-03-29 damaged": {0, 1, 0, 0},
		"2026-10-25 late":    {1, 0, 0, 0},
		"2026-10-25 damaged": {1, 0, 0, 0},
		"2026-10-25 ":        {1, 0, 1, 120000},
		"2026-10-24 refund":  {1, 0, 1, 4 * 3600 * 1000},
	}
	got := rollupRows(t, s)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("reason_days = %v\nwant %v", got, want)
	}

	t.Run("reopening in another zone recounts the days", func(t *testing.T) {
		path := s.Path()
		s.Close()
		u := openAt(t, path, store.Options{Location: time.UTC})
		got := rollupRows(t, u)
		if _, ok := got["2026-03-28 late"]; !ok {
			t.Errorf("in UTC the first contact is on 28 March: %v", got)
		}
		var tz string
		u.DB().QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'rollup_tz'").Scan(&tz)
		if tz != "UTC" {
			t.Errorf("rollup_tz = %q, want UTC", tz)
		}
		if err := u.VerifyRollup(ctx); err != nil {
			t.Error(err)
		}
	})
}

func rollupRows(t *testing.T, s *store.Store) map[string][4]int64 {
	t.Helper()
	rows, err := s.DB().QueryContext(ctx, "SELECT day, reason_id, primary_n, secondary_n, handle_n, handle_ms FROM reason_days")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string][4]int64{}
	for rows.Next() {
		var day, reason string
		var v [4]int64
		if err := rows.Scan(&day, &reason, &v[0], &v[1], &v[2], &v[3]); err != nil {
			t.Fatal(err)
		}
		got[day+" "+reason] = v
	}
	return got
}

func TestVerifyRollupReportsDifferences(t *testing.T) {
	s := storetest.MustOpen(t)
	c := mustDraft(t, s, "ann")
	s.AddReason(ctx, c.ID, "late")
	s.Finish(ctx, c.ID, time.Time{})
	if _, err := s.DB().ExecContext(ctx, "UPDATE reason_days SET primary_n = 7"); err != nil {
		t.Fatal(err)
	}
	err := s.VerifyRollup(ctx)
	if err == nil || !containsAll(err.Error(), "late", "primary_n=7", "primary_n=1") {
		t.Errorf("VerifyRollup = %v; want the row, the stored and the recounted value", err)
	}
	if err := s.RebuildRollup(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.VerifyRollup(ctx); err != nil {
		t.Errorf("after RebuildRollup: %v", err)
	}
}

func TestReopenWithSameZoneKeepsRollup(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	s := openAt(t, path, store.Options{})
	c := mustDraft(t, s, "ann")
	s.Finish(ctx, c.ID, time.Time{})
	// A planted difference survives a reopen in the same zone: no rebuild.
	s.DB().ExecContext(ctx, "UPDATE reason_days SET ref_n = 5")
	s.Close()
	s = openAt(t, path, store.Options{})
	if err := s.VerifyRollup(ctx); err == nil {
		t.Error("the rollup was rebuilt on a reopen in the same zone")
	}
}
