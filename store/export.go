package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"zombiezen.com/go/sqlite"
)

// The export path reads the database through zombiezen.com/go/sqlite's
// direct API on its own read-only connection rather than through
// database/sql: the same modernc engine, without a lock and an allocation
// per value. It is the only way this file talks to SQLite.

// ExportQuery selects the contacts an export reads: finished, not deleted
// contacts that started in [From, To), of Team, in start order.
type ExportQuery struct {
	// From and To bound the start time; a zero value leaves that side open.
	From, To time.Time
	// Team keeps only that team's contacts; "" keeps every team's.
	Team string
	// History asks also for the contacts that can make a selected contact a
	// repeat one: those with a customer reference that started in
	// [From−History, From), and, when Team is set, other teams' contacts with
	// a customer reference in [From−History, To). They arrive in start order
	// among the selected ones with ExportRow.History set. Zero asks for none.
	History time.Duration
}

// bounds returns the unix-millisecond range of start times to read and
// the start of the selected part of it.
func (q ExportQuery) bounds() (lo, from, hi int64) {
	lo, from, hi = math.MinInt64, math.MinInt64, math.MaxInt64
	if !q.From.IsZero() {
		from = q.From.UnixMilli()
		lo = from
		if q.History > 0 {
			lo = from - q.History.Milliseconds()
		}
	}
	if !q.To.IsZero() {
		hi = q.To.UnixMilli()
	}
	return lo, from, hi
}

// Result columns of the export query, in order.
const (
	xStarted = iota
	xRef
	xTeam
	xID
	xAgent
	xSite
	xChannel
	xEnded
	xReasons
	xOutcome
	xNote
	xTaxonomy
	xRev
)

// SQL returns the query that reads q and its arguments. It is exported so
// that a benchmark can run the very same query through another client.
func (q ExportQuery) SQL() (string, []any) {
	lo, from, hi := q.bounds()
	var b strings.Builder
	b.WriteString(`SELECT started_at, customer_ref, team, id, agent, site, channel, ended_at, reasons, outcome, note, taxonomy_version, rev
FROM contacts
WHERE ended_at IS NOT NULL AND deleted = 0 AND started_at >= ?1 AND started_at < ?2`)
	args := []any{lo, hi}
	// selected is what makes a row part of the export rather than history.
	var selected []string
	if lo != from {
		selected = append(selected, "started_at >= ?3")
		args = append(args, from)
	}
	if q.Team != "" {
		for len(args) < 3 {
			args = append(args, from)
		}
		selected = append(selected, "team = ?4")
		args = append(args, q.Team)
	}
	switch {
	case len(selected) == 0:
	case q.History > 0:
		b.WriteString("\n  AND ((" + strings.Join(selected, " AND ") + ") OR customer_ref <> '')")
	default:
		b.WriteString("\n  AND " + strings.Join(selected, " AND "))
	}
	b.WriteString("\nORDER BY started_at")
	return b.String(), args
}

// ExportRow is one contact as an export reads it. Its byte slices point into
// memory that is reused once the batch holding it has been handled: copy
// what you keep.
type ExportRow struct {
	// History marks a row that is not part of the export, delivered only so
	// that repeat contacts can be found (see ExportQuery.History). Only its
	// StartedAt and CustomerRef are filled in.
	History bool
	// StartedAt and EndedAt are unix milliseconds, UTC.
	StartedAt, EndedAt             int64
	ID, Agent, Team, Site, Channel []byte
	// Reasons are the reason ids in order joined by '|'; the first is the
	// primary. Empty when the contact has none.
	Reasons         []byte
	Outcome         []byte
	CustomerRef     []byte // as stored
	Note            []byte
	TaxonomyVersion []byte
	Rev             int64
}

// ExportBatch is a run of consecutive rows in start order.
type ExportBatch struct {
	Rows []ExportRow
	buf  []byte
	home chan *ExportBatch // the reader it goes back to
}

// Batch sizes: small enough to stay in cache and keep memory flat, large
// enough that handing a batch between goroutines costs nothing per row.
// Each reader owns exportBatches batches.
const (
	exportBatchRows = 512
	exportBatches   = 3
)

// ExportReader reads contacts for an export over its own read-only
// connection to a database file. It is not safe for concurrent use.
type ExportReader struct {
	conn *sqlite.Conn
	path string
}

// OpenExportReader opens the database at path read-only for exporting. It
// does not create the file or run migrations.
func OpenExportReader(path string) (*ExportReader, error) {
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("open database %s: no such file", path)
		}
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("open database %s: is a folder", path)
	}
	conn, err := openExportConn(path)
	if err != nil {
		return nil, err
	}
	r := &ExportReader{conn: conn, path: path}
	if err := r.check(); err != nil {
		conn.Close()
		return nil, err
	}
	return r, nil
}

// exportCacheKiB is each export connection's page cache. A scan in start
// order touches each page about once, so a small cache loses nothing and
// keeps memory flat.
// (Measured on 1M contacts: 2 MiB, SQLite's default, and 512 KiB take the
// same CPU time; peak RSS falls by 6 MB.)
const exportCacheKiB = 512

// openExportConn opens a read-only connection for exporting.
func openExportConn(path string) (*sqlite.Conn, error) {
	conn, err := sqlite.OpenConn(path, sqlite.OpenReadOnly)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	conn.SetBusyTimeout(5 * time.Second)
	if err := execTransient(conn, fmt.Sprintf("PRAGMA cache_size = -%d", exportCacheKiB)); err != nil {
		conn.Close()
		if sqlite.ErrCode(err) == sqlite.ResultNotADB {
			err = ErrNotSQLite
		}
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return conn, nil
}

// check makes sure the file is a whycall database this program can read
// before an export starts writing anything.
func (r *ExportReader) check() error {
	stmt, _, err := r.conn.PrepareTransient(`PRAGMA user_version`)
	if err == nil {
		defer stmt.Finalize()
		_, err = stmt.Step()
	}
	switch {
	case sqlite.ErrCode(err) == sqlite.ResultNotADB:
		return fmt.Errorf("open database %s: %w", r.path, ErrNotSQLite)
	case err != nil:
		return fmt.Errorf("open database %s: %w", r.path, err)
	}
	switch v := stmt.ColumnInt(0); {
	case v == 0:
		return fmt.Errorf("open database %s: not a whycall database (no schema)", r.path)
	case v > SchemaVersion():
		return fmt.Errorf("open database %s: %w (schema %d, this program knows %d)", r.path, ErrSchemaTooNew, v, SchemaVersion())
	}
	return nil
}

// Close closes the connection.
func (r *ExportReader) Close() error {
	if err := r.conn.Close(); err != nil {
		return fmt.Errorf("close database %s: %w", r.path, err)
	}
	return nil
}

// TaxonomyYAMLs returns the YAML of every stored taxonomy version, by
// version. There are few: one per edit of the reason tree.
func (r *ExportReader) TaxonomyYAMLs(ctx context.Context) (map[string][]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	stmt, _, err := r.conn.PrepareTransient(`SELECT version, yaml FROM taxonomies`)
	if err != nil {
		return nil, fmt.Errorf("read taxonomies: %w", err)
	}
	defer stmt.Finalize()
	out := map[string][]byte{}
	for {
		ok, err := stmt.Step()
		if err != nil {
			return nil, fmt.Errorf("read taxonomies: %w", err)
		}
		if !ok {
			return out, nil
		}
		y := make([]byte, stmt.ColumnLen(1))
		stmt.ColumnBytes(1, y)
		out[stmt.ColumnText(0)] = y
	}
}

// Span returns the start times (unix ms) of the first and last contact
// whose start is in q's range, drafts and tombstones included, or ok false
// when there is none. It costs two index lookups, so it is cheap enough to
// scale a progress bar.
func (r *ExportReader) Span(ctx context.Context, q ExportQuery) (first, last int64, ok bool, err error) {
	_, from, hi := q.bounds()
	return r.span(ctx, from, hi)
}

// span is Span for the start times in [lo, hi).
func (r *ExportReader) span(ctx context.Context, lo, hi int64) (first, last int64, ok bool, err error) {
	if err := ctx.Err(); err != nil {
		return 0, 0, false, err
	}
	for i, sql := range []string{
		`SELECT min(started_at) FROM contacts WHERE started_at >= ?1 AND started_at < ?2`,
		`SELECT max(started_at) FROM contacts WHERE started_at >= ?1 AND started_at < ?2`,
	} {
		stmt := r.conn.Prep(sql)
		stmt.BindInt64(1, lo)
		stmt.BindInt64(2, hi)
		_, err := stmt.Step()
		if err != nil {
			stmt.Reset()
			return 0, 0, false, fmt.Errorf("read start times: %w", err)
		}
		null := stmt.ColumnType(0) == sqlite.TypeNull
		v := stmt.ColumnInt64(0)
		if err := stmt.Reset(); err != nil {
			return 0, 0, false, fmt.Errorf("read start times: %w", err)
		}
		if null {
			return 0, 0, false, nil
		}
		if i == 0 {
			first = v
		} else {
			last = v
		}
	}
	return first, last, true, nil
}

// Contacts reads the contacts q selects in start order and hands them to fn
// in batches, on the caller's goroutine. A batch and its rows must not be
// used after fn returns. An error from fn stops the read and is returned as
// it is.
//
// The rows are read ahead on other goroutines, so reading and what fn does
// run side by side. With more than one CPU, two connections read
// consecutive ranges of start times (chunks) at once and fn still sees
// every row in order. Each connection reads in one transaction; a save
// committed in the moment between the two starting shows in the chunks of
// one of them only.
func (r *ExportReader) Contacts(ctx context.Context, q ExportQuery, fn func(*ExportBatch) error) error {
	lo, _, hi := q.bounds()
	first, last, ok, err := r.span(ctx, lo, hi)
	if err != nil || !ok {
		return err
	}
	conns := []*sqlite.Conn{r.conn}
	if runtime.GOMAXPROCS(0) > 1 && last > first {
		c, err := openExportConn(r.path)
		if err != nil {
			return err
		}
		defer c.Close()
		conns = append(conns, c)
	}

	x := &exportRun{
		ctx:   ctx,
		q:     q,
		plan:  newChunkPlan(lo, first, last, hi),
		order: make(chan chan *ExportBatch, 16),
		stop:  make(chan struct{}),
	}
	var wg sync.WaitGroup
	for _, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := x.work(c); err != nil {
				x.fail(err)
			}
		}()
	}
	go func() {
		wg.Wait()
		close(x.order)
	}()

	// Hand the chunks to fn in order, each batch back to its reader.
	var fnErr error
	for chunk := range x.order {
		for b := range chunk {
			if fnErr == nil {
				if fnErr = fn(b); fnErr != nil {
					x.fail(nil)
				}
			}
			b.home <- b
		}
	}
	if fnErr != nil {
		return fnErr
	}
	if x.err != nil {
		return x.err
	}
	return ctx.Err()
}

// exportRun is one Contacts call: the readers share its chunk plan and
// queue the chunks for the caller in start order.
type exportRun struct {
	ctx   context.Context
	q     ExportQuery
	plan  *chunkPlan
	order chan chan *ExportBatch // each chunk's batches, in chunk order
	stop  chan struct{}
	once  sync.Once
	err   error // set once, before stop closes
}

// fail stops every reader; err (if not nil) is what Contacts returns.
func (x *exportRun) fail(err error) {
	x.once.Do(func() {
		x.err = err
		close(x.stop)
	})
}

// work reads chunks on conn, in one read transaction, until none are left.
func (x *exportRun) work(conn *sqlite.Conn) (err error) {
	if err := execTransient(conn, "BEGIN"); err != nil {
		return fmt.Errorf("export contacts: %w", err)
	}
	defer func() {
		if cerr := execTransient(conn, "COMMIT"); err == nil && cerr != nil {
			err = fmt.Errorf("export contacts: %w", cerr)
		}
	}()
	sql, args := x.q.SQL()
	stmt, err := conn.Prepare(sql)
	if err != nil {
		return fmt.Errorf("export contacts: %w", err)
	}
	for i, a := range args {
		if v, ok := a.(string); ok {
			stmt.BindText(i+1, v)
		} else {
			stmt.BindInt64(i+1, a.(int64))
		}
	}
	home := make(chan *ExportBatch, exportBatches)
	for range exportBatches {
		home <- &ExportBatch{Rows: make([]ExportRow, 0, exportBatchRows), buf: make([]byte, 0, 64<<10), home: home}
	}
	_, from, _ := x.q.bounds()
	for {
		out, lo, hi, ok := x.plan.take(x.order, x.stop)
		if !ok {
			return nil
		}
		stmt.BindInt64(1, lo)
		stmt.BindInt64(2, hi)
		n, err := x.read(stmt, from, home, out)
		close(out)
		if rerr := stmt.Reset(); err == nil && rerr != nil {
			err = fmt.Errorf("export contacts: %w", rerr)
		}
		if err != nil {
			return err
		}
		x.plan.done(n, hi-lo)
	}
}

// read steps stmt through one chunk, filling batches from home and sending
// them to out, and returns how many rows it read.
func (x *exportRun) read(stmt *sqlite.Stmt, from int64, home chan *ExportBatch, out chan<- *ExportBatch) (int, error) {
	done, team, n := x.ctx.Done(), x.q.Team, 0
	for {
		var b *ExportBatch
		select {
		case b = <-home:
		case <-x.stop:
			return n, nil
		case <-done:
			return n, x.ctx.Err()
		}
		b.Rows, b.buf = b.Rows[:0], b.buf[:0]
		eof := false
		for len(b.Rows) < cap(b.Rows) {
			ok, err := stmt.Step()
			if err != nil {
				home <- b
				return n, fmt.Errorf("export contacts: %w", err)
			}
			if !ok {
				// Stepping again would run the query anew.
				eof = true
				break
			}
			b.Rows = b.Rows[:len(b.Rows)+1]
			row := &b.Rows[len(b.Rows)-1]
			row.StartedAt = stmt.ColumnInt64(xStarted)
			row.CustomerRef = b.text(stmt, xRef)
			row.Team = b.text(stmt, xTeam)
			row.History = row.StartedAt < from || (team != "" && string(row.Team) != team)
			if row.History {
				*row = ExportRow{History: true, StartedAt: row.StartedAt, CustomerRef: row.CustomerRef}
				continue
			}
			row.ID = b.text(stmt, xID)
			row.Agent = b.text(stmt, xAgent)
			row.Site = b.text(stmt, xSite)
			row.Channel = b.text(stmt, xChannel)
			row.EndedAt = stmt.ColumnInt64(xEnded)
			row.Reasons = b.text(stmt, xReasons)
			row.Outcome = b.text(stmt, xOutcome)
			row.Note = b.text(stmt, xNote)
			row.TaxonomyVersion = b.text(stmt, xTaxonomy)
			row.Rev = stmt.ColumnInt64(xRev)
		}
		n += len(b.Rows)
		if len(b.Rows) == 0 {
			home <- b
		} else {
			select {
			case out <- b:
			case <-x.stop:
				home <- b
				return n, nil
			}
		}
		if eof {
			return n, nil
		}
	}
}

func execTransient(conn *sqlite.Conn, sql string) error {
	stmt, _, err := conn.PrepareTransient(sql)
	if err != nil {
		return err
	}
	defer stmt.Finalize()
	_, err = stmt.Step()
	return err
}

// chunkPlan cuts the range of start times into consecutive chunks of about
// chunkRows rows each, learning the density of the data as chunks finish.
// Chunks are cut by start time, so contacts that start in the same
// millisecond land in the same chunk and the order stays that of one query.
type chunkPlan struct {
	mu    sync.Mutex
	lo    int64 // start of the first chunk
	next  int64 // start of the next chunk after the first
	last  int64 // the last start time there was when the plan was made
	hi    int64 // end of the last chunk
	width int64 // ms
	over  bool
}

// chunkRows is the size a chunk aims at: large enough that starting a query
// costs nothing per row, small enough to keep two readers busy to the end.
const chunkRows = 4096

// newChunkPlan plans chunks over [lo, hi), in which the first and last
// start times were first and last when the plan was made. The first chunk
// starts at lo and the last ends at hi, so that contacts stored since are
// not lost at either end.
func newChunkPlan(lo, first, last, hi int64) *chunkPlan {
	return &chunkPlan{lo: lo, next: first, last: last, hi: hi, width: max((last-first)/64, 1)}
}

// take cuts the next chunk and queues its channel on order, all under the
// lock, so that order holds the chunks in start order.
func (p *chunkPlan) take(order chan<- chan *ExportBatch, stop <-chan struct{}) (out chan *ExportBatch, lo, hi int64, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.over {
		return nil, 0, 0, false
	}
	lo, hi = p.next, p.hi
	if p.last-lo >= p.width {
		hi = lo + p.width
	} else {
		p.over = true
	}
	p.next = hi
	lo, p.lo = min(lo, p.lo), math.MaxInt64
	out = make(chan *ExportBatch, exportBatches)
	select {
	case order <- out:
		return out, lo, hi, true
	case <-stop:
		p.over = true
		return nil, 0, 0, false
	}
}

// done tells the plan that a chunk width ms wide held rows rows, so the
// next ones come closer to chunkRows.
func (p *chunkPlan) done(rows int, width int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if width <= 0 || width > p.width*4 {
		return // the open-ended last chunk says nothing about density
	}
	want := width * 4
	if rows > 0 {
		want = width * chunkRows / int64(rows)
	}
	p.width = max(1, min(want, p.width*4), p.width/4)
}

// text copies column col of the current row into the batch's buffer and
// returns it. A grown buffer leaves earlier rows pointing into the old one,
// which stays alive for as long as they do.
func (b *ExportBatch) text(stmt *sqlite.Stmt, col int) []byte {
	const slack = 1 << 10
	if cap(b.buf)-len(b.buf) < slack {
		b.grow(slack)
	}
	start := len(b.buf)
	n := stmt.ColumnBytes(col, b.buf[start:cap(b.buf)])
	if start+n == cap(b.buf) {
		// Maybe cut short: ask for the real length.
		if full := stmt.ColumnLen(col); full > n {
			b.grow(full)
			start = len(b.buf)
			n = stmt.ColumnBytes(col, b.buf[start:cap(b.buf)])
		}
	}
	b.buf = b.buf[:start+n]
	return b.buf[start : start+n : start+n]
}

// grow makes room for at least n more bytes.
func (b *ExportBatch) grow(n int) {
	nb := make([]byte, 0, max(2*cap(b.buf), cap(b.buf)+n, 64<<10))
	b.buf = nb
}
