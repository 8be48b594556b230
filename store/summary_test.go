package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"whycall/store"
	"whycall/store/storetest"
)

var sumOslo = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		panic(err)
	}
	return loc
}()

// sumPut stores contacts made by the test, failing it on error.
func sumPut(t *testing.T, s *store.Store, cs ...store.Contact) {
	t.Helper()
	if err := s.PutMany(context.Background(), cs); err != nil {
		t.Fatal(err)
	}
}

// sumReader returns a summary reader of s, closed when the test ends.
func sumReader(t *testing.T, s *store.Store) *store.SummaryReader {
	t.Helper()
	r := s.SummaryReader()
	t.Cleanup(func() {
		if err := r.Close(); err != nil {
			t.Errorf("close summary reader: %v", err)
		}
	})
	return r
}

// sumContact is a finished five-minute contact.
func sumContact(id string, at time.Time, team, ref string, reasons ...string) store.Contact {
	return store.Contact{ID: id, Agent: "a1", Team: team, StartedAt: at, EndedAt: at.Add(5 * time.Minute),
		Reasons: reasons, CustomerRef: ref, Outcome: store.OutcomeResolved, TaxonomyVersion: "v1"}
}

func sumIDs(cs []store.SummaryContact) []string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%s@%s", c.Primary(), time.UnixMilli(c.StartedAt).In(sumOslo).Format("01-02T15:04")))
	}
	slices.Sort(out)
	return out
}

func TestSummaryContactsReadOneLocalDay(t *testing.T) {
	ctx := context.Background()
	s := storetest.MustOpen(t, store.Options{Location: sumOslo})
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, sumOslo) }
	deleted := sumContact("del", at(2026, 3, 29, 10, 0), "t1", "", "gone")
	deleted.Deleted = true
	draft := sumContact("draft", at(2026, 3, 29, 11, 0), "t1", "", "open")
	draft.EndedAt = time.Time{}
	sumPut(t, s,
		sumContact("a", at(2026, 3, 28, 23, 59), "t1", "", "before"),
		sumContact("b", at(2026, 3, 29, 0, 0), "t1", "", "first"),
		sumContact("c", at(2026, 3, 29, 3, 30), "t2", "", "after_the_gap"),
		sumContact("d", at(2026, 3, 29, 23, 59), "t1", "", "last"),
		sumContact("e", at(2026, 3, 30, 0, 0), "t1", "", "next_day"),
		// 02:30 comes twice: first in summer time (00:30 UTC), then in winter time.
		sumContact("f", time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), "t1", "", "first_two_thirty"),
		sumContact("g", time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC), "t1", "", "second_two_thirty"),
		sumContact("h", at(2026, 10, 25, 23, 30), "t1", "", "late"),
		sumContact("i", at(2026, 10, 26, 0, 0), "t1", "", "next_day"),
		deleted, draft,
	)
	day := func(y int, m time.Month, d int) (time.Time, time.Time) {
		return time.Date(y, m, d, 0, 0, 0, 0, sumOslo), time.Date(y, m, d+1, 0, 0, 0, 0, sumOslo)
	}
	tests := []struct {
		name string
		q    store.ContactQuery
		want []string
	}{
		{"the 23-hour spring day holds its own contacts only", func() store.ContactQuery {
			a, b := day(2026, 3, 29)
			return store.ContactQuery{From: a, To: b}
		}(), []string{"after_the_gap@03-29T03:30", "first@03-29T00:00", "last@03-29T23:59"}},
		{"one team of the spring day", func() store.ContactQuery {
			a, b := day(2026, 3, 29)
			return store.ContactQuery{From: a, To: b, Team: "t2"}
		}(), []string{"after_the_gap@03-29T03:30"}},
		{"the 25-hour autumn day holds both 02:30s", func() store.ContactQuery {
			a, b := day(2026, 10, 25)
			return store.ContactQuery{From: a, To: b}
		}(), []string{"first_two_thirty@10-25T02:30", "late@10-25T23:30", "second_two_thirty@10-25T02:30"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sumReader(t, s).SummaryContacts(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if ids := sumIDs(got); !slices.Equal(ids, tt.want) {
				t.Errorf("got %v, want %v", ids, tt.want)
			}
			if tt.q.From.Sub(tt.q.To) == -24*time.Hour {
				t.Errorf("test day is 24 h long; it should be a DST day")
			}
		})
	}
}

func TestSummaryContactsFindSameCustomerContacts(t *testing.T) {
	ctx := context.Background()
	s := storetest.MustOpen(t, store.Options{Location: sumOslo})
	d0 := time.Date(2026, 1, 14, 10, 0, 0, 0, sumOslo)
	other := sumContact("o2", d0.Add(-2*time.Hour), "t1", "cust", "status")
	other.Agent = "a2"
	gone := sumContact("gone", d0.Add(-3*time.Hour), "t1", "cust", "deleted_one")
	gone.Deleted = true
	handedOver := sumContact("xfer", d0.Add(-6*time.Minute), "t1", "cust", "transferred_from")
	handedOver.Agent = "a3" // ends 1 minute before d0: the same call, handed over
	legA := sumContact("legA", d0.Add(-72*time.Hour), "t1", "cust2", "handover_a")
	legB := sumContact("legB", d0.Add(-72*time.Hour+6*time.Minute), "t1", "cust2", "handover_b")
	legB.Agent = "a2"
	sumPut(t, s,
		sumContact("me", d0, "t1", "cust", "late"),
		sumContact("old", d0.Add(-8*24*time.Hour), "t1", "cust", "too_old"),
		sumContact("edge", d0.Add(-7*24*time.Hour), "t1", "cust", "window_edge"),
		sumContact("o1", d0.Add(-24*time.Hour), "t1", "cust", "status"),
		other, gone, handedOver, legA, legB,
		sumContact("x", d0.Add(-time.Hour), "t1", "someone_else", "status"),
		sumContact("n1", d0.Add(time.Hour), "t1", "cust", "claim"),
		sumContact("n2", d0.Add(7*24*time.Hour), "t1", "cust", "edge_after"),
		sumContact("n3", d0.Add(7*24*time.Hour+time.Millisecond), "t1", "cust", "too_late"),
		sumContact("noref", d0.Add(time.Minute), "t1", "", "status"),
	)
	from, to := d0, d0.Add(time.Millisecond)
	week := 7 * 24 * time.Hour
	got, err := sumReader(t, s).SummaryContacts(ctx, store.ContactQuery{From: from, To: to, Before: week, After: week, TransferGap: 2 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !got[0].HasRef || got[0].Primary() != "late" {
		t.Fatalf("got %+v, want the one contact 'late' with a ref", got)
	}
	var before, after []string
	for _, n := range got[0].Before {
		before = append(before, n.Primary)
	}
	for _, n := range got[0].After {
		after = append(after, n.Primary)
	}
	t.Run("earlier contacts are those in [t−7d, t), newest first, deleted ones and transfers left out", func(t *testing.T) {
		want := []string{"status", "status", "window_edge"}
		if !slices.Equal(before, want) || !got[0].Transfer {
			t.Errorf("before = %v, want %v; transfer %v", before, want, got[0].Transfer)
		}
	})
	t.Run("without transfer detection the handed-over call is an earlier contact", func(t *testing.T) {
		got, err := sumReader(t, s).SummaryContacts(ctx, store.ContactQuery{From: from, To: to, Before: week, TransferGap: -1})
		if err != nil {
			t.Fatal(err)
		}
		if n := len(got[0].Before); n != 4 || got[0].Before[0].Primary != "transferred_from" || got[0].Transfer {
			t.Errorf("got %+v", got[0])
		}
	})
	t.Run("the cohort counts resolve per reason", func(t *testing.T) {
		cs, err := sumReader(t, s).ReasonCohorts(ctx, store.ContactQuery{From: d0.Add(-8 * 24 * time.Hour), To: d0.Add(time.Hour),
			After: week, TransferGap: 2 * time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range cs {
			got = append(got, fmt.Sprintf("%s %d/%d", c.Reason, c.Resolved, c.Contacts))
		}
		slices.Sort(got)
		// Every contact of "cust" has a later one within a week (for
		// "transferred_from" not the call it was handed over to, but the
		// claim an hour later); someone_else's status contact has none, and
		// cust2's first call was only handed over, which resolves it.
		want := []string{"handover_a 1/1", "handover_b 1/1", "late 0/1", "status 1/3", "too_old 0/1",
			"transferred_from 0/1", "window_edge 0/1"}
		if !slices.Equal(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})
	t.Run("later contacts are those in (t, t+7d], oldest first", func(t *testing.T) {
		want := []string{"claim", "edge_after"}
		if !slices.Equal(after, want) {
			t.Errorf("after = %v, want %v", after, want)
		}
	})
	t.Run("only contacts with a reference are kept when asked", func(t *testing.T) {
		got, err := sumReader(t, s).SummaryContacts(ctx, store.ContactQuery{From: d0, To: d0.Add(time.Hour), WithRef: true})
		if err != nil {
			t.Fatal(err)
		}
		if ids := sumIDs(got); !slices.Equal(ids, []string{"late@01-14T10:00"}) {
			t.Errorf("got %v", ids)
		}
	})
	t.Run("agents are read only when asked", func(t *testing.T) {
		for _, agents := range []bool{false, true} {
			got, err := sumReader(t, s).SummaryContacts(ctx, store.ContactQuery{From: d0, To: d0.Add(time.Hour), Agents: agents})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range got {
				if (c.Agent != "") != agents {
					t.Errorf("Agents=%v: agent %q", agents, c.Agent)
				}
			}
		}
	})
}

func TestRollupReadsForTheSummary(t *testing.T) {
	ctx := context.Background()
	s := storetest.MustOpen(t, store.Options{Location: sumOslo})
	t.Run("an empty database has no days, teams or reasons", func(t *testing.T) {
		first, last, err := sumReader(t, s).DataDays(ctx, "")
		teams, err2 := sumReader(t, s).Teams(ctx)
		if err != nil || err2 != nil || first != "" || last != "" || len(teams) != 0 {
			t.Errorf("got %q %q %v (%v, %v)", first, last, teams, err, err2)
		}
	})
	d := func(day, h int) time.Time { return time.Date(2026, 1, day, h, 0, 0, 0, sumOslo) }
	long := sumContact("long", d(13, 9), "t1", "r", "late")
	long.EndedAt = long.StartedAt.Add(5 * time.Hour)
	long.Outcome = store.OutcomeEscalated
	sumPut(t, s,
		sumContact("1", d(12, 9), "t1", "r", "late", "status"),
		sumContact("2", d(13, 9), "t1", "", "late"),
		long,
		sumContact("3", d(13, 10), "t2", "r2", "late"),
		sumContact("4", d(13, 11), "t2", "", "status"),
		sumContact("5", d(14, 11), "", "", "status"),
	)
	t.Run("one team's rows", func(t *testing.T) {
		rows, err := sumReader(t, s).ReasonDays(ctx, "2026-01-13", "2026-01-13", "t1")
		if err != nil {
			t.Fatal(err)
		}
		want := []store.ReasonDay{{Day: "2026-01-13", Reason: "late", Team: "t1", Primary: 2, HandleN: 1, HandleMs: 300000,
			Resolved: 1, Escalated: 1, Ref: 1}}
		if !slices.Equal(rows, want) {
			t.Errorf("got %+v\nwant %+v", rows, want)
		}
	})
	t.Run("all teams' rows come in day order", func(t *testing.T) {
		rows, err := sumReader(t, s).ReasonDays(ctx, "2026-01-12", "2026-01-13", "")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rows {
			got = append(got, fmt.Sprintf("%s %s %s p%d s%d h%d ref%d", r.Day, r.Team, r.Reason, r.Primary, r.Secondary, r.HandleN, r.Ref))
		}
		if !slices.IsSortedFunc(got, func(a, b string) int { return strings.Compare(a[:10], b[:10]) }) {
			t.Errorf("not in day order: %v", got)
		}
		slices.Sort(got)
		want := []string{"2026-01-12 t1 late p1 s0 h1 ref1", "2026-01-12 t1 status p0 s1 h0 ref0",
			"2026-01-13 t1 late p2 s0 h1 ref1", "2026-01-13 t2 late p1 s0 h1 ref1", "2026-01-13 t2 status p1 s0 h1 ref0"}
		if !slices.Equal(got, want) {
			t.Errorf("got %v\nwant %v", got, want)
		}
	})
	t.Run("days with data, teams and reasons used", func(t *testing.T) {
		first, last, err := sumReader(t, s).DataDays(ctx, "t2")
		if err != nil || first != "2026-01-13" || last != "2026-01-13" {
			t.Errorf("t2 days %q–%q (%v)", first, last, err)
		}
		first, last, _ = sumReader(t, s).DataDays(ctx, "")
		if first != "2026-01-12" || last != "2026-01-14" {
			t.Errorf("all days %q–%q", first, last)
		}
		if first, _, _ := sumReader(t, s).DataDays(ctx, "nobody"); first != "" {
			t.Errorf("unknown team has day %q", first)
		}
		teams, _ := sumReader(t, s).Teams(ctx)
		if !slices.Equal(teams, []string{"", "t1", "t2"}) {
			t.Errorf("teams %q", teams)
		}
		used, _ := sumReader(t, s).ReasonsUsed(ctx, "2026-01-12", "2026-01-12", "t1")
		slices.Sort(used)
		if !slices.Equal(used, []string{"late", "status"}) {
			t.Errorf("used %v: a secondary mention counts as use", used)
		}
	})
}

// The summary must read a day's slice of the contacts, never the whole
// table: every query's plan searches an index.
func TestSummaryQueriesUseIndexes(t *testing.T) {
	ctx := context.Background()
	s := storetest.MustOpen(t, store.Options{Location: sumOslo})
	var cs []store.Contact
	start := time.Date(2026, 1, 1, 8, 0, 0, 0, sumOslo)
	for i := range 3000 {
		cs = append(cs, sumContact(fmt.Sprintf("c%05d", i), start.Add(time.Duration(i)*7*time.Minute), "t",
			fmt.Sprintf("ref%d", i%400), fmt.Sprintf("r%d", i%40)))
	}
	sumPut(t, s, cs...)
	if _, err := s.DB().ExecContext(ctx, "ANALYZE"); err != nil {
		t.Fatal(err)
	}
	plans, err := sumReader(t, s).SummaryPlans(ctx)
	if err != nil {
		t.Fatal(err)
	}
	CheckSummaryPlans(t, plans)
}

// CheckSummaryPlans fails t if a plan scans contacts without an index, or
// reads the day through anything but the started_at index, earlier or
// later contacts through anything but the customer_ref index, or the next
// members through anything but the prev_at index alone.
func CheckSummaryPlans(t testing.TB, plans map[string][]string) {
	t.Helper()
	if len(plans) < 5 {
		t.Errorf("only %d plans", len(plans))
	}
	for name, steps := range plans {
		all := strings.Join(steps, "\n")
		for _, step := range steps {
			if strings.HasPrefix(step, "SCAN ") && !strings.HasPrefix(step, "SCAN CONSTANT") {
				t.Errorf("%s: full scan %q\n%s", name, step, all)
			}
		}
		if strings.Contains(name, "contacts") && !strings.Contains(all, "SEARCH c USING INDEX contacts_started") &&
			!strings.Contains(all, "SEARCH c USING COVERING INDEX contacts_started") {
			t.Errorf("%s: day not read through contacts_started:\n%s", name, all)
		}
		if strings.Contains(name, "same-ref") && !strings.Contains(all, "SEARCH p USING INDEX contacts_ref") {
			t.Errorf("%s: same-ref contacts not found through contacts_ref:\n%s", name, all)
		}
		if strings.Contains(name, "next members") && !strings.Contains(all, "USING COVERING INDEX contacts_prev") {
			t.Errorf("%s: next members not read from contacts_prev alone:\n%s", name, all)
		}
		if strings.HasPrefix(name, "rollup") && !strings.Contains(all, "SEARCH reason_days USING PRIMARY KEY") {
			t.Errorf("%s: rollup not read by its key:\n%s", name, all)
		}
	}
}

func TestSummaryReaderIsSafeForConcurrentUseAndClosable(t *testing.T) {
	ctx := context.Background()
	s := storetest.MustOpen(t, store.Options{Location: sumOslo})
	d0 := time.Date(2026, 1, 14, 10, 0, 0, 0, sumOslo)
	sumPut(t, s, sumContact("a", d0, "t1", "r", "late"), sumContact("b", d0.Add(time.Hour), "t1", "r", "late"))
	r := s.SummaryReader()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			got, err := r.SummaryContacts(ctx, store.ContactQuery{From: d0, To: d0.Add(2 * time.Hour), Before: time.Hour * 24})
			if err != nil || len(got) != 2 {
				t.Errorf("got %d contacts, %v", len(got), err)
			}
		})
	}
	wg.Wait()
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Teams(ctx); err == nil {
		t.Error("a closed reader still reads")
	}
	t.Run("a cancelled context stops a query", func(t *testing.T) {
		r := sumReader(t, s)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := r.SummaryContacts(cctx, store.ContactQuery{From: d0, To: d0.Add(time.Hour)}); err == nil {
			t.Error("no error from a cancelled query")
		}
		if _, err := r.Teams(ctx); err != nil {
			t.Errorf("the connection is unusable after a cancelled query: %v", err)
		}
	})
}

func TestReasonNotesNewestFirst(t *testing.T) {
	ctx := context.Background()
	s := storetest.MustOpen(t, store.Options{Location: sumOslo})
	d0 := time.Date(2026, 1, 14, 10, 0, 0, 0, sumOslo)
	var cs []store.Contact
	for i := range 5 {
		c := sumContact(fmt.Sprint("n", i), d0.Add(time.Duration(i)*time.Hour), "t1", "", "late")
		c.Note = fmt.Sprint("note ", i)
		cs = append(cs, c)
	}
	other := sumContact("o", d0.Add(30*time.Minute), "t2", "", "late")
	other.Note = "other team"
	quiet := sumContact("q", d0.Add(40*time.Minute), "t1", "", "late")
	cs = append(cs, other, quiet, sumContact("s", d0, "t1", "", "status"))
	sumPut(t, s, cs...)
	r := sumReader(t, s)
	got, err := r.ReasonNotes(ctx, "t1", "late", d0, d0.Add(24*time.Hour), 3)
	if err != nil {
		t.Fatal(err)
	}
	var notes []string
	for _, n := range got {
		notes = append(notes, n.Note)
	}
	if !slices.Equal(notes, []string{"note 4", "note 3", "note 2"}) {
		t.Errorf("got %v", notes)
	}
	all, _ := r.ReasonNotes(ctx, "", "late", d0, d0.Add(24*time.Hour), 10)
	if len(all) != 6 {
		t.Errorf("all teams: %d notes", len(all))
	}
}

// The cohort's measured resolution, counted from the index of previous
// contacts, must equal a recount from the contacts themselves: whatever the
// order the contacts came in, with contacts at the same minute, drafts,
// deletions, calls handed over between agents and other teams' contacts.
// randomSummaryData stores 1,500 random contacts and some calls handed
// over, out of order and in batches, over 20 days from the returned start:
// 150 references, contacts sharing a minute, drafts, deletions, contacts
// without a reference, two teams. It returns what it stored.
func randomSummaryData(t *testing.T) (*store.Store, []store.Contact, time.Time) {
	t.Helper()
	rnd := rand.New(rand.NewPCG(7, 11))
	s := storetest.MustOpen(t, store.Options{Location: sumOslo})
	start := time.Date(2026, 3, 2, 8, 0, 0, 0, sumOslo)
	var all []store.Contact
	for i := range 1500 {
		at := start.Add(time.Duration(rnd.IntN(20*24*60)) * time.Minute) // many share a minute
		c := sumContact(fmt.Sprintf("c%05d", i), at, []string{"north", "south"}[rnd.IntN(2)],
			fmt.Sprintf("ref%d", rnd.IntN(150)), fmt.Sprintf("r%d", rnd.IntN(6)))
		c.Agent = fmt.Sprintf("a%d", rnd.IntN(3))
		c.EndedAt = at.Add(time.Duration(1+rnd.IntN(8)) * time.Minute)
		switch rnd.IntN(20) {
		case 0:
			c.CustomerRef = ""
		case 1:
			c.EndedAt = time.Time{} // a draft
		case 2:
			c.Deleted = true
		}
		all = append(all, c)
		if rnd.IntN(25) == 0 && c.CustomerRef != "" && !c.EndedAt.IsZero() {
			// The same call handed over to another agent a minute later.
			h := sumContact(fmt.Sprintf("h%05d", i), c.EndedAt.Add(time.Minute), c.Team, c.CustomerRef, "r0")
			h.Agent = c.Agent + "x"
			all = append(all, h)
		}
	}
	rnd.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	for i := 0; i < len(all); i += 100 { // in batches, out of order
		sumPut(t, s, all[i:min(i+100, len(all))]...)
	}
	if err := s.VerifyNeighbours(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s, all, start
}

func TestReasonCohortsEqualARecount(t *testing.T) {
	ctx := context.Background()
	s, all, start := randomSummaryData(t)
	member := func(c *store.Contact) bool { return c.CustomerRef != "" && !c.EndedAt.IsZero() && !c.Deleted }
	recount := func(q store.ContactQuery) []string {
		counts := map[string][2]int{}
		for i := range all {
			c := &all[i]
			if !member(c) || c.StartedAt.Before(q.From) || !c.StartedAt.Before(q.To) || (q.Team != "" && c.Team != q.Team) {
				continue
			}
			returned := false
			for j := range all {
				p := &all[j]
				if !member(p) || p.CustomerRef != c.CustomerRef || !p.StartedAt.After(c.StartedAt) ||
					p.StartedAt.After(c.StartedAt.Add(q.After)) {
					continue
				}
				if q.TransferGap >= 0 && p.Agent != c.Agent && p.StartedAt.Sub(c.EndedAt) <= q.TransferGap {
					continue // the same call, handed over
				}
				returned = true
			}
			n := counts[c.Reasons[0]]
			n[0]++
			if !returned {
				n[1]++
			}
			counts[c.Reasons[0]] = n
		}
		var out []string
		for r, n := range counts {
			out = append(out, fmt.Sprintf("%s %d/%d", r, n[1], n[0]))
		}
		slices.Sort(out)
		return out
	}
	r := sumReader(t, s)
	for _, q := range []store.ContactQuery{
		{From: start, To: start.Add(24 * time.Hour), After: 7 * 24 * time.Hour, TransferGap: 2 * time.Minute},
		{From: start.Add(3 * 24 * time.Hour), To: start.Add(5 * 24 * time.Hour), After: 7 * 24 * time.Hour, TransferGap: 2 * time.Minute, Team: "north"},
		{From: start.Add(10 * 24 * time.Hour), To: start.Add(11 * 24 * time.Hour), After: 2 * 24 * time.Hour, TransferGap: -1},
		{From: start.Add(6 * time.Hour), To: start.Add(18 * 24 * time.Hour), After: 24 * time.Hour, TransferGap: 5 * time.Minute},
	} {
		cs, err := r.ReasonCohorts(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		returned := 0
		for _, c := range cs {
			got = append(got, fmt.Sprintf("%s %d/%d", c.Reason, c.Resolved, c.Contacts))
			returned += c.Contacts - c.Resolved
		}
		if want := recount(q); !slices.Equal(got, want) {
			t.Errorf("%+v:\ngot  %v\nwant %v", q, got, want)
		}
		if returned == 0 {
			t.Errorf("%+v: no contact came back: the data tests nothing", q)
		}
	}
}

// TestLookBackEqualsARecount checks each contact's earlier contacts in the
// window (read from the previous member's row when it is the only one, by
// prev_rowid, else searched) against a recount from the contacts.
func TestLookBackEqualsARecount(t *testing.T) {
	ctx := context.Background()
	s, all, start := randomSummaryData(t)
	member := func(c *store.Contact) bool { return c.CustomerRef != "" && !c.EndedAt.IsZero() && !c.Deleted }
	describe := func(at int64, primary string, hasRef bool, before []string, transfer bool) string {
		return fmt.Sprintf("%d %s ref=%t before=%v transfer=%t", at, primary, hasRef, before, transfer)
	}
	recount := func(q store.ContactQuery) []string {
		var out []string
		for i := range all {
			c := &all[i]
			if c.EndedAt.IsZero() || c.Deleted || c.StartedAt.Before(q.From) || !c.StartedAt.Before(q.To) {
				continue
			}
			var before []store.Contact
			transfer := false
			for j := range all {
				p := &all[j]
				if c.CustomerRef == "" || !member(p) || p.CustomerRef != c.CustomerRef || !p.StartedAt.Before(c.StartedAt) ||
					p.StartedAt.Before(c.StartedAt.Add(-q.Before)) {
					continue
				}
				if q.TransferGap >= 0 && p.Agent != c.Agent && c.StartedAt.Sub(p.EndedAt) <= q.TransferGap {
					transfer = true
					continue
				}
				before = append(before, *p)
			}
			slices.SortStableFunc(before, func(a, b store.Contact) int { return b.StartedAt.Compare(a.StartedAt) })
			var bs []string
			for _, p := range before {
				bs = append(bs, fmt.Sprintf("%d:%s", p.StartedAt.UnixMilli(), p.Reasons[0]))
			}
			out = append(out, describe(c.StartedAt.UnixMilli(), c.Reasons[0], c.CustomerRef != "", bs, transfer))
		}
		slices.Sort(out)
		return out
	}
	var direct, stored int
	if err := s.DB().QueryRowContext(ctx, `SELECT count(prev_rowid), count(prev_at) FROM contacts`).Scan(&direct, &stored); err != nil {
		t.Fatal(err)
	}
	if direct < stored/2 {
		t.Fatalf("only %d of %d contacts name their previous one's row: the direct read is hardly tested", direct, stored)
	}
	r := sumReader(t, s)
	for _, q := range []store.ContactQuery{
		{From: start.Add(5 * 24 * time.Hour), To: start.Add(6 * 24 * time.Hour), Before: 7 * 24 * time.Hour, TransferGap: 2 * time.Minute},
		{From: start.Add(12 * 24 * time.Hour), To: start.Add(15 * 24 * time.Hour), Before: 3 * 24 * time.Hour, TransferGap: 2 * time.Minute},
		{From: start.Add(8 * 24 * time.Hour), To: start.Add(9 * 24 * time.Hour), Before: 7 * 24 * time.Hour, TransferGap: -1},
		{From: start, To: start.Add(20 * 24 * time.Hour), Before: 24 * time.Hour, TransferGap: 5 * time.Minute},
	} {
		cs, err := r.SummaryContacts(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		repeats, transfers := 0, 0
		for _, c := range cs {
			var bs []string
			for _, n := range c.Before {
				bs = append(bs, fmt.Sprintf("%d:%s", n.StartedAt, n.Primary))
			}
			got = append(got, describe(c.StartedAt, c.Primary(), c.HasRef, bs, c.Transfer))
			if len(c.Before) > 0 {
				repeats++
			}
			if c.Transfer {
				transfers++
			}
		}
		slices.Sort(got)
		if want := recount(q); !slices.Equal(got, want) {
			for i := range min(len(got), len(want)) {
				if got[i] != want[i] {
					t.Errorf("%+v: first difference\ngot  %s\nwant %s", q, got[i], want[i])
					break
				}
			}
			t.Errorf("%+v: %d contacts, want %d", q, len(got), len(want))
		}
		if repeats == 0 || (q.TransferGap >= 0 && transfers == 0) {
			t.Errorf("%+v: %d repeats, %d transfers: the data tests too little", q, repeats, transfers)
		}
	}
}
