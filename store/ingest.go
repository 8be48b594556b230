package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"zombiezen.com/go/sqlite"
)

// IngestBatch is one batch of contact revisions from a desk, as a collector
// (or `whycall ingest`) receives it.
type IngestBatch struct {
	// ID is the batch id. A batch id that was ingested before changes
	// nothing.
	ID          string
	Agent, Site string
	Created     time.Time
	// File is the name of the batch file it was read from; "" when it came
	// over HTTP.
	File string
	// FileSize is the size of that file.
	FileSize int64
	// Taxonomies are the taxonomy versions the contacts were tagged with.
	Taxonomies []IngestTaxonomy
	// Contacts are full rows at a revision; each id at most once.
	Contacts []Contact
}

// IngestTaxonomy is a taxonomy version with its YAML.
type IngestTaxonomy struct {
	Version    string
	TaxonomyID string
	Revision   int
	YAML       []byte
}

// IngestResult counts what an ingest did with each contact revision.
type IngestResult struct {
	// Accepted revisions were newer than the stored one, or new contacts.
	Accepted int
	// Duplicate revisions were stored already.
	Duplicate int
	// Stale revisions were older than the stored one and changed nothing.
	Stale int
	// DuplicateBatch means the batch id had been ingested before; nothing
	// was written (but the file name, if new, was remembered).
	DuplicateBatch bool
}

// direct is a connection of a Store's own to its database through the
// direct API of zombiezen.com/go/sqlite (over the same modernc engine):
// statements bound by index, without database/sql's per-call locks and
// conversions. The bulk paths use it: ingest (inserts measured 2.3 times
// faster per CPU second) and the outbox (reading pending contacts 2.6
// times, marking them synced 1.4 times). Its writes take the Store's write
// lock, so they queue behind the Store's own changes like any other.
type direct struct {
	s    *Store
	path string // absolute

	mu     sync.Mutex // guards conn, which is single-threaded
	conn   *sqlite.Conn
	closed bool
}

// openDirect opens a direct connection to s's database with its durability
// (synchronous FULL on a desk, NORMAL on a collector) and more pragmas.
func (s *Store) openDirect(pragmas ...string) (*direct, error) {
	path, err := filepath.Abs(s.path)
	if err != nil {
		return nil, err
	}
	conn, err := sqlite.OpenConn(path, sqlite.OpenReadWrite)
	if err != nil {
		return nil, err
	}
	conn.SetBusyTimeout(busyTimeout)
	sync := "FULL"
	if s.opt.Collector {
		sync = "NORMAL"
	}
	for _, q := range append([]string{"PRAGMA foreign_keys = 1", "PRAGMA synchronous = " + sync}, pragmas...) {
		if err := execZ(conn, q); err != nil {
			conn.Close()
			return nil, err
		}
	}
	return &direct{s: s, path: path, conn: conn}, nil
}

// errClosed is returned by a direct connection used after Close.
var errClosed = errors.New("closed")

// use runs fn on the connection; cancelling ctx interrupts it.
func (d *direct) use(ctx context.Context, fn func() error) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return errClosed
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	d.conn.SetInterrupt(ctx.Done())
	defer d.conn.SetInterrupt(nil)
	return fn()
}

// write runs fn in one write transaction (BEGIN IMMEDIATE), holding the
// Store's write lock, with the clock read once. Cancelling ctx interrupts
// it and rolls it back.
func (d *direct) write(ctx context.Context, fn func(now time.Time) error) error {
	d.s.wmu.Lock()
	defer d.s.wmu.Unlock()
	return d.use(ctx, func() (err error) {
		if err := execZ(d.conn, "BEGIN IMMEDIATE"); err != nil {
			return err
		}
		defer func() {
			if err != nil && !d.conn.AutocommitEnabled() {
				d.conn.SetInterrupt(nil) // so that the rollback itself runs
				if rerr := execZ(d.conn, "ROLLBACK"); rerr != nil {
					err = errors.Join(err, fmt.Errorf("roll back: %w", rerr))
				}
			}
		}()
		if err := fn(d.s.now()); err != nil {
			return err
		}
		return execZ(d.conn, "COMMIT")
	})
}

// close closes the connection; closing again does nothing.
func (d *direct) close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return nil
	}
	d.closed = true
	return d.conn.Close()
}

// Ingester writes batches from desks into a Store: the collector's and
// `whycall ingest`'s bulk path, on a direct connection of its own. It is
// safe for concurrent use: batches that arrive while another is being
// written wait, and are then written together in one transaction (each as
// if alone; see IngestAll), so that many desks pushing at once cost a
// commit per group rather than one per batch.
//
// Checkpoints run in the background, not inside an ingest: the Ingester's
// connection never checkpoints on its own, and a goroutine copies the WAL
// into the database after batches were written, at most every
// checkpointEvery.
type Ingester struct {
	*direct

	wrote   chan struct{} // a batch was written; buffered, one deep
	reqs    chan *ingestReq
	stop    chan struct{}
	done    chan struct{} // the checkpoint goroutine has ended
	grouped chan struct{} // the group writer has ended
}

// ingestReq is an Ingest call waiting for the group writer.
type ingestReq struct {
	ctx  context.Context
	b    *IngestBatch
	res  IngestResult
	err  error
	done chan struct{}
}

// How the group writer groups waiting batches: at most groupBatches
// batches or groupContacts contacts (at least one batch) a transaction.
const (
	groupBatches  = 64
	groupContacts = 64_000
)

// checkpointEvery is the least time between two background checkpoints.
const checkpointEvery = 250 * time.Millisecond

// NewIngester opens the Ingester's connection to s's database. Close it
// before closing s.
func (s *Store) NewIngester() (*Ingester, error) {
	d, err := s.openDirect("PRAGMA wal_autocheckpoint = 0", "PRAGMA cache_size = -65536", "PRAGMA temp_store = MEMORY")
	if err != nil {
		return nil, fmt.Errorf("open ingester on %s: %w", s.path, err)
	}
	in := &Ingester{direct: d, wrote: make(chan struct{}, 1), reqs: make(chan *ingestReq),
		stop: make(chan struct{}), done: make(chan struct{}), grouped: make(chan struct{})}
	go in.checkpoints(d.path)
	go in.groups()
	return in, nil
}

// checkpoints copies the WAL into the database after batches were written,
// until Close, on a connection of its own. A PASSIVE checkpoint runs beside
// the next ingest; the WAL then starts over only when a checkpoint happens to
// finish between two ingests. So that it cannot grow without bound under a
// steady stream of batches, a WAL longer than walLimit frames is checkpointed
// holding the write lock, which lets it finish.
func (in *Ingester) checkpoints(path string) {
	defer close(in.done)
	var conn *sqlite.Conn
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	for {
		select {
		case <-in.stop:
			return
		case <-in.wrote:
		}
		if conn == nil {
			c, err := sqlite.OpenConn(path, sqlite.OpenReadWrite)
			if err != nil {
				continue // the next batch tries again
			}
			c.SetBusyTimeout(busyTimeout)
			conn = c
		}
		// A failed checkpoint leaves the WAL longer, nothing worse; the
		// next one, or Store.Close, tries again.
		if log, done, err := checkpointZ(conn); err == nil && log >= walLimit && done < log {
			in.s.wmu.Lock()
			_, _, _ = checkpointZ(conn)
			in.s.wmu.Unlock()
		}
		select {
		case <-in.stop:
			return
		case <-time.After(checkpointEvery):
		}
	}
}

// walLimit is the WAL length, in frames (pages), above which a checkpoint
// holds off writers so that it finishes: 16,384 frames of 4 KiB is 64 MiB.
const walLimit = 16384

// checkpointZ runs a PASSIVE checkpoint and returns the frames in the WAL
// and how many of them are now in the database.
func checkpointZ(conn *sqlite.Conn) (log, done int64, err error) {
	st, err := conn.Prepare("PRAGMA wal_checkpoint(PASSIVE)")
	if err != nil {
		return 0, 0, err
	}
	defer st.Reset()
	row, err := st.Step()
	if err != nil || !row {
		return 0, 0, err
	}
	return st.ColumnInt64(1), st.ColumnInt64(2), nil
}

// Store returns the Store the Ingester writes to.
func (in *Ingester) Store() *Store { return in.s }

// Close stops background checkpoints and closes the Ingester's connection.
// Closing again does nothing.
func (in *Ingester) Close() error {
	in.mu.Lock()
	stopped := in.closed
	in.mu.Unlock()
	if !stopped {
		close(in.stop)
		<-in.done
		<-in.grouped
	}
	if err := in.close(); err != nil {
		return fmt.Errorf("close ingester on %s: %w", in.s.path, err)
	}
	return nil
}

// Ingest stores a batch from a desk in one transaction, idempotently: a
// batch id seen before changes nothing, and for each contact the highest
// revision wins, so an equal or older one changes nothing. Contacts are
// stored as they come (notes and refs were masked and hashed on the desk;
// reason ids the taxonomy does not know are kept) with synced_rev = rev, as
// nothing here waits to be sent on. The rollup stays exact.
func (in *Ingester) Ingest(ctx context.Context, b *IngestBatch) (IngestResult, error) {
	if err := checkBatch(b); err != nil {
		return IngestResult{}, fmt.Errorf("ingest batch %s: %w", b.ID, err)
	}
	r := &ingestReq{ctx: ctx, b: b, done: make(chan struct{})}
	select {
	case in.reqs <- r:
	case <-ctx.Done():
		return IngestResult{}, fmt.Errorf("ingest batch %s: %w", b.ID, ctx.Err())
	case <-in.stop:
		return IngestResult{}, fmt.Errorf("ingest batch %s: %w", b.ID, errIngesterClosed)
	}
	// The group writer answers every request it took, whatever happens to
	// ctx meanwhile: once taken, the batch may be stored, and the caller
	// must not report otherwise.
	<-r.done
	return r.res, r.err
}

// errIngesterClosed means a batch came after Close.
var errIngesterClosed = errors.New("the ingester is closed")

// groups is the group writer: it takes the batches waiting in Ingest, as
// many as are waiting (up to a group), and writes them with IngestAll, until
// Close.
func (in *Ingester) groups() {
	defer close(in.grouped)
	var group []*ingestReq
	var bs []*IngestBatch
	for {
		group = group[:0]
		select {
		case r := <-in.reqs:
			group = append(group, r)
		case <-in.stop:
			return
		}
		n := len(group[0].b.Contacts)
	more:
		for len(group) < groupBatches && n < groupContacts {
			select {
			case r := <-in.reqs:
				group = append(group, r)
				n += len(r.b.Contacts)
			default:
				break more
			}
		}
		// A caller that gave up before its batch was taken is told so, and
		// its batch is left out.
		bs = bs[:0]
		for _, r := range group {
			if err := r.ctx.Err(); err != nil {
				r.err = fmt.Errorf("ingest batch %s: %w", r.b.ID, err)
				continue
			}
			bs = append(bs, r.b)
		}
		res, errs := in.IngestAll(context.Background(), bs)
		k := 0
		for _, r := range group {
			if r.err == nil {
				r.res, r.err = res[k], errs[k]
				k++
			}
			close(r.done)
		}
	}
}

// ingestNow is Ingest without the group writer: b in a transaction of its
// own, now.
func (in *Ingester) ingestNow(ctx context.Context, b *IngestBatch) (IngestResult, error) {
	if err := checkBatch(b); err != nil {
		return IngestResult{}, fmt.Errorf("ingest batch %s: %w", b.ID, err)
	}
	res := make([]IngestResult, 1)
	err := in.write(ctx, func(now time.Time) error {
		return in.ingestGroup([]*IngestBatch{b}, now, res)
	})
	if err != nil {
		return IngestResult{}, fmt.Errorf("ingest batch %s: %w", b.ID, err)
	}
	return res[0], nil
}

// IngestAll stores several batches as Ingest stores each, but in one
// transaction, as if one by one in order: a commit writes each page it
// changed once, however many of the batches changed it, and the batches'
// contacts are stored together, so a bulk load (a folder of batch files)
// costs far less than with a transaction per batch. It returns each batch's
// result and error, in order: no error means the batch is stored; an error
// wrapping ErrInvalid means that batch alone was refused and the others
// went on; any other error means that batch was not stored because the
// database failed, and nor were the batches after it (those before it
// were).
func (in *Ingester) IngestAll(ctx context.Context, bs []*IngestBatch) ([]IngestResult, []error) {
	res := make([]IngestResult, len(bs))
	errs := make([]error, len(bs))
	valid := make([]*IngestBatch, 0, len(bs))
	at := make([]int, 0, len(bs))
	for i, b := range bs {
		if err := checkBatch(b); err != nil {
			errs[i] = fmt.Errorf("ingest batch %s: %w", b.ID, err)
			continue
		}
		valid = append(valid, b)
		at = append(at, i)
	}
	if len(valid) == 0 {
		return res, errs
	}
	vres := make([]IngestResult, len(valid))
	err := in.write(ctx, func(now time.Time) error {
		return in.ingestGroup(valid, now, vres)
	})
	if err == nil {
		for k, i := range at {
			res[i] = vres[k]
		}
		return res, errs
	}
	if ctx.Err() != nil {
		for _, i := range at {
			errs[i] = fmt.Errorf("ingest batch %s: %w", bs[i].ID, err)
		}
		return res, errs
	}
	// Something in one batch spoilt the transaction: each batch on its own,
	// so that the failure is that batch's alone.
	for k, i := range at {
		res[i], errs[i] = in.ingestNow(ctx, bs[i])
		if errs[i] != nil && !errors.Is(errs[i], ErrInvalid) {
			for _, j := range at[k+1:] {
				errs[j] = fmt.Errorf("ingest batch %s: not tried: %w", bs[j].ID, errs[i])
			}
			break
		}
	}
	return res, errs
}

// checkBatch checks what the database needs of a batch.
func checkBatch(b *IngestBatch) error {
	if b.ID == "" {
		return fmt.Errorf("%w: no batch id", ErrInvalid)
	}
	seen := make(map[string]struct{}, len(b.Contacts))
	for i := range b.Contacts {
		c := &b.Contacts[i]
		if err := checkContact(c); err != nil {
			return err
		}
		if c.Rev < 1 {
			return fmt.Errorf("%w: contact %s: rev %d", ErrInvalid, c.ID, c.Rev)
		}
		if strings.ContainsFunc(c.ID, func(r rune) bool { return r < 0x20 || r == '"' || r == '\\' }) {
			return fmt.Errorf("%w: contact id %q", ErrInvalid, c.ID)
		}
		if _, dup := seen[c.ID]; dup {
			return fmt.Errorf("%w: contact %s twice", ErrInvalid, c.ID)
		}
		seen[c.ID] = struct{}{}
	}
	for _, t := range b.Taxonomies {
		if t.Version == "" {
			return fmt.Errorf("%w: taxonomy without a version", ErrInvalid)
		}
	}
	return nil
}

// write is direct.write, and then tells the checkpointer.
func (in *Ingester) write(ctx context.Context, fn func(now time.Time) error) error {
	if err := in.direct.write(ctx, fn); err != nil {
		return err
	}
	select {
	case in.wrote <- struct{}{}:
	default:
	}
	return nil
}

func (in *Ingester) recordFile(b *IngestBatch, now time.Time) error {
	if b.File == "" {
		return nil
	}
	st, err := in.conn.Prepare(`INSERT INTO ingested_files (name, batch_id, size, ingested_at)
		VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`)
	if err != nil {
		return err
	}
	st.BindText(1, b.File)
	st.BindText(2, b.ID)
	st.BindInt64(3, b.FileSize)
	st.BindInt64(4, now.UnixMilli())
	if err := stepZ(st); err != nil {
		return fmt.Errorf("record file %s: %w", b.File, err)
	}
	return nil
}

// ingestGroup stores checked batches inside a write transaction, as if
// one after another, and sets res[i] to what became of bs[i]: a batch id
// stored before (or earlier in bs) is a duplicate batch. Their contacts are
// stored together: the revisions every contact wins with are found first,
// then the stored rows that change are updated, the new members' neighbours
// reckoned, the new rows inserted with them, and the rollup moved, once for
// the whole group.
func (in *Ingester) ingestGroup(bs []*IngestBatch, now time.Time, res []IngestResult) error {
	known, err := in.knownBatches(bs)
	if err != nil {
		return err
	}
	n := 0
	for i, b := range bs {
		if known[b.ID] {
			res[i] = IngestResult{Duplicate: len(b.Contacts), DuplicateBatch: true}
			continue
		}
		known[b.ID] = true
		n += len(b.Contacts)
	}
	taxa := map[string]bool{}
	for i, b := range bs {
		if res[i].DuplicateBatch {
			continue
		}
		for _, t := range b.Taxonomies {
			if taxa[t.Version] {
				continue
			}
			taxa[t.Version] = true
			if err := in.storeTaxonomy(t, now); err != nil {
				return err
			}
		}
	}

	ids := make([]string, 0, n)
	for i, b := range bs {
		if !res[i].DuplicateBatch {
			for k := range b.Contacts {
				ids = append(ids, b.Contacts[k].ID)
			}
		}
	}
	stored, err := in.storedRevs(ids)
	if err != nil {
		return err
	}
	d := in.s.newDelta()
	spans := refSpans{}
	// The new contacts, in the order they came, each at the revision it
	// ends with; fresh maps an id to its place.
	var news []*Contact
	fresh := map[string]int{}
	for i, b := range bs {
		if res[i].DuplicateBatch {
			continue
		}
		r := &res[i]
		for k := range b.Contacts {
			c := &b.Contacts[k]
			if j, ok := fresh[c.ID]; ok {
				// New in this group, from an earlier batch.
				old := news[j]
				switch {
				case c.Rev == old.Rev:
					r.Duplicate++
				case c.Rev < old.Rev:
					r.Stale++
				default:
					d.add(old, -1)
					d.add(c, +1)
					spans.change(old, c)
					news[j] = c
					r.Accepted++
				}
				continue
			}
			old, ok := stored[c.ID]
			switch {
			case !ok:
				fresh[c.ID] = len(news)
				news = append(news, c)
				d.add(c, +1)
				spans.change(nil, c)
				r.Accepted++
			case c.Rev == old:
				r.Duplicate++
			case c.Rev < old:
				r.Stale++
			default:
				prev, err := in.get(c.ID)
				if err != nil {
					return fmt.Errorf("read %s: %w", c.ID, err)
				}
				st, err := in.conn.Prepare(sqlIngestUpdate)
				if err != nil {
					return err
				}
				bindContact(st, 0, c)
				if err := stepZ(st); err != nil {
					return fmt.Errorf("update %s: %w", c.ID, err)
				}
				stored[c.ID] = c.Rev
				d.add(&prev, -1)
				d.add(c, +1)
				spans.change(&prev, c)
				r.Accepted++
			}
		}
	}
	// The updates above are written; the new rows go in with their
	// neighbours.
	var keys []refKey
	var at []int
	for i, c := range news {
		if k, ok := keyOf(c); ok {
			keys = append(keys, k)
			at = append(at, i)
		}
	}
	ls, err := fixNeighbours(zNeighbours{in.conn}, spans, keys)
	if err != nil {
		return err
	}
	// SQLite gives new rows the rowids after the largest one, in the order
	// they are inserted, so the rowid of a new previous member is known
	// before the insert; the insert checks that it came out so, and sets
	// them afterwards when it did not.
	st, err := in.conn.Prepare(sqlMaxRowid)
	if err != nil {
		return err
	}
	base, err := int64Z(st)
	if err != nil {
		return err
	}
	nbs := make([]links, len(news))
	for j, i := range at {
		nbs[i] = ls[j]
		if k := ls[j].prevNew; k > 0 {
			nbs[i].prevRow = sql.NullInt64{Int64: base + 1 + int64(at[k-1]), Valid: true}
		}
	}
	if err := in.insert(news, nbs); err != nil {
		return err
	}
	if len(news) > 0 && in.conn.LastInsertRowID() != base+int64(len(news)) {
		if err := in.setNewPrevs(ls, func(j int) string { return news[at[j]].ID }); err != nil {
			return err
		}
	}
	if err := in.applyDelta(d); err != nil {
		return err
	}
	for i, b := range bs {
		if !res[i].DuplicateBatch {
			if err := in.recordBatch(b, res[i], now); err != nil {
				return err
			}
		}
		if err := in.recordFile(b, now); err != nil {
			return err
		}
	}
	return nil
}

// sqlMaxRowid is the largest rowid of the contacts, 0 when there are none.
const sqlMaxRowid = `SELECT coalesce(max(rowid), 0) FROM contacts`

// setNewPrevs sets prev_rowid of the new members whose links ls name a
// new previous member (see sqlSetNewPrevs); id(j) is the j-th one's id.
func (in *Ingester) setNewPrevs(ls []links, id func(j int) string) error {
	arg, err := newPrevs(ls, id)
	if err != nil || arg == "" {
		return err
	}
	st, err := in.conn.Prepare(sqlSetNewPrevs)
	if err != nil {
		return err
	}
	st.BindText(1, arg)
	if err := stepZ(st); err != nil {
		return fmt.Errorf("write neighbours: %w", err)
	}
	return nil
}

// knownBatches returns which of the batch ids of bs were ingested before.
func (in *Ingester) knownBatches(bs []*IngestBatch) (map[string]bool, error) {
	known := make(map[string]bool, len(bs))
	st, err := in.conn.Prepare(`SELECT count(*) FROM ingested_batches WHERE id = ?`)
	if err != nil {
		return nil, err
	}
	for _, b := range bs {
		st.BindText(1, b.ID)
		n, err := int64Z(st)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			known[b.ID] = true
		}
	}
	return known, nil
}

// storeTaxonomy stores a taxonomy version unless it is stored already.
func (in *Ingester) storeTaxonomy(t IngestTaxonomy, now time.Time) error {
	st, err := in.conn.Prepare(`INSERT INTO taxonomies (version, taxonomy_id, revision, yaml, added_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (version) DO NOTHING`)
	if err != nil {
		return err
	}
	st.BindText(1, t.Version)
	st.BindText(2, t.TaxonomyID)
	st.BindInt64(3, int64(t.Revision))
	st.BindBytes(4, t.YAML)
	st.BindInt64(5, now.UnixMilli())
	if err := stepZ(st); err != nil {
		return fmt.Errorf("store taxonomy %s: %w", t.Version, err)
	}
	return nil
}

// recordBatch remembers an ingested batch with what became of its
// contacts.
func (in *Ingester) recordBatch(b *IngestBatch, res IngestResult, now time.Time) error {
	source := "http"
	if b.File != "" {
		source = b.File
	}
	st, err := in.conn.Prepare(`INSERT INTO ingested_batches (id, agent, site, created_at, ingested_at,
		contacts, accepted, duplicate, stale, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	st.BindText(1, b.ID)
	st.BindText(2, b.Agent)
	st.BindText(3, b.Site)
	st.BindInt64(4, b.Created.UnixMilli())
	st.BindInt64(5, now.UnixMilli())
	st.BindInt64(6, int64(len(b.Contacts)))
	st.BindInt64(7, int64(res.Accepted))
	st.BindInt64(8, int64(res.Duplicate))
	st.BindInt64(9, int64(res.Stale))
	st.BindText(10, source)
	if err := stepZ(st); err != nil {
		return fmt.Errorf("record batch: %w", err)
	}
	return nil
}

// storedRevs returns the stored rev of each of ids that is stored, looked
// up in one statement.
func (in *Ingester) storedRevs(ids []string) (map[string]int64, error) {
	st, err := in.conn.Prepare(`SELECT c.id, c.rev FROM json_each(?) AS j JOIN contacts AS c ON c.id = j.value`)
	if err != nil {
		return nil, err
	}
	st.BindText(1, jsonStrings(ids))
	revs := make(map[string]int64)
	for {
		row, err := st.Step()
		if err != nil {
			st.Reset()
			return nil, fmt.Errorf("look up stored revisions: %w", err)
		}
		if !row {
			break
		}
		revs[st.ColumnText(0)] = st.ColumnInt64(1)
	}
	return revs, st.Reset()
}

// insertRows is how many contacts one INSERT statement carries: fewer
// statements, fewer trips through the engine.
const insertRows = 50

// insert inserts new contacts with synced_rev = rev and their neighbours
// nbs (in the same order), insertRows per statement.
func (in *Ingester) insert(cs []*Contact, nbs []links) error {
	for len(cs) > 0 {
		n := min(len(cs), insertRows)
		st, err := in.conn.Prepare(sqlInsertRows(n))
		if err != nil {
			return err
		}
		for i, c := range cs[:n] {
			bindContact(st, i*19, c)
			bindNullInt64Z(st, i*19+18, nbs[i].prev)
			bindNullInt64Z(st, i*19+19, nbs[i].prevRow)
		}
		if err := stepZ(st); err != nil {
			return fmt.Errorf("insert contacts: %w", err)
		}
		cs, nbs = cs[n:], nbs[n:]
	}
	return nil
}

// The contact columns an ingest writes, in bind order: the sqlInsert
// columns and synced_rev.
const ingestCols = `id, agent, team, site, channel, started_at, ended_at, reasons, primary_reason, outcome,
	customer_ref, note, taxonomy_version, rev, updated_at, deleted, synced_rev`

// sqlIngestUpdate replaces a stored contact with a newer revision; its
// parameters are bound as for an insert, the id first.
// A row that stops being a member (see neighbours.go) loses its
// neighbours here; a member's are set right by fixNeighbours.
const sqlIngestUpdate = `UPDATE OR ROLLBACK contacts SET (` + ingestCols + `) =
	(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17),
	prev_at = CASE WHEN ?7 IS NOT NULL AND NOT ?16 AND ?11 <> '' THEN prev_at END,
	prev_rowid = CASE WHEN ?7 IS NOT NULL AND NOT ?16 AND ?11 <> '' THEN prev_rowid END WHERE id = ?1`

// sqlInsertRows is an INSERT of n contacts with their neighbours.
func sqlInsertRows(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT OR ROLLBACK INTO contacts (` + ingestCols + `, prev_at, prev_rowid) VALUES `)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
	}
	return b.String()
}

// bindContact binds c's ingestCols to parameters off+1 … off+17.
func bindContact(st *sqlite.Stmt, off int, c *Contact) {
	st.BindText(off+1, c.ID)
	st.BindText(off+2, c.Agent)
	st.BindText(off+3, c.Team)
	st.BindText(off+4, c.Site)
	st.BindText(off+5, string(c.Channel))
	st.BindInt64(off+6, c.StartedAt.UnixMilli())
	if c.EndedAt.IsZero() {
		st.BindNull(off + 7)
	} else {
		st.BindInt64(off+7, c.EndedAt.UnixMilli())
	}
	st.BindText(off+8, strings.Join(c.Reasons, reasonSep))
	st.BindText(off+9, c.Primary())
	st.BindText(off+10, string(c.Outcome))
	st.BindText(off+11, c.CustomerRef)
	st.BindText(off+12, c.Note)
	st.BindText(off+13, c.TaxonomyVersion)
	st.BindInt64(off+14, c.Rev)
	st.BindInt64(off+15, c.UpdatedAt.UnixMilli())
	st.BindBool(off+16, c.Deleted)
	st.BindInt64(off+17, c.Rev)
}

// get reads the stored contact id.
func (in *Ingester) get(id string) (Contact, error) {
	st, err := in.conn.Prepare(sqlGet)
	if err != nil {
		return Contact{}, err
	}
	defer st.Reset()
	st.BindText(1, id)
	row, err := st.Step()
	if err != nil {
		return Contact{}, err
	}
	if !row {
		return Contact{}, ErrNotFound
	}
	return scanZ(st, in.s.loc), nil
}

// scanZ reads a row of contactCols, as scanContact does.
func scanZ(st *sqlite.Stmt, loc *time.Location) Contact {
	c := Contact{
		ID: st.ColumnText(0), Agent: st.ColumnText(1), Team: st.ColumnText(2), Site: st.ColumnText(3),
		Channel: Channel(st.ColumnText(4)), StartedAt: fromMillis(st.ColumnInt64(5), loc),
		Reasons: splitReasons(st.ColumnText(7)), Outcome: Outcome(st.ColumnText(8)),
		CustomerRef: st.ColumnText(9), Note: st.ColumnText(10), TaxonomyVersion: st.ColumnText(11),
		Rev: st.ColumnInt64(12), UpdatedAt: fromMillis(st.ColumnInt64(13), loc), Deleted: st.ColumnBool(14),
	}
	if !st.ColumnIsNull(6) {
		c.EndedAt = fromMillis(st.ColumnInt64(6), loc)
	}
	return c
}

// applyDelta writes d's non-zero rows, as Store.applyDelta does, with its
// statements: one row per statement (a batch's delta has a few dozen rows),
// then the prune of each day and team whose counts fell.
func (in *Ingester) applyDelta(d *delta) error {
	type dayTeam struct{ day, team string }
	prune := map[dayTeam]bool{}
	add := sqlRollupAdd(1)
	for k, c := range d.rows {
		if *c == (counts{}) {
			continue
		}
		st, err := in.conn.Prepare(add)
		if err != nil {
			return err
		}
		st.BindText(1, k.day)
		st.BindText(2, k.team)
		st.BindText(3, k.reason)
		for i, v := range c {
			st.BindInt64(4+i, v)
		}
		if err := stepZ(st); err != nil {
			return fmt.Errorf("update rollup: %w", err)
		}
		if c[colPrimary] < 0 || c[colSecondary] < 0 {
			prune[dayTeam{k.day, k.team}] = true
		}
	}
	for dt := range prune {
		st, err := in.conn.Prepare(sqlRollupPrune)
		if err != nil {
			return err
		}
		st.BindText(1, dt.day)
		st.BindText(2, dt.team)
		if err := stepZ(st); err != nil {
			return fmt.Errorf("update rollup: %w", err)
		}
	}
	return nil
}

// IngestedFiles returns the names of the batch files ingested so far.
func (in *Ingester) IngestedFiles(ctx context.Context) (map[string]bool, error) {
	names := make(map[string]bool)
	err := in.use(ctx, func() error {
		st, err := in.conn.Prepare(`SELECT name FROM ingested_files`)
		if err != nil {
			return err
		}
		defer st.Reset()
		for {
			row, err := st.Step()
			if err != nil || !row {
				return err
			}
			names[st.ColumnText(0)] = true
		}
	})
	if err != nil {
		return nil, fmt.Errorf("list ingested files: %w", err)
	}
	return names, nil
}

// execZ runs a statement that returns no rows.
func execZ(conn *sqlite.Conn, query string) error {
	st, err := conn.Prepare(query)
	if err != nil {
		return err
	}
	return stepZ(st)
}

// stepZ runs a prepared statement to its end and resets it.
func stepZ(st *sqlite.Stmt) error {
	for {
		row, err := st.Step()
		if err != nil {
			st.Reset()
			return err
		}
		if !row {
			return st.Reset()
		}
	}
}

// int64Z runs a query of one integer and resets it.
func int64Z(st *sqlite.Stmt) (int64, error) {
	defer st.Reset()
	row, err := st.Step()
	if err != nil {
		return 0, err
	}
	if !row {
		return 0, errors.New("no row")
	}
	return st.ColumnInt64(0), nil
}

// jsonStrings encodes ids as a JSON array of strings; checkBatch has made
// sure that no id needs escaping.
func jsonStrings(ids []string) string {
	var b strings.Builder
	b.Grow(len(ids) * 40)
	b.WriteByte('[')
	for i, s := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(s)
		b.WriteByte('"')
	}
	b.WriteByte(']')
	return b.String()
}
