package store_test

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"whycall/store"
	"whycall/store/storetest"
)

// neighbours reads prev_at of contact id, and the start of its next member
// as the summary finds it: the members whose prev_at is its start (NULL on a
// contact that is not a member).
func neighbours(tb testing.TB, s *store.Store, id string) (prev, next sql.NullInt64) {
	tb.Helper()
	if err := s.DB().QueryRowContext(ctx, `SELECT c.prev_at, CASE WHEN c.member_ref IS NOT NULL THEN (SELECT min(p.started_at)
		FROM contacts AS p WHERE p.prev_at = c.started_at AND p.customer_ref = c.customer_ref) END
		FROM contacts AS c WHERE c.id = ?`, id).Scan(&prev, &next); err != nil {
		tb.Fatal(err)
	}
	return prev, next
}

func verifyNeighbours(tb testing.TB, s *store.Store) {
	tb.Helper()
	if err := s.VerifyNeighbours(ctx); err != nil {
		tb.Fatal(err)
	}
}

func TestNeighboursFollowEveryKindOfChange(t *testing.T) {
	s := storetest.MustOpen(t)
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	ms := func(m int) sql.NullInt64 { return sql.NullInt64{Int64: at(m).UnixMilli(), Valid: true} }
	none := sql.NullInt64{}
	put := func(m int, ref string) string {
		t.Helper()
		c := finished(t, at(m), "late")
		c.CustomerRef = ref
		if err := s.Put(ctx, c); err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	check := func(id string, prev, next sql.NullInt64) {
		t.Helper()
		p, n := neighbours(t, s, id)
		if p != prev || n != next {
			t.Errorf("contact at %v: prev %v next %v, want %v %v", id, p, n, prev, next)
		}
		verifyNeighbours(t, s)
	}

	a := put(10, "r")
	check(a, none, none)
	c := put(30, "r")
	check(a, none, ms(30))
	check(c, ms(10), none)

	t.Run("a contact arriving between two others becomes their neighbour", func(t *testing.T) {
		b := put(20, "r")
		check(a, none, ms(20))
		check(b, ms(10), ms(30))
		check(c, ms(20), none)

		t.Run("and deleting it joins them again", func(t *testing.T) {
			if _, err := s.Delete(ctx, b); err != nil {
				t.Fatal(err)
			}
			check(b, none, none)
			check(a, none, ms(30))
			check(c, ms(10), none)
		})
	})
	t.Run("another reference is not a neighbour", func(t *testing.T) {
		o := put(25, "other")
		check(o, none, none)
		check(c, ms(10), none)

		t.Run("until the reference changes to the same", func(t *testing.T) {
			if _, err := s.SetCustomerRef(ctx, o, "r"); err != nil {
				t.Fatal(err)
			}
			check(o, ms(10), ms(30))
			if _, err := s.SetCustomerRef(ctx, o, ""); err != nil {
				t.Fatal(err)
			}
			check(o, none, none)
			check(a, none, ms(30))
		})
	})
	t.Run("a contact in the same millisecond is neither before nor after", func(t *testing.T) {
		twin := put(30, "r")
		check(twin, ms(10), none)
		check(c, ms(10), none)
		check(a, none, ms(30))
	})
	t.Run("a draft is no neighbour until finished", func(t *testing.T) {
		d, err := s.StartDraft(ctx, store.Draft{Agent: "ann", TaxonomyVersion: "v1", StartedAt: at(40)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetCustomerRef(ctx, d.ID, "r"); err != nil {
			t.Fatal(err)
		}
		check(d.ID, none, none)
		check(c, ms(10), none)
		if _, err := s.Finish(ctx, d.ID, at(45)); err != nil {
			t.Fatal(err)
		}
		check(d.ID, ms(30), none)
		check(c, ms(10), ms(40))
		if _, err := s.Reopen(ctx, d.ID); err != nil {
			t.Fatal(err)
		}
		check(d.ID, none, none)
		check(c, ms(10), none)
	})
	t.Run("purging references unlinks the purged contacts", func(t *testing.T) {
		if _, err := s.Purge(ctx, at(15)); err != nil {
			t.Fatal(err)
		}
		check(a, none, none)
		check(c, none, none)
	})
}

// TestNeighboursEqualRecountUnderRandomChanges runs random sequences of
// every kind of change — on a desk, through Put and PutMany, and through
// the collector's ingest, with contacts out of time order — and checks
// after each that every contact's neighbours equal a recount.
func TestNeighboursEqualRecountUnderRandomChanges(t *testing.T) {
	refs := []string{"", "a", "b", "c"}
	for seed := range uint64(5) {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 7))
			clk := newClock(time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC))
			s := storetest.MustOpen(t, store.Options{Now: clk.Now})
			in, err := s.NewIngester()
			if err != nil {
				t.Fatal(err)
			}
			defer in.Close()
			// Few start times and references, so that contacts share both;
			// the last seeds spread the starts over minutes, so that most
			// places hold one member (prev_rowid is set only then).
			spread := seed >= 3
			moment := func() time.Time {
				if spread {
					return t0.Add(time.Duration(rng.IntN(12*60)) * time.Minute)
				}
				return t0.Add(time.Duration(rng.IntN(12)) * time.Hour)
			}
			ref := func() string { return refs[rng.IntN(len(refs))] }
			var ids, fresh []string
			history := map[string][]store.Contact{}
			pick := func() string { return ids[rng.IntN(len(ids))] }
			contact := func() store.Contact {
				id, _ := store.NewID()
				start := moment()
				c := store.Contact{ID: id, Agent: []string{"ann", "bo"}[rng.IntN(2)], StartedAt: start,
					Channel: store.ChannelPhone, Outcome: store.OutcomeUnknown, Reasons: []string{"late"},
					CustomerRef: ref(), TaxonomyVersion: "v", Rev: 1 + rng.Int64N(3), UpdatedAt: start}
				if rng.IntN(5) > 0 {
					c.EndedAt = start.Add(time.Minute)
				}
				c.Deleted = rng.IntN(8) == 0
				return c
			}
			// changed is a stored contact with a new rev and maybe another
			// start, reference, end or tombstone.
			changed := func() (store.Contact, error) {
				c, err := s.Get(ctx, pick())
				if err != nil {
					return c, err
				}
				c.Rev = max(1, c.Rev+rng.Int64N(3)-1) // lower, equal or higher
				switch rng.IntN(4) {
				case 0:
					c.StartedAt = moment()
					c.EndedAt = time.Time{}
					if rng.IntN(2) == 0 {
						c.EndedAt = c.StartedAt.Add(time.Minute)
					}
				case 1:
					c.CustomerRef = ref()
				case 2:
					c.Deleted = !c.Deleted
				}
				return c, nil
			}
			batch := func(withChanges bool) ([]store.Contact, error) {
				var cs []store.Contact
				seen := map[string]bool{}
				for range 1 + rng.IntN(6) {
					c := contact()
					if withChanges && len(ids) > 0 && rng.IntN(2) == 0 {
						var err error
						if c, err = changed(); err != nil {
							return nil, err
						}
					}
					if seen[c.ID] {
						continue
					}
					seen[c.ID] = true
					if !slices.Contains(ids, c.ID) {
						fresh = append(fresh, c.ID)
					}
					cs = append(cs, c)
				}
				return cs, nil
			}
			ops := []func() (string, error){
				func() (string, error) {
					c, err := s.StartDraft(ctx, store.Draft{Agent: "ann", TaxonomyVersion: "v", StartedAt: moment()})
					fresh = append(fresh, c.ID)
					return "start", err
				},
				func() (string, error) {
					c := contact()
					fresh = append(fresh, c.ID)
					return "put", s.Put(ctx, c)
				},
				func() (string, error) {
					cs, err := batch(true)
					if err != nil {
						return "put many", err
					}
					return "put many", s.PutMany(ctx, cs)
				},
				func() (string, error) {
					// A whole chunk of new contacts goes in with one statement.
					cs := make([]store.Contact, 32)
					for i := range cs {
						cs[i] = contact()
						fresh = append(fresh, cs[i].ID)
					}
					return "put a chunk", s.PutMany(ctx, cs)
				},
				func() (string, error) {
					cs, err := batch(true)
					if err != nil {
						return "ingest", err
					}
					b := newBatch(t, cs)
					b.Taxonomies = nil
					_, err = in.Ingest(ctx, b)
					return "ingest", err
				},
				func() (string, error) {
					_, err := s.SetCustomerRef(ctx, pick(), ref())
					return "set ref", err
				},
				func() (string, error) {
					// Look for a draft: most contacts are finished.
					var c store.Contact
					for range 10 {
						var err error
						if c, err = s.Get(ctx, pick()); err != nil {
							return "finish", err
						}
						if c.Draft() {
							break
						}
					}
					_, err := s.Finish(ctx, c.ID, c.StartedAt.Add(time.Minute))
					return "finish", err
				},
				func() (string, error) { _, err := s.Reopen(ctx, pick()); return "reopen", err },
				func() (string, error) { _, err := s.Delete(ctx, pick()); return "delete", err },
				func() (string, error) {
					_, err := s.SetNote(ctx, pick(), fmt.Sprint("note ", rng.IntN(3)))
					return "set note", err
				},
				func() (string, error) {
					id := pick()
					h := history[id]
					if len(h) == 0 {
						return "restore", nil
					}
					c := h[rng.IntN(len(h))]
					if rng.IntN(2) == 0 {
						c.StartedAt = moment() // an undo can move the start too
					}
					_, err := s.Restore(ctx, c)
					return "restore", err
				},
				func() (string, error) {
					// Early cutoffs, so that references stay in use.
					_, err := s.Purge(ctx, t0.Add(time.Duration(rng.IntN(3))*time.Hour))
					return "purge", err
				},
			}
			done := map[string]int{}
			defer func() {
				if len(done) != len(ops) {
					t.Errorf("only %d of %d kinds of change succeeded: %v", len(done), len(ops), done)
				}
			}()
			for step := range 200 {
				i := rng.IntN(len(ops))
				if len(ids) == 0 {
					i = 1
				}
				fresh = fresh[:0]
				name, err := ops[i]()
				if err != nil && !expected(err) {
					t.Fatalf("step %d %s: %v", step, name, err)
				}
				if err == nil {
					done[name]++
					ids = append(ids, fresh...)
				}
				if err := s.VerifyNeighbours(ctx); err != nil {
					t.Fatalf("step %d after %s: %v", step, name, err)
				}
				if err := s.VerifyRollup(ctx); err != nil {
					t.Fatalf("step %d after %s: %v", step, name, err)
				}
				id := pick()
				if c, err := s.Get(ctx, id); err == nil {
					history[id] = append(history[id], c)
				}
			}
			// VerifyNeighbours checks prev_rowid wherever it is set; with
			// starts spread out it must be set for most.
			var withRow, withPrev int
			if err := s.DB().QueryRowContext(ctx, `SELECT count(prev_rowid), count(prev_at) FROM contacts`).Scan(&withRow, &withPrev); err != nil {
				t.Fatal(err)
			}
			if spread && withRow < withPrev/2 {
				t.Errorf("%d of %d contacts with a previous one name its row; want most", withRow, withPrev)
			}
		})
	}
}

func TestVerifyNeighboursReportsDifferences(t *testing.T) {
	s := storetest.MustOpen(t)
	a, b := finished(t, t0, "late"), finished(t, t0.Add(time.Hour), "late")
	if err := s.PutMany(ctx, []store.Contact{a, b}); err != nil {
		t.Fatal(err)
	}
	verifyNeighbours(t, s)
	if _, err := s.DB().ExecContext(ctx, "UPDATE contacts SET prev_at = 5 WHERE id = ?", b.ID); err != nil {
		t.Fatal(err)
	}
	err := s.VerifyNeighbours(ctx)
	want := fmt.Sprintf("stored prev 5, recount prev %d", a.StartedAt.UnixMilli())
	if err == nil || !containsAll(err.Error(), b.ID, want) {
		t.Errorf("VerifyNeighbours = %v; want the contact, the stored and the recounted value", err)
	}
}

func TestAContactThatStopsBeingAMemberLeavesItsNeighbours(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(c *store.Contact)
	}{
		{"deleted", func(c *store.Contact) { c.Deleted = true }},
		{"reference removed", func(c *store.Contact) { c.CustomerRef = "" }},
		{"reopened as a draft", func(c *store.Contact) { c.EndedAt = time.Time{} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := storetest.MustOpen(t)
			a, b := finished(t, t0, "late"), finished(t, t0.Add(time.Hour), "late")
			if err := s.PutMany(ctx, []store.Contact{a, b}); err != nil {
				t.Fatal(err)
			}
			if prev, _ := neighbours(t, s, b.ID); !prev.Valid {
				t.Fatal("the later contact has no previous one to begin with")
			}
			a.Rev = 2 // stored as 1 (Put gives a zero rev 1)
			tc.change(&a)
			if err := s.Put(ctx, a); err != nil {
				t.Fatal(err)
			}
			for _, id := range []string{a.ID, b.ID} {
				if prev, next := neighbours(t, s, id); prev.Valid || next.Valid {
					t.Errorf("contact %s: prev %v next %v after the earlier one left; want none", id, prev, next)
				}
			}
			verifyNeighbours(t, s)
		})
	}
}

// TestPrevRowidsOfNewContacts: a contact whose previous one is stored names
// that one's row, and so does one whose previous one comes in the same
// transaction, through a put and through the ingester alike.
func TestPrevRowidsOfNewContacts(t *testing.T) {
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	mk := func(id string, h int) store.Contact {
		return store.Contact{ID: id, Agent: "ann", StartedAt: at(h), EndedAt: at(h).Add(time.Minute),
			Channel: store.ChannelPhone, Outcome: store.OutcomeUnknown, Reasons: []string{"late"},
			CustomerRef: "r1", TaxonomyVersion: "v", Rev: 1, UpdatedAt: at(h)}
	}
	// want maps each contact to the one before it.
	want := map[string]string{"c2": "c1", "c3": "c2", "c4": "c3", "c5": "c4"}
	check := func(t *testing.T, s *store.Store) {
		t.Helper()
		verifyNeighbours(t, s)
		rows, err := s.DB().QueryContext(ctx, `SELECT c.id, p.id FROM contacts AS c LEFT JOIN contacts AS p ON p.rowid = c.prev_rowid`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		got := map[string]string{}
		for rows.Next() {
			var id string
			var prev sql.NullString
			if err := rows.Scan(&id, &prev); err != nil {
				t.Fatal(err)
			}
			if prev.Valid {
				got[id] = prev.String
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("previous rows %v, want %v", got, want)
		}
	}
	// c1 is stored first; c2…c5 come together, out of order.
	later := []store.Contact{mk("c4", 4), mk("c2", 2), mk("c5", 5), mk("c3", 3)}
	t.Run("put", func(t *testing.T) {
		s := storetest.MustOpen(t, store.Options{})
		if err := s.Put(ctx, mk("c1", 1)); err != nil {
			t.Fatal(err)
		}
		if err := s.PutMany(ctx, later); err != nil {
			t.Fatal(err)
		}
		check(t, s)
	})
	t.Run("ingest", func(t *testing.T) {
		s := storetest.MustOpen(t, store.Options{})
		in, err := s.NewIngester()
		if err != nil {
			t.Fatal(err)
		}
		defer in.Close()
		for _, cs := range [][]store.Contact{{mk("c1", 1)}, later} {
			if _, err := in.Ingest(ctx, newBatch(t, cs)); err != nil {
				t.Fatal(err)
			}
		}
		check(t, s)
	})
}
