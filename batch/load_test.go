package batch

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"whycall/store"
)

// TestManyDesksPushAtOnce is the load test: 200 desks (goroutines, each
// with its own database) push 50 batches each to one collector over
// loopback at the same time. Every contact must be acknowledged exactly
// once: accepted once, never a duplicate, and marked synced on its desk.
func TestManyDesksPushAtOnce(t *testing.T) {
	desks, batches, perBatch := 200, 50, 2
	if testing.Short() {
		desks = 40
	}
	col := newCollectorServer(t, HandlerOptions{})
	transport := &http.Transport{MaxIdleConns: desks, MaxIdleConnsPerHost: desks}
	defer transport.CloseIdleConnections()

	tax := testTaxonomy(t)
	ds := make([]*desk, desks)
	var wg sync.WaitGroup
	errs := make(chan error, desks)
	for i := range ds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// No fsync per save: the desks' durability is not what is tested.
			d := newDesk(t, fmt.Sprintf("agent%03d", i), store.Options{Collector: true})
			cs := make([]store.Contact, batches*perBatch)
			for n := range cs {
				cs[n] = testContact(tax, i, n)
				cs[n].ID = testID(i, n)
			}
			if err := d.s.PutMany(ctx, cs); err != nil {
				errs <- err
			}
			ds[i] = d
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	bounded, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	var accepted, duplicate, stale, acked atomic.Int64
	start := time.Now()
	errs = make(chan error, desks)
	for _, d := range ds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			target, err := NewCollector(col.srv.URL, testToken, CollectorOptions{Transport: transport, Timeout: 30 * time.Second})
			if err != nil {
				errs <- err
				return
			}
			s, err := NewSyncer(d.s, target, SyncerOptions{Agent: d.agent, BatchSize: perBatch, Sent: func(s Sent) {
				accepted.Add(int64(s.Accepted))
				duplicate.Add(int64(s.Duplicate))
				stale.Add(int64(s.Stale))
				acked.Add(1)
			}})
			if err != nil {
				errs <- err
				return
			}
			defer s.Close()
			rep, err := s.Push(bounded)
			if err == nil {
				var n int
				if n, err = s.Pending(ctx); err == nil && n != 0 {
					err = fmt.Errorf("%s: %d pending after the push", d.agent, n)
				}
			}
			if err == nil && rep.Batches != batches {
				err = fmt.Errorf("%s pushed %d batches, want %d", d.agent, rep.Batches, batches)
			}
			if err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	total := int64(desks * batches * perBatch)
	t.Logf("%d desks pushed %d batches (%d contacts) in %v: %.0f batches/s", desks, acked.Load(), total, elapsed.Round(time.Millisecond),
		float64(acked.Load())/elapsed.Seconds())
	if accepted.Load() != total || duplicate.Load() != 0 || stale.Load() != 0 || acked.Load() != int64(desks*batches) {
		t.Fatalf("acknowledged %d batches: %d accepted, %d duplicate, %d stale; want %d batches and %d accepted",
			acked.Load(), accepted.Load(), duplicate.Load(), stale.Load(), desks*batches, total)
	}
	var n, nb int
	if err := col.s.DB().QueryRowContext(ctx, `SELECT (SELECT count(*) FROM contacts), (SELECT count(*) FROM ingested_batches)`).Scan(&n, &nb); err != nil {
		t.Fatal(err)
	}
	if int64(n) != total || nb != desks*batches {
		t.Fatalf("the collector holds %d contacts from %d batches, want %d from %d", n, nb, total, desks*batches)
	}
	if err := col.s.VerifyRollup(ctx); err != nil {
		t.Fatal(err)
	}
}
