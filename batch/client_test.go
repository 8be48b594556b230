package batch

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// flaky wraps a collector's handler: the first fail requests get status
// (or, with status 0, no answer before the client's timeout).
func flaky(tb testing.TB, col *collectorServer, fail int32, status int) (*httptest.Server, *atomic.Int32) {
	tb.Helper()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= fail {
			io.Copy(io.Discard, r.Body)
			if status == 0 {
				time.Sleep(300 * time.Millisecond)
				return
			}
			writeError(w, status, "not now")
			return
		}
		col.h.ServeHTTP(w, r)
	}))
	tb.Cleanup(srv.Close)
	return srv, &calls
}

func quick() CollectorOptions {
	return CollectorOptions{Attempts: 4, Backoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond, Timeout: 100 * time.Millisecond}
}

func TestTheClientRetriesFailuresAndTimeoutsButNotRefusals(t *testing.T) {
	cases := []struct {
		name      string
		fail      int32
		status    int
		wantCalls int32
		wantErr   string
	}{
		{"two 503s are retried", 2, 503, 3, ""},
		{"a 500 is retried", 1, 500, 2, ""},
		{"a collector that does not answer in time is retried", 2, 0, 3, ""},
		{"failures beyond the attempts give up", 10, 502, 4, "did not take the batch after 4 attempts"},
		{"a 400 is not retried", 10, 400, 1, "refused the batch: 400 Bad Request: not now"},
		{"a 401 is not retried and names the token", 10, 401, 1, "refused the token (check sync.token"},
		{"a 403 is not retried", 10, 403, 1, "403 Forbidden"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			col := newCollectorServer(t, HandlerOptions{})
			srv, calls := flaky(t, col, tc.fail, tc.status)
			d := newDesk(t, "kari")
			d.capture(t, 3)
			target, err := NewCollector(srv.URL, testToken, quick())
			if err != nil {
				t.Fatal(err)
			}
			s := d.syncer(t, target, 0)
			rep, err := s.Push(ctx)
			if got := calls.Load(); got != tc.wantCalls {
				t.Errorf("%d requests, want %d", got, tc.wantCalls)
			}
			pending, _ := s.Pending(ctx)
			if tc.wantErr == "" {
				if err != nil || rep.Accepted != 3 || pending != 0 {
					t.Fatalf("got %+v, %v, %d pending", rep, err, pending)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("got %v, want %q", err, tc.wantErr)
			}
			if pending != 3 {
				t.Fatalf("%d pending after a failed push, want 3", pending)
			}
		})
	}
}

func TestBackoffGrowsAndStaysBounded(t *testing.T) {
	c, err := NewCollector("http://127.0.0.1:1", "", CollectorOptions{Backoff: 100 * time.Millisecond, MaxBackoff: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for attempt, lim := range map[int][2]time.Duration{
		1: {50 * time.Millisecond, 100 * time.Millisecond}, 2: {100 * time.Millisecond, 200 * time.Millisecond},
		4: {400 * time.Millisecond, 800 * time.Millisecond}, 9: {500 * time.Millisecond, time.Second}, 100: {500 * time.Millisecond, time.Second},
	} {
		for i := 0; i < 50; i++ {
			if d := c.backoff(attempt); d < lim[0] || d > lim[1] {
				t.Fatalf("attempt %d: backoff %v outside [%v, %v]", attempt, d, lim[0], lim[1])
			}
		}
	}
}

func TestABatchTooLargeForTheCollectorIsSplit(t *testing.T) {
	col := newCollectorServer(t, HandlerOptions{})
	var sizes []int
	var big atomic.Int32
	// A proxy in front of the collector that takes at most 4 contacts.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			t.Error(err)
			return
		}
		body, _ := io.ReadAll(zr)
		n := strings.Count(string(body), `"rev":`)
		if n > 4 {
			big.Add(1)
			writeError(w, http.StatusRequestEntityTooLarge, "too large")
			return
		}
		sizes = append(sizes, n)
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		r.Header.Del("Content-Encoding")
		r.ContentLength = int64(len(body))
		col.h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	d := newDesk(t, "kari")
	d.capture(t, 13)
	target, err := NewCollector(srv.URL, testToken, quick())
	if err != nil {
		t.Fatal(err)
	}
	rep := mustPush(t, d.syncer(t, target, 0))
	if rep.Contacts != 13 || rep.Accepted != 13 || big.Load() == 0 {
		t.Fatalf("report %+v after %d refusals", rep, big.Load())
	}
	total := 0
	for _, n := range sizes {
		total += n
	}
	if total != 13 {
		t.Fatalf("the collector got batches of %v contacts, want 13 in all", sizes)
	}
	holds(t, col.s, d.sent(t))
}

func TestAContactNoCollectorTakesIsHeldBackAndBlocksNothing(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusRequestEntityTooLarge, "too large")
	}))
	defer srv.Close()
	d := newDesk(t, "kari")
	d.capture(t, 2)
	target, err := NewCollector(srv.URL, testToken, quick())
	if err != nil {
		t.Fatal(err)
	}
	rep, err := d.syncer(t, target, 0).Push(ctx)
	if err != nil || len(rep.HeldBack) != 2 || rep.Contacts != 0 {
		t.Fatalf("got %+v, %v", rep, err)
	}
}

func TestContactsAReaderWouldRefuseAreHeldBackBeforeSending(t *testing.T) {
	col := newCollectorServer(t, HandlerOptions{})
	d := newDesk(t, "kari")
	cs := d.capture(t, 4)
	if _, err := d.s.SetNote(ctx, cs[1].ID, strings.Repeat("long note ", 1000)); err != nil {
		t.Fatal(err)
	}
	s := d.syncer(t, col.target(t, quick()), 0)
	rep, err := s.Push(ctx)
	if err != nil || rep.Accepted != 3 || len(rep.HeldBack) != 1 || !strings.Contains(rep.HeldBack[0], "note is 10000 bytes") {
		t.Fatalf("got %+v, %v", rep, err)
	}
	st, _ := s.Sync(ctx)
	if st.Pending != 1 || !strings.Contains(st.LastErr, "held back") {
		t.Fatalf("status %+v", st)
	}
}

func TestBatchesStayWithinTheSizeLimit(t *testing.T) {
	dir := t.TempDir()
	folder, err := NewFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	d := newDesk(t, "kari")
	cs := d.capture(t, 30)
	for _, c := range cs {
		if _, err := d.s.SetNote(ctx, c.ID, strings.Repeat("å", 4000)); err != nil {
			t.Fatal(err)
		}
	}
	var docs []int
	s, err := NewSyncer(d.s, folder, SyncerOptions{Agent: "kari", MaxBytes: 64 << 10, Sent: func(s Sent) { docs = append(docs, s.Bytes) }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rep := mustPush(t, s)
	if rep.Contacts != 30 || len(docs) < 4 {
		t.Fatalf("report %+v, documents %v", rep, docs)
	}
	for _, n := range docs {
		if n > 64<<10 {
			t.Fatalf("a document of %d bytes, limit %d", n, 64<<10)
		}
	}
}
