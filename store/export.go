package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"strings"
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
}

// Batch sizes: small enough to stay in cache and keep memory flat, large
// enough that handing a batch between goroutines costs nothing per row.
const (
	exportBatchRows = 512
	exportBatches   = 4
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
	conn, err := sqlite.OpenConn(path, sqlite.OpenReadOnly)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	conn.SetBusyTimeout(5 * time.Second)
	r := &ExportReader{conn: conn, path: path}
	if err := r.check(); err != nil {
		conn.Close()
		return nil, err
	}
	return r, nil
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
	if err := ctx.Err(); err != nil {
		return 0, 0, false, err
	}
	_, from, hi := q.bounds()
	for i, sql := range []string{
		`SELECT min(started_at) FROM contacts WHERE started_at >= ?1 AND started_at < ?2`,
		`SELECT max(started_at) FROM contacts WHERE started_at >= ?1 AND started_at < ?2`,
	} {
		stmt := r.conn.Prep(sql)
		stmt.BindInt64(1, from)
		stmt.BindInt64(2, hi)
		_, err := stmt.Step()
		if err != nil {
			stmt.Reset()
			return 0, 0, false, fmt.Errorf("read start times: %w", err)
		}
		if stmt.ColumnType(0) == sqlite.TypeNull {
			stmt.Reset()
			return 0, 0, false, nil
		}
		if i == 0 {
			first = stmt.ColumnInt64(0)
		} else {
			last = stmt.ColumnInt64(0)
		}
		if err := stmt.Reset(); err != nil {
			return 0, 0, false, fmt.Errorf("read start times: %w", err)
		}
	}
	return first, last, true, nil
}

// Contacts reads the contacts q selects in start order and hands them to fn
// in batches, on the caller's goroutine. The rows are read one batch ahead
// on another goroutine, so reading and what fn does run side by side. A
// batch and its rows must not be used after fn returns. An error from fn
// stops the read and is returned as it is.
func (r *ExportReader) Contacts(ctx context.Context, q ExportQuery, fn func(*ExportBatch) error) error {
	sql, args := q.SQL()
	stmt, err := r.conn.Prepare(sql)
	if err != nil {
		return fmt.Errorf("export contacts: %w", err)
	}
	for i, a := range args {
		switch v := a.(type) {
		case int64:
			stmt.BindInt64(i+1, v)
		case string:
			stmt.BindText(i+1, v)
		}
	}
	_, from, _ := q.bounds()

	free := make(chan *ExportBatch, exportBatches)
	full := make(chan *ExportBatch, exportBatches)
	for range exportBatches {
		free <- &ExportBatch{Rows: make([]ExportRow, 0, exportBatchRows), buf: make([]byte, 0, 64<<10)}
	}
	stop := make(chan struct{})
	readErr := make(chan error, 1)
	go func() {
		defer close(full)
		readErr <- r.read(ctx, stmt, from, q.Team, free, full, stop)
	}()

	var fnErr error
	for b := range full {
		if fnErr == nil {
			fnErr = fn(b)
			if fnErr != nil {
				close(stop)
			}
		}
		free <- b
	}
	err = <-readErr
	if rerr := stmt.Reset(); err == nil && rerr != nil {
		err = fmt.Errorf("export contacts: %w", rerr)
	}
	if fnErr != nil {
		return fnErr
	}
	if err == nil {
		err = ctx.Err()
	}
	return err
}

// read steps stmt and fills batches until the rows run out, stop closes
// or ctx is done.
func (r *ExportReader) read(ctx context.Context, stmt *sqlite.Stmt, from int64, team string, free <-chan *ExportBatch, full chan<- *ExportBatch, stop <-chan struct{}) error {
	done := ctx.Done()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var b *ExportBatch
		select {
		case b = <-free:
		case <-stop:
			return nil
		case <-done:
			return ctx.Err()
		}
		b.Rows, b.buf = b.Rows[:0], b.buf[:0]
		eof := false
		for len(b.Rows) < cap(b.Rows) {
			ok, err := stmt.Step()
			if err != nil {
				return fmt.Errorf("export contacts: %w", err)
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
		if len(b.Rows) > 0 {
			select {
			case full <- b:
			case <-stop:
				return nil
			}
		}
		if eof {
			return nil
		}
	}
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
