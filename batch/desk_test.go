package batch

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"whycall/store"
	"whycall/store/storetest"
)

var ctx = context.Background()

// desk is an agent's database with the test taxonomy stored.
type desk struct {
	agent string
	s     *store.Store
	tax   Taxonomy
}

func newDesk(tb testing.TB, agent string, opts ...store.Options) *desk {
	tb.Helper()
	s := storetest.MustOpen(tb, opts...)
	tax := testTaxonomy(tb)
	if err := s.SaveTaxonomy(ctx, tax.Version, tax.ID, tax.Revision, tax.YAML); err != nil {
		tb.Fatal(err)
	}
	return &desk{agent: agent, s: s, tax: tax}
}

// capture tags and finishes n contacts the way the capture screen does.
func (d *desk) capture(tb testing.TB, n int) []store.Contact {
	tb.Helper()
	var out []store.Contact
	for i := 0; i < n; i++ {
		c, err := d.s.StartDraft(ctx, store.Draft{Agent: d.agent, Team: "kundeservice", Site: "oslo", TaxonomyVersion: d.tax.Version})
		if err != nil {
			tb.Fatal(err)
		}
		for _, r := range [][]string{{"late_delivery"}, {"invoice_unclear", "late_delivery"}}[i%2] {
			if _, err := d.s.AddReason(ctx, c.ID, r); err != nil {
				tb.Fatal(err)
			}
		}
		if _, err := d.s.SetOutcome(ctx, c.ID, store.OutcomeResolved); err != nil {
			tb.Fatal(err)
		}
		c, err = d.s.Finish(ctx, c.ID, time.Time{})
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// syncer returns a Syncer from the desk to t.
func (d *desk) syncer(tb testing.TB, t Target, batchSize int) *Syncer {
	tb.Helper()
	s, err := NewSyncer(d.s, t, SyncerOptions{Agent: d.agent, Site: "oslo", BatchSize: batchSize})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// sent returns the desk's contacts a target should hold: every finished
// contact and every tombstone of one that was sent, at its latest revision.
func (d *desk) sent(tb testing.TB) map[string]store.Contact {
	tb.Helper()
	rows, err := d.s.DB().QueryContext(ctx, `SELECT id FROM contacts WHERE synced_rev > 0 OR (ended_at IS NOT NULL AND deleted = 0)`)
	if err != nil {
		tb.Fatal(err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			tb.Fatal(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	out := map[string]store.Contact{}
	for _, id := range ids {
		c, err := d.s.Get(ctx, id)
		if err != nil {
			tb.Fatal(err)
		}
		out[id] = c
	}
	return out
}

// collectorServer is a collector on loopback with its own database.
type collectorServer struct {
	s   *store.Store
	in  *store.Ingester
	h   *Handler
	srv *httptest.Server
}

const testToken = "s3cret-token-for-tests"

func newCollectorServer(tb testing.TB, opt HandlerOptions) *collectorServer {
	tb.Helper()
	s := storetest.MustOpen(tb, store.Options{Collector: true})
	in, err := s.NewIngester()
	if err != nil {
		tb.Fatal(err)
	}
	if opt.Tokens == nil && !opt.NoAuth {
		opt.Tokens = []string{"another-token", testToken}
	}
	h, err := NewHandler(in, opt)
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(h)
	tb.Cleanup(func() {
		srv.Close()
		in.Close()
	})
	return &collectorServer{s: s, in: in, h: h, srv: srv}
}

func (c *collectorServer) target(tb testing.TB, opt CollectorOptions) *Collector {
	tb.Helper()
	t, err := NewCollector(c.srv.URL, testToken, opt)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// holds checks that the collector's database holds exactly want, field by
// field, and that its rollup equals a recount.
func holds(tb testing.TB, s *store.Store, want map[string]store.Contact) {
	tb.Helper()
	var n int
	if err := s.DB().QueryRowContext(ctx, `SELECT count(*) FROM contacts`).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	if n != len(want) {
		tb.Fatalf("the collector holds %d contacts, want %d", n, len(want))
	}
	for id, w := range want {
		got, err := s.Get(ctx, id)
		if err != nil {
			tb.Fatalf("contact %s: %v", id, err)
		}
		if !sameContact(&got, &w) {
			tb.Fatalf("contact %s:\n holds %+v\n want  %+v", id, got, w)
		}
	}
	if err := s.VerifyRollup(ctx); err != nil {
		tb.Fatal(err)
	}
}

func union(ms ...map[string]store.Contact) map[string]store.Contact {
	out := map[string]store.Contact{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

func mustPush(tb testing.TB, s *Syncer) Report {
	tb.Helper()
	rep, err := s.Push(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	if len(rep.HeldBack) > 0 {
		tb.Fatalf("held back: %v", rep.HeldBack)
	}
	return rep
}

// edit changes, deletes and adds contacts on a desk after a first sync.
func (d *desk) edit(tb testing.TB, cs []store.Contact) {
	tb.Helper()
	if _, err := d.s.SetOutcome(ctx, cs[0].ID, store.OutcomeEscalated); err != nil {
		tb.Fatal(err)
	}
	if _, err := d.s.SetReasons(ctx, cs[1].ID, []string{"delivery_other"}); err != nil {
		tb.Fatal(err)
	}
	if _, err := d.s.SetNote(ctx, cs[1].ID, "the parcel went to the neighbour"); err != nil {
		tb.Fatal(err)
	}
	if _, err := d.s.Delete(ctx, cs[2].ID); err != nil {
		tb.Fatal(err)
	}
	if _, err := d.s.Reopen(ctx, cs[3].ID); err != nil { // a draft again: stays on the desk
		tb.Fatal(err)
	}
	if _, err := d.s.Delete(ctx, cs[4].ID); err != nil {
		tb.Fatal(err)
	}
	if _, err := d.s.Restore(ctx, cs[4]); err != nil { // undo of the delete
		tb.Fatal(err)
	}
	d.capture(tb, 3)
}

func TestTwoDesksSyncToOneCollectorExactlyOnce(t *testing.T) {
	col := newCollectorServer(t, HandlerOptions{})
	a, b := newDesk(t, "kari"), newDesk(t, "sven")
	ca, cb := a.capture(t, 25), b.capture(t, 14)
	sa, sb := a.syncer(t, col.target(t, CollectorOptions{}), 10), b.syncer(t, col.target(t, CollectorOptions{}), 10)

	if rep := mustPush(t, sa); rep.Batches != 3 || rep.Contacts != 25 || rep.Accepted != 25 {
		t.Fatalf("first push of desk a: %+v", rep)
	}
	if rep := mustPush(t, sb); rep.Contacts != 14 || rep.Accepted != 14 {
		t.Fatalf("first push of desk b: %+v", rep)
	}
	holds(t, col.s, union(a.sent(t), b.sent(t)))

	t.Run("running sync again sends nothing", func(t *testing.T) {
		for _, s := range []*Syncer{sa, sb} {
			if rep := mustPush(t, s); rep.Batches != 0 || rep.Contacts != 0 {
				t.Fatalf("second push: %+v", rep)
			}
		}
	})
	t.Run("edits and deletes follow", func(t *testing.T) {
		a.edit(t, ca)
		b.edit(t, cb)
		// 2 edits, 1 delete, 1 restore and 3 new contacts each; the reopened
		// draft stays behind.
		for _, s := range []*Syncer{sa, sb} {
			if rep := mustPush(t, s); rep.Contacts != 7 || rep.Accepted != 7 {
				t.Fatalf("push after edits: %+v", rep)
			}
		}
		want := union(a.sent(t), b.sent(t))
		reopened, err := col.s.Get(ctx, ca[3].ID)
		if err != nil || reopened.Draft() || reopened.Rev != ca[3].Rev {
			t.Fatalf("the collector's copy of a contact reopened on the desk: %+v %v; want the finished rev %d", reopened, err, ca[3].Rev)
		}
		want[ca[3].ID], want[cb[3].ID] = ca[3], cb[3]
		holds(t, col.s, want)
		if rep := mustPush(t, sa); rep.Contacts != 0 {
			t.Fatalf("third push: %+v", rep)
		}
		if n, _ := sa.Pending(ctx); n != 0 {
			t.Fatalf("%d pending after the push", n)
		}
	})
}

func TestTwoDesksSyncThroughAFolderExactlyOnce(t *testing.T) {
	dir := t.TempDir()
	folder, err := OpenTarget("file://"+dir, "", CollectorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a, b := newDesk(t, "kari"), newDesk(t, "sven/ø")
	ca, cb := a.capture(t, 12), b.capture(t, 9)
	sa, sb := a.syncer(t, folder, 5), b.syncer(t, folder, 5)
	mustPush(t, sa)
	mustPush(t, sb)
	lead := storetest.MustOpen(t, store.Options{Collector: true})
	in, err := lead.NewIngester()
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	rep, err := IngestDir(ctx, in, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Ingested != 5 || rep.Accepted != 21 || len(rep.Skipped) != 0 {
		t.Fatalf("first ingest: %+v", rep)
	}
	holds(t, lead, union(a.sent(t), b.sent(t)))

	a.edit(t, ca)
	b.edit(t, cb)
	mustPush(t, sa)
	mustPush(t, sb)
	if rep := mustPush(t, sa); rep.Contacts != 0 {
		t.Fatalf("a push with nothing pending sent %+v", rep)
	}
	rep, err = IngestDir(ctx, in, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Seen != 5 || rep.Ingested != 4 || rep.Accepted != 14 {
		t.Fatalf("second ingest: %+v", rep)
	}
	want := union(a.sent(t), b.sent(t))
	want[ca[3].ID], want[cb[3].ID] = ca[3], cb[3]
	holds(t, lead, want)

	names, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	for _, n := range names {
		base := filepath.Base(n)
		if base[0] == '.' || !validUUID(base[len(base)-41:len(base)-5], true) {
			t.Errorf("unexpected file %s in the folder", base)
		}
	}
	if rep, err := IngestDir(ctx, in, dir, nil); err != nil || rep.Ingested != 0 || rep.Seen != 9 {
		t.Fatalf("third ingest: %+v %v", rep, err)
	}
}

func TestAPushToAnUnreachableCollectorMarksNothing(t *testing.T) {
	d := newDesk(t, "kari")
	d.capture(t, 3)
	col := newCollectorServer(t, HandlerOptions{})
	url := col.srv.URL
	col.srv.Close()
	target, err := NewCollector(url, testToken, CollectorOptions{Attempts: 3, Backoff: time.Millisecond, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	s := d.syncer(t, target, 0)
	rep, err := s.Push(ctx)
	if err == nil || rep.Contacts != 0 {
		t.Fatalf("got %+v, %v; want an error and nothing sent", rep, err)
	}
	want := fmt.Sprintf("collector %s/v1/batches did not take the batch after 3 attempts", url)
	if got := err.Error(); len(got) < len(want) || got[:len(want)] != want {
		t.Fatalf("message %q, want it to start %q", got, want)
	}
	if n, _ := s.Pending(ctx); n != 3 {
		t.Fatalf("%d pending, want all 3 still pending", n)
	}
	st, err := s.Sync(ctx)
	if err != nil || st.Pending != 3 || st.LastErr == "" || !st.LastSync.IsZero() {
		t.Fatalf("status %+v, %v", st, err)
	}
	empty := newDesk(t, "sven").syncer(t, target, 0)
	if _, err := empty.Push(ctx); err == nil || !strings.Contains(err.Error(), "unreachable") {
		t.Fatalf("a push with nothing to send to a collector that is down: %v", err)
	}
}

func TestStatusAfterAGoodSync(t *testing.T) {
	col := newCollectorServer(t, HandlerOptions{})
	d := newDesk(t, "kari")
	d.capture(t, 2)
	at := time.Now().Add(time.Hour) // the desk's clock, a little fast
	s, err := NewSyncer(d.s, col.target(t, CollectorOptions{}), SyncerOptions{Agent: "kari", Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	st, err := s.Sync(ctx)
	if err != nil || st != (Status{LastSync: at}) {
		t.Fatalf("status %+v, %v", st, err)
	}
	d.capture(t, 1)
	if n, _ := s.Pending(ctx); n != 1 {
		t.Fatalf("pending %d", n)
	}
}
