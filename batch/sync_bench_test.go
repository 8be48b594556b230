package batch

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"whycall/store"
	"whycall/store/storetest"
)

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportRate reports contacts per second of wall time and of this process's
// CPU time: on a shared machine the second is the steadier of the two.
func reportRate(b *testing.B, contacts int, cpu0 time.Duration) {
	b.ReportMetric(float64(contacts)/b.Elapsed().Seconds(), "contacts/s")
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(contacts)/cpu.Seconds(), "contacts/cpu-s")
	}
}

// BenchmarkCollector is the collector's whole path for batches of 1,000
// new contacts: gzip body, token check, strict decode, ingest into SQLite
// with idempotency, JSON answer (without the network).
func BenchmarkCollector(b *testing.B) {
	s := storetest.MustOpen(b, store.Options{Collector: true})
	in, err := s.NewIngester()
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	h, err := NewHandler(in, HandlerOptions{Tokens: []string{testToken}, Now: func() time.Time { return testNow }})
	if err != nil {
		b.Fatal(err)
	}
	bodies := make([][]byte, b.N)
	for i := range bodies {
		bt := testBatch(b, i, 0, MaxContacts)
		bt.ID = testID(4000, i)
		bodies[i] = gzipped(Encode(bt))
	}
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		req := httptest.NewRequest(http.MethodPost, BatchesPath, bytes.NewReader(bodies[i]))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Content-Encoding", "gzip")
		req.Header.Set("Authorization", "Bearer "+testToken)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
	reportRate(b, b.N*MaxContacts, cpu0)
}

// BenchmarkFolderSync is a desk pushing 10,000 pending contacts to a folder
// in batches of 1,000: read the outbox, encode, write each file durably
// (fsync, rename, fsync of the folder), mark synced (a durable transaction).
func BenchmarkFolderSync(b *testing.B) {
	const n = 10 * MaxContacts
	d := newDesk(b, "kari")
	tax := testTaxonomy(b)
	dir := b.TempDir()
	folder, err := NewFolder(dir)
	if err != nil {
		b.Fatal(err)
	}
	s := d.syncer(b, folder, MaxContacts)
	var elapsed, cpu time.Duration
	for i := 0; i < b.N; i++ {
		cs := make([]store.Contact, n)
		for k := range cs {
			cs[k] = testContact(tax, i, k)
			cs[k].ID = testID(i, k)
		}
		if err := d.s.PutMany(ctx, cs); err != nil {
			b.Fatal(err)
		}
		start, cpu0 := time.Now(), cpuTime()
		rep, err := s.Push(ctx)
		elapsed, cpu = elapsed+time.Since(start), cpu+cpuTime()-cpu0
		if err != nil || rep.Contacts != n || rep.Batches != n/MaxContacts {
			b.Fatalf("%+v %v", rep, err)
		}
	}
	b.ReportMetric(float64(b.N*n)/elapsed.Seconds(), "contacts/s")
	b.ReportMetric(float64(b.N*n)/cpu.Seconds(), "contacts/cpu-s")
	b.ReportMetric(float64(elapsed.Nanoseconds())/float64(b.N), "push-ns/op")
}
