package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"whycall/store"
	"whycall/store/storetest"
)

var xt0 = time.Date(2025, 3, 10, 8, 0, 0, 0, time.UTC)

// xContact returns a finished contact starting min minutes after xt0.
func xContact(id string, min int) store.Contact {
	start := xt0.Add(time.Duration(min) * time.Minute)
	return store.Contact{
		ID: id, Agent: "kari", Team: "oslo", Site: "hq", Channel: store.ChannelChat,
		StartedAt: start, EndedAt: start.Add(90 * time.Second),
		Reasons: []string{"invoice_wrong", "moving"}, Outcome: store.OutcomeResolved,
		CustomerRef: "ref-" + id, Note: "note " + id, TaxonomyVersion: "v1", Rev: 2,
	}
}

// xPutAll stores cs in a new database and returns an export reader on it.
func xPutAll(t *testing.T, cs ...store.Contact) *store.ExportReader {
	t.Helper()
	s := storetest.MustOpen(t)
	if err := s.PutMany(context.Background(), cs); err != nil {
		t.Fatal(err)
	}
	r, err := store.OpenExportReader(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// xRow is what a test compares of an exported row.
type xRow struct {
	ID      string
	History bool
	Ref     string
}

func xReadAll(t *testing.T, r *store.ExportReader, q store.ExportQuery) []xRow {
	t.Helper()
	var out []xRow
	err := r.Contacts(context.Background(), q, func(b *store.ExportBatch) error {
		for _, x := range b.Rows {
			out = append(out, xRow{string(x.ID), x.History, string(x.CustomerRef)})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func xIDs(rows []xRow) string {
	var s []string
	for _, r := range rows {
		if r.History {
			s = append(s, "("+r.Ref+")")
		} else {
			s = append(s, r.ID)
		}
	}
	return strings.Join(s, " ")
}

func TestExportReadsEveryField(t *testing.T) {
	c := xContact("a", 0)
	c.Note = "line one\nline \"two\"; æøå 🙂"
	r := xPutAll(t, c)
	var got store.ExportRow
	err := r.Contacts(context.Background(), store.ExportQuery{}, func(b *store.ExportBatch) error {
		if len(b.Rows) != 1 {
			t.Fatalf("%d rows, want 1", len(b.Rows))
		}
		x := b.Rows[0]
		// Copy: the batch is reused after the callback.
		got = store.ExportRow{
			StartedAt: x.StartedAt, EndedAt: x.EndedAt, Rev: x.Rev,
			ID: xClone(x.ID), Agent: xClone(x.Agent), Team: xClone(x.Team), Site: xClone(x.Site), Channel: xClone(x.Channel),
			Reasons: xClone(x.Reasons), Outcome: xClone(x.Outcome), CustomerRef: xClone(x.CustomerRef),
			Note: xClone(x.Note), TaxonomyVersion: xClone(x.TaxonomyVersion),
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := store.ExportRow{
		StartedAt: c.StartedAt.UnixMilli(), EndedAt: c.EndedAt.UnixMilli(), Rev: 2,
		ID: []byte("a"), Agent: []byte("kari"), Team: []byte("oslo"), Site: []byte("hq"), Channel: []byte("chat"),
		Reasons: []byte("invoice_wrong|moving"), Outcome: []byte("resolved"), CustomerRef: []byte("ref-a"),
		Note: []byte(c.Note), TaxonomyVersion: []byte("v1"),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("row =\n%+v\nwant\n%+v", got, want)
	}
}

func xClone(b []byte) []byte { return append([]byte{}, b...) }

func TestExportSelects(t *testing.T) {
	draft := xContact("draft", 5)
	draft.EndedAt = time.Time{}
	gone := xContact("gone", 6)
	gone.Deleted = true
	other := xContact("other-team", 7)
	other.Team = "bergen"
	noRef := xContact("other-noref", 8)
	noRef.Team, noRef.CustomerRef = "bergen", ""
	early := xContact("early", -60*24*3) // three days before
	late := xContact("late", 60*24)      // a day after
	r := xPutAll(t, xContact("c", 10), xContact("b", 9), draft, gone, other, noRef, early, late, xContact("a", 0))

	from, to := xt0, xt0.Add(24*time.Hour)
	for _, tc := range []struct {
		name string
		q    store.ExportQuery
		want string
	}{
		{"everything finished and not deleted, in start order", store.ExportQuery{}, "early a other-team other-noref b c late"},
		{"a range is [from, to)", store.ExportQuery{From: from, To: to}, "a other-team other-noref b c"},
		{"an open end reads to the last contact", store.ExportQuery{From: from}, "a other-team other-noref b c late"},
		{"a team keeps its own", store.ExportQuery{Team: "oslo", From: from, To: to}, "a b c"},
		{"history adds refs from before the range", store.ExportQuery{From: from, To: to, History: 7 * 24 * time.Hour},
			"(ref-early) a other-team other-noref b c"},
		{"history is bounded by the window", store.ExportQuery{From: from, To: to, History: 2 * 24 * time.Hour},
			"a other-team other-noref b c"},
		{"with a team, history adds other teams' refs too", store.ExportQuery{Team: "oslo", From: from, To: to, History: 7 * 24 * time.Hour},
			"(ref-early) a (ref-other-team) b c"},
		{"without a start, history only adds other teams' refs", store.ExportQuery{Team: "oslo", History: time.Hour},
			"early a (ref-other-team) b c late"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := xIDs(xReadAll(t, r, tc.q)); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestExportStreamsManyBatches(t *testing.T) {
	var cs []store.Contact
	for i := range 1200 {
		c := xContact(fmt.Sprintf("c%04d", i), i)
		if i == 700 {
			c.Note = strings.Repeat("long note ", 20_000) // larger than a batch buffer
		}
		cs = append(cs, c)
	}
	r := xPutAll(t, cs...)
	rows := xReadAll(t, r, store.ExportQuery{})
	if len(rows) != len(cs) {
		t.Fatalf("%d rows, want %d", len(rows), len(cs))
	}
	for i, x := range rows {
		if want := fmt.Sprintf("c%04d", i); x.ID != want || x.Ref != "ref-"+want {
			t.Fatalf("row %d = %+v, want %s", i, x, want)
		}
	}
	var long int
	r.Contacts(context.Background(), store.ExportQuery{}, func(b *store.ExportBatch) error {
		for _, x := range b.Rows {
			long = max(long, len(x.Note))
		}
		return nil
	})
	if long != 200_000 {
		t.Errorf("the long note came back with %d bytes, want 200000", long)
	}

	t.Run("an error from the callback stops the read and comes back", func(t *testing.T) {
		boom := errors.New("boom")
		calls := 0
		err := r.Contacts(context.Background(), store.ExportQuery{}, func(*store.ExportBatch) error {
			calls++
			return boom
		})
		if !errors.Is(err, boom) || calls != 1 {
			t.Errorf("err = %v after %d calls, want boom after 1", err, calls)
		}
		// The reader is still usable.
		if n := len(xReadAll(t, r, store.ExportQuery{})); n != len(cs) {
			t.Errorf("after a stopped read, %d rows, want %d", n, len(cs))
		}
	})
	t.Run("a cancelled context stops the read", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		err := r.Contacts(ctx, store.ExportQuery{}, func(*store.ExportBatch) error {
			cancel()
			return nil
		})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
}

func TestExportSpanAndTaxonomies(t *testing.T) {
	s := storetest.MustOpen(t)
	ctx := context.Background()
	if err := s.PutMany(ctx, []store.Contact{xContact("a", 0), xContact("b", 30)}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveTaxonomy(ctx, "v1", "tax", 1, []byte("yaml one")); err != nil {
		t.Fatal(err)
	}
	r, err := store.OpenExportReader(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	first, last, ok, err := r.Span(ctx, store.ExportQuery{})
	if err != nil || !ok || first != xt0.UnixMilli() || last != xt0.Add(30*time.Minute).UnixMilli() {
		t.Errorf("Span = %d, %d, %v, %v", first, last, ok, err)
	}
	if _, _, ok, err := r.Span(ctx, store.ExportQuery{From: xt0.Add(time.Hour)}); ok || err != nil {
		t.Errorf("an empty range must report ok false, got %v %v", ok, err)
	}
	y, err := r.TaxonomyYAMLs(ctx)
	if err != nil || string(y["v1"]) != "yaml one" || len(y) != 1 {
		t.Errorf("TaxonomyYAMLs = %q, %v", y, err)
	}
}

func TestOpenExportReaderRefuses(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		name, path, want string
	}{
		{"a missing file", filepath.Join(dir, "nope.db"), "no such file"},
		{"a folder", dir, "is a folder"},
		{"a text file", write("text.db", strings.Repeat("not a database\n", 100)), store.ErrNotSQLite.Error()},
		{"an empty file", write("empty.db", ""), "not a whycall database"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := store.OpenExportReader(tc.path)
			if err == nil {
				r.Close()
				t.Fatal("opened")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
		})
	}
}

func TestExportKeepsStartOrderAcrossChunks(t *testing.T) {
	// Bursts, long gaps and many contacts in the same millisecond, so that
	// the readers' chunks come out of every size, ties included.
	var cs []store.Contact
	at := xt0
	for i := range 2400 {
		switch {
		case i%500 == 499:
			at = at.Add(40 * 24 * time.Hour) // a gap
		case i >= 1000 && i < 1700:
			// 700 contacts in the same millisecond, more than a batch
		case i%7 == 0:
			at = at.Add(time.Millisecond)
		default:
			at = at.Add(time.Duration(i%13) * time.Minute)
		}
		c := xContact(fmt.Sprintf("c%05d", i), 0)
		c.StartedAt, c.EndedAt = at, at.Add(time.Minute)
		cs = append(cs, c)
	}
	r := xPutAll(t, cs...)
	for _, tc := range []struct {
		name     string
		from, to int // indexes into cs: the range is [start of from, start of to)
	}{
		{"everything", 0, 0},
		{"from the middle of the tie", 1300, 0},
		{"up to a gap", 100, 999},
	} {
		t.Run(tc.name+" comes in start order, ties in the order they were stored", func(t *testing.T) {
			q := store.ExportQuery{}
			want := cs
			if tc.from > 0 {
				q.From = cs[tc.from].StartedAt
				for want[0].StartedAt.Before(q.From) {
					want = want[1:]
				}
			}
			if tc.to > 0 {
				q.To = cs[tc.to].StartedAt
				for !want[len(want)-1].StartedAt.Before(q.To) {
					want = want[:len(want)-1]
				}
			}
			got := xReadAll(t, r, q)
			if len(got) != len(want) {
				t.Fatalf("%d rows, want %d", len(got), len(want))
			}
			for i := range got {
				if got[i].ID != want[i].ID {
					t.Fatalf("row %d is %s, want %s", i, got[i].ID, want[i].ID)
				}
			}
		})
	}
}
