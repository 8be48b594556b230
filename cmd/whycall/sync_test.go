package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"whycall/batch"
	"whycall/store"
)

// testYAML stands in for a taxonomy: the desk stores it and sync carries
// it; nothing here parses it.
var testYAML = []byte("schema_version: 1\ntaxonomy: {id: \"t\", version: 1}\n")

// deskDB makes a desk database at path with n finished contacts of agent,
// stored in one transaction.
func deskDB(t *testing.T, path, agent string, n int) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	version := batch.TaxonomyVersion(testYAML)
	if err := s.SaveTaxonomy(ctx, version, "t", 1, testYAML); err != nil {
		t.Fatal(err)
	}
	cs := make([]store.Contact, n)
	start := time.Now().Add(-time.Duration(n) * time.Minute).Truncate(time.Millisecond)
	for i := range cs {
		id, err := store.NewID()
		if err != nil {
			t.Fatal(err)
		}
		at := start.Add(time.Duration(i) * time.Minute)
		cs[i] = store.Contact{ID: id, Agent: agent, Team: "oslo-1", Site: "oslo", StartedAt: at, EndedAt: at.Add(40 * time.Second),
			Reasons: []string{[]string{"late_delivery", "invoice_unclear"}[i%2]}, Outcome: store.OutcomeResolved,
			TaxonomyVersion: version, Rev: 3, UpdatedAt: at.Add(time.Minute)}
	}
	if err := s.PutMany(ctx, cs); err != nil {
		t.Fatal(err)
	}
	return s
}

// pendingOn counts a desk's pending contacts.
func pendingOn(t *testing.T, s *store.Store) int {
	t.Helper()
	o, err := s.NewOutbox()
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	n, err := o.PendingCount(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// whycall runs the command in-process and returns its exit code and output.
func whycall(t *testing.T, env func(string) string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut, env)
	return code, out.String(), errOut.String()
}

func TestSyncToAFolderThenIngestIt(t *testing.T) {
	env := fakeEnv(t, map[string]string{"USER": "kari"})
	dir, share := t.TempDir(), t.TempDir()
	desk, lead := filepath.Join(dir, "desk.db"), filepath.Join(dir, "lead.db")
	s := deskDB(t, desk, "kari", 7)

	code, out, errOut := whycall(t, env, "sync", "--db", desk, "--to", share, "--dry-run")
	if code != 0 || !strings.Contains(out, "would send 7 contact(s) in 1 batch(es)") {
		t.Fatalf("dry run: %d %q %q", code, out, errOut)
	}
	code, out, errOut = whycall(t, env, "sync", "--db", desk, "--to", "file://"+share)
	if code != 0 || !regexp.MustCompile(`(?m)^batch [0-9a-f-]{36}: 7 contact\(s\), \d+ bytes: 7 new or changed`).MatchString(out) ||
		!strings.Contains(out, "sent 7 contact(s) in 1 batch(es)") {
		t.Fatalf("sync: %d %q %q", code, out, errOut)
	}
	if n := pendingOn(t, s); n != 0 {
		t.Fatalf("%d pending after sync", n)
	}
	if code, out, _ = whycall(t, env, "sync", "--db", desk, "--to", share); code != 0 || !strings.Contains(out, "nothing sent") {
		t.Fatalf("second sync: %d %q", code, out)
	}
	os.WriteFile(filepath.Join(share, "desktop.ini"), []byte("x"), 0o644)

	code, out, errOut = whycall(t, env, "ingest", share, "--db", lead)
	if code != 0 || !strings.Contains(out, "ingested 1 new batch file(s): 7 contact revision(s) new or changed") ||
		!strings.Contains(out, "1 file(s) skipped") || !strings.Contains(errOut, "skipped desktop.ini: not a whycall batch file") {
		t.Fatalf("ingest: %d %q %q", code, out, errOut)
	}
	if code, out, _ = whycall(t, env, "ingest", share, "--db", lead); code != 0 || !strings.Contains(out, "ingested 0 new batch file(s)") ||
		!strings.Contains(out, "1 file(s) ingested by earlier runs") {
		t.Fatalf("second ingest: %d %q", code, out)
	}
}

func TestSyncRefusesAFileAsTargetAndSaysWhy(t *testing.T) {
	env := fakeEnv(t, map[string]string{"USER": "kari"})
	dir := t.TempDir()
	file := filepath.Join(dir, "everyone.jsonl")
	os.WriteFile(file, nil, 0o644)
	code, _, errOut := whycall(t, env, "sync", "--db", filepath.Join(dir, "desk.db"), "--to", file)
	first := strings.SplitN(errOut, "\n", 2)[0]
	if code != 2 || !strings.Contains(first, "is a file, but must be a folder") || !strings.Contains(first, "appending to one file would corrupt it") {
		t.Fatalf("got %d %q", code, errOut)
	}
	if code, _, errOut := whycall(t, env, "sync", "--db", filepath.Join(dir, "desk.db")); code != 2 || !strings.Contains(errOut, "no sync target") {
		t.Fatalf("no target: %d %q", code, errOut)
	}
}

func TestSyncToACollectorThatIsDownFailsAndMarksNothing(t *testing.T) {
	env := fakeEnv(t, map[string]string{"USER": "kari", "WHYCALL_SYNC_TIMEOUT": "1s"})
	dir := t.TempDir()
	desk := filepath.Join(dir, "desk.db")
	s := deskDB(t, desk, "kari", 3)
	defer func(o batch.CollectorOptions) { collectorDefaults = o }(collectorDefaults)
	collectorDefaults.Backoff = time.Millisecond
	code, _, errOut := whycall(t, env, "sync", "--db", desk, "--to", "http://127.0.0.1:1", "--token", "x")
	if code != 1 || !strings.Contains(errOut, "collector http://127.0.0.1:1/v1/batches did not take the batch after 5 attempts") ||
		!strings.Contains(errOut, "stays pending") {
		t.Fatalf("got %d %q", code, errOut)
	}
	if n := pendingOn(t, s); n != 3 {
		t.Fatalf("%d pending, want 3", n)
	}
}

func TestServeNeedsAToken(t *testing.T) {
	env := fakeEnv(t, map[string]string{"USER": "kari"})
	code, _, errOut := whycall(t, env, "serve", "--db", filepath.Join(t.TempDir(), "c.db"))
	if code != 2 || !strings.Contains(errOut, "needs a token") {
		t.Fatalf("got %d %q", code, errOut)
	}
}

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// binary builds whycall once for the tests that run it as a process.
func binary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "whycall-bin")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "whycall")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// collectorProc is `whycall serve` running as a process.
type collectorProc struct {
	cmd  *exec.Cmd
	url  string
	out  *lockedBuffer
	done chan error
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var listening = regexp.MustCompile(`listening on (https?://[0-9.]+:\d+)`)

// startCollector runs `whycall serve` on db at listen and waits until it
// listens.
func startCollector(t *testing.T, db, listen string, args ...string) *collectorProc {
	t.Helper()
	cmd := exec.Command(binary(t), append([]string{"serve", "--db", db, "--listen", listen, "--token", "tok"}, args...)...)
	home := t.TempDir()
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+home, "WHYCALL_CONFIG=", "WHYCALL_LOG_LEVEL=warn")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &collectorProc{cmd: cmd, out: &lockedBuffer{}, done: make(chan error, 1)}
	cmd.Stderr = p.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-p.done
		}
	})
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			p.out.Write([]byte(sc.Text() + "\n"))
			lines <- sc.Text()
		}
		close(lines)
		p.done <- cmd.Wait()
	}()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("whycall serve exited:\n%s", p.out)
			}
			if m := listening.FindStringSubmatch(l); m != nil {
				p.url = m[1]
				go func() {
					for range lines {
					}
				}()
				return p
			}
		case <-timeout:
			t.Fatalf("whycall serve did not start:\n%s", p.out)
		}
	}
}

// pushUntilDone pushes a desk until nothing is pending, retrying while the
// collector is down, for at most a minute.
func pushUntilDone(t *testing.T, s *batch.Syncer) error {
	deadline := time.Now().Add(time.Minute)
	for {
		_, err := s.Push(context.Background())
		n, perr := s.Pending(context.Background())
		if perr != nil {
			return perr
		}
		if err == nil && n == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("still %d pending after a minute: %v", n, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestCollectorKilledWhileDesksPush kills `whycall serve` with SIGKILL while
// four desks push to it, restarts it, lets the desks sync again, and checks
// that the collector holds every contact exactly once at its latest
// revision.
func TestCollectorKilledWhileDesksPush(t *testing.T) {
	dir := t.TempDir()
	colDB := filepath.Join(dir, "collector.db")
	col := startCollector(t, colDB, "127.0.0.1:0")
	addr := strings.TrimPrefix(col.url, "http://")

	const desks, perDesk = 4, 240
	var acked atomic.Int64
	var syncers []*batch.Syncer
	var stores []*store.Store
	for i := 0; i < desks; i++ {
		s := deskDB(t, filepath.Join(dir, fmt.Sprintf("desk%d.db", i)), fmt.Sprintf("agent%d", i), perDesk)
		target, err := batch.NewCollector(col.url, "tok", batch.CollectorOptions{Attempts: 2, Backoff: 5 * time.Millisecond, Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		sy, err := batch.NewSyncer(s, target, batch.SyncerOptions{Agent: fmt.Sprintf("agent%d", i), BatchSize: 5,
			Sent: func(batch.Sent) { acked.Add(1) }})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { sy.Close() })
		syncers, stores = append(syncers, sy), append(stores, s)
	}
	var wg sync.WaitGroup
	errs := make([]error, desks)
	for i, sy := range syncers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = pushUntilDone(t, sy)
		}()
	}
	// Kill it mid-stream, with batches in flight.
	for acked.Load() < 40 {
		time.Sleep(time.Millisecond)
	}
	if err := col.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-col.done
	killedAt := acked.Load()
	time.Sleep(300 * time.Millisecond) // desks fail and retry meanwhile
	startCollector(t, colDB, addr)
	// Meanwhile, an edit on each desk, of a contact sent before the kill.
	var edited []store.Contact
	for _, s := range stores {
		var id string
		if err := s.DB().QueryRow(`SELECT id FROM contacts ORDER BY id LIMIT 1`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		c, err := s.SetOutcome(context.Background(), id, store.OutcomeEscalated)
		if err != nil {
			t.Fatal(err)
		}
		edited = append(edited, c)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("killed after %d acknowledged batches; %d batches acknowledged in all", killedAt, acked.Load())
	if killedAt >= int64(desks*perDesk/5) {
		t.Fatal("the collector was killed after the desks had finished")
	}

	c, err := store.Open(context.Background(), colDB, store.Options{Collector: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var total, distinct int
	var check string
	if err := c.DB().QueryRow(`SELECT count(*), count(DISTINCT id) FROM contacts`).Scan(&total, &distinct); err != nil {
		t.Fatal(err)
	}
	if total != desks*perDesk || distinct != total {
		t.Fatalf("the collector holds %d contacts (%d distinct), want %d", total, distinct, desks*perDesk)
	}
	if err := c.DB().QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q %v", check, err)
	}
	for _, s := range stores {
		rows, err := s.DB().Query(`SELECT id, rev FROM contacts`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id string
			var rev int64
			rows.Scan(&id, &rev)
			got, err := c.Get(context.Background(), id)
			if err != nil || got.Rev != rev {
				t.Fatalf("contact %s: collector has rev %d (%v), desk rev %d", id, got.Rev, err, rev)
			}
		}
		rows.Close()
	}
	for _, e := range edited {
		got, _ := c.Get(context.Background(), e.ID)
		if got.Outcome != store.OutcomeEscalated {
			t.Fatalf("an edit made during the outage did not arrive: %+v", got)
		}
	}
	if err := c.VerifyRollup(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestCollectorStopsGracefully sends SIGTERM while a desk pushes: every
// batch in flight is stored and answered, and the process exits 0.
func TestCollectorStopsGracefully(t *testing.T) {
	dir := t.TempDir()
	colDB := filepath.Join(dir, "collector.db")
	col := startCollector(t, colDB, "127.0.0.1:0")
	s := deskDB(t, filepath.Join(dir, "desk.db"), "kari", 150)
	target, err := batch.NewCollector(col.url, "tok", batch.CollectorOptions{Attempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	var acked atomic.Int64
	sy, err := batch.NewSyncer(s, target, batch.SyncerOptions{Agent: "kari", BatchSize: 2, Sent: func(batch.Sent) { acked.Add(1) }})
	if err != nil {
		t.Fatal(err)
	}
	defer sy.Close()
	pushed := make(chan error, 1)
	go func() {
		_, err := sy.Push(context.Background())
		pushed <- err
	}()
	for acked.Load() < 10 {
		time.Sleep(time.Millisecond)
	}
	col.cmd.Process.Signal(syscall.SIGTERM)
	if err := <-col.done; err != nil {
		t.Fatalf("whycall serve exited with %v:\n%s", err, col.out)
	}
	if !strings.Contains(col.out.String(), "stopped") {
		t.Fatalf("output:\n%s", col.out)
	}
	<-pushed // refused once the listener closed
	c, err := store.Open(context.Background(), colDB, store.Options{Collector: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var n int
	c.DB().QueryRow(`SELECT count(*) FROM contacts`).Scan(&n)
	pending, _ := sy.Pending(context.Background())
	if n != 150-pending {
		t.Fatalf("the collector stored %d contacts and the desk has %d pending: an acknowledged batch was lost, or a stored one not acknowledged", n, pending)
	}
}

// selfSigned writes a certificate for 127.0.0.1 and its key, and returns
// their paths and a pool that trusts the certificate.
func selfSigned(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "collector"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
	return certFile, keyFile, pool
}

func TestTheCollectorServesTLSWhenConfigured(t *testing.T) {
	certFile, keyFile, pool := selfSigned(t)
	cfg := writeFile(t, "serve.yaml", fmt.Sprintf("serve:\n  tls_cert: %s\n  tls_key: %s\n", certFile, keyFile))
	dir := t.TempDir()
	col := startCollector(t, filepath.Join(dir, "c.db"), "127.0.0.1:0", "--config", cfg)
	if !strings.HasPrefix(col.url, "https://") {
		t.Fatalf("listening on %s", col.url)
	}
	s := deskDB(t, filepath.Join(dir, "desk.db"), "kari", 3)

	untrusted, err := batch.NewCollector(col.url, "tok", batch.CollectorOptions{Attempts: 3, Backoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	sy, err := batch.NewSyncer(s, untrusted, batch.SyncerOptions{Agent: "kari"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sy.Push(context.Background()); err == nil || !strings.Contains(err.Error(), "TLS certificate is not trusted") {
		t.Fatalf("push to a collector with an unknown certificate: %v", err)
	}
	sy.Close()

	trusted, err := batch.NewCollector(col.url, "tok", batch.CollectorOptions{
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}})
	if err != nil {
		t.Fatal(err)
	}
	sy, err = batch.NewSyncer(s, trusted, batch.SyncerOptions{Agent: "kari"})
	if err != nil {
		t.Fatal(err)
	}
	defer sy.Close()
	if rep, err := sy.Push(context.Background()); err != nil || rep.Accepted != 3 {
		t.Fatalf("push over TLS: %+v %v", rep, err)
	}
}

func TestBackgroundSyncPushesAndReportsStatus(t *testing.T) {
	dir := t.TempDir()
	share := filepath.Join(dir, "share")
	env := fakeEnv(t, map[string]string{"USER": "kari", "WHYCALL_SYNC_TARGET": share})
	cfg, _, err := loadConfig(nil, "", env)
	if err != nil {
		t.Fatal(err)
	}
	a := &app{cfg: cfg, env: env}
	s := deskDB(t, filepath.Join(dir, "desk.db"), "kari", 4)
	status, closeSync, err := a.backgroundSync(s)
	if err != nil || status == nil {
		t.Fatalf("no status func: %v", err)
	}
	defer closeSync()
	st, err := status(context.Background())
	if err != nil || st.Pending != 4 || !strings.Contains(st.LastErr, "does not exist") {
		t.Fatalf("with the share missing: %+v %v", st, err)
	}
	os.Mkdir(share, 0o755)
	st, err = status(context.Background())
	if err != nil || st.Pending != 0 || st.LastErr != "" || st.LastSync.IsZero() {
		t.Fatalf("with the share there: %+v %v", st, err)
	}
	a.cfg.Sync.Target = ""
	if status, _, err := a.backgroundSync(s); status != nil || err != nil {
		t.Fatalf("without a target: a status func, %v", err)
	}
}
