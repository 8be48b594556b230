package store

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"zombiezen.com/go/sqlite"
)

// The read side of the team lead's summary. Multi-day figures read the
// reason_days rollup (a few hundred rows for a month); figures that need the
// contacts themselves read one day's contacts through the started_at index.
// Each contact's row tells whether any same-customer contact falls in its
// look-back window (prev_at; see neighbours.go): only the one in six or so
// that has one reads further. Once a search of the customer_ref index per
// contact of the day, that was 60 % of a summary's time (16,000 searches on
// 1M contacts). Most of those have just the previous member in the window,
// or it and the one before: their rows, which prev_rowid names, are read
// directly, and only the others search the index. The look-ahead of the
// cohort day goes the other way: the members whose prev_at is a contact's
// start are its next ones, and the index contacts_prev (migration 0006)
// holds them in prev_at order.
//
// These reads go through zombiezen's direct API on a read-only connection
// of their own rather than through database/sql: reading a day's 11,000
// contacts took 5 ms of CPU that way against 25 ms through database/sql
// (measured on 1M contacts; database/sql and the driver lock and convert
// every column of every row). It is the same SQLite engine (modernc), so
// WAL readers and the store's writers see each other as usual.

// summaryMmap is how much of the database file a summary connection maps
// into memory. Finding same-customer contacts jumps around the customer_ref
// index, which is far larger than SQLite's default 2 MB page cache: reading
// those pages from the map rather than with one read call each saved a third
// of the time (measured on 1M contacts). The pages are the kernel's file
// cache, shared and reclaimable, not process memory.
const summaryMmap = 1 << 30

// errReaderClosed means a SummaryReader was used after Close.
var errReaderClosed = errors.New("reader is closed")

// maxIdleReaders is how many idle connections a SummaryReader keeps: as many
// as the summary runs queries at once.
const maxIdleReaders = 4

// SummaryReader reads what the team lead's summary needs, on read-only
// connections of its own that it keeps between calls: a connection that
// stays open keeps its memory map and page cache, which made a repeated
// summary a third cheaper (measured on 1M contacts). Open one per summary
// command, or one for the life of a screen that shows summaries. It is safe
// for concurrent use; Close it when done.
type SummaryReader struct {
	s      *Store
	mu     sync.Mutex
	idle   []*sqlite.Conn
	closed bool
}

// SummaryReader returns a reader for summaries of s. It opens connections
// when first used; they are closed by SummaryReader.Close, which must come
// before s.Close.
func (s *Store) SummaryReader() *SummaryReader { return &SummaryReader{s: s} }

// Close closes the reader's connections. Queries still running finish
// first and close their own.
func (r *SummaryReader) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	var first error
	for _, c := range r.idle {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	r.idle = nil
	return first
}

// Location is the time zone whose calendar days the rollup counts by.
func (r *SummaryReader) Location() *time.Location { return r.s.Location() }

// TaxonomyVersions lists the stored taxonomy versions, oldest first.
func (r *SummaryReader) TaxonomyVersions(ctx context.Context) ([]TaxonomyVersion, error) {
	return r.s.TaxonomyVersions(ctx)
}

// TaxonomyYAML returns the YAML stored for version.
func (r *SummaryReader) TaxonomyYAML(ctx context.Context, version string) ([]byte, error) {
	return r.s.TaxonomyYAML(ctx, version)
}

// conn takes an idle connection or opens a new one.
func (r *SummaryReader) conn() (*sqlite.Conn, error) {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil, fmt.Errorf("summary reader of %s: %w", r.s.path, errReaderClosed)
	}
	if n := len(r.idle); n > 0 {
		c := r.idle[n-1]
		r.idle = r.idle[:n-1]
		r.mu.Unlock()
		return c, nil
	}
	r.mu.Unlock()
	conn, err := sqlite.OpenConn(r.s.path, sqlite.OpenReadOnly)
	if err != nil {
		return nil, fmt.Errorf("open %s for reading: %w", r.s.path, err)
	}
	conn.SetBusyTimeout(busyTimeout)
	if err := runSummary(conn, fmt.Sprintf("PRAGMA mmap_size = %d", summaryMmap), nil, nil); err != nil {
		conn.Close()
		return nil, fmt.Errorf("open %s for reading: %w", r.s.path, err)
	}
	return conn, nil
}

// put returns a connection to the idle list, or closes it.
func (r *SummaryReader) put(c *sqlite.Conn) {
	c.SetInterrupt(nil)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed || len(r.idle) >= maxIdleReaders {
		c.Close()
		return
	}
	r.idle = append(r.idle, c)
}

// summaryParam is one named parameter of a summary query.
type summaryParam struct {
	name string // with its colon, e.g. ":from"
	val  any    // int64 or string
}

// runSummary prepares query on conn, binds params, and calls row for each row.
func runSummary(conn *sqlite.Conn, query string, params []summaryParam, row func(*sqlite.Stmt) error) error {
	st, _, err := conn.PrepareTransient(query)
	if err != nil {
		return err
	}
	defer st.Finalize()
	for _, p := range params {
		switch v := p.val.(type) {
		case int64:
			st.SetInt64(p.name, v)
		case string:
			st.SetText(p.name, v)
		default:
			return fmt.Errorf("parameter %s: unsupported type %T", p.name, v)
		}
	}
	for {
		ok, err := st.Step()
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		if row != nil {
			if err := row(st); err != nil {
				return err
			}
		}
	}
}

// read runs one summary query on a connection of the reader's; ctx can
// interrupt it.
func (r *SummaryReader) read(ctx context.Context, query string, params []summaryParam, row func(*sqlite.Stmt) error) error {
	conn, err := r.conn()
	if err != nil {
		return err
	}
	defer r.put(conn)
	conn.SetInterrupt(ctx.Done())
	return runSummary(conn, query, params, row)
}

// columnBytes returns column col of the current row in *buf, which it grows
// as needed; the bytes are valid until the next call with buf.
func columnBytes(st *sqlite.Stmt, col int, buf *[]byte) []byte {
	n := st.ColumnLen(col)
	if cap(*buf) < n {
		*buf = make([]byte, n, 2*n)
	}
	*buf = (*buf)[:n]
	st.ColumnBytes(col, *buf)
	return *buf
}

// rowCount runs a count(*) query and returns its result, the capacity to
// give the slice a read appends its rows to: Go grows a long slice by a
// quarter at a time, so appending 10,000 summary rows to an empty slice
// allocated and copied them about five times over, on fresh memory that each
// time costs page faults too.
func (r *SummaryReader) rowCount(ctx context.Context, query string, params []summaryParam) (int, error) {
	n := 0
	err := r.read(ctx, query, params, func(st *sqlite.Stmt) error {
		n = st.ColumnInt(0)
		return nil
	})
	return n, err
}

// ReasonDay is one row of the daily rollup: the counts of one reason on one
// local day for one team. Reason "" counts finished contacts with no reason
// at all.
type ReasonDay struct {
	Day       string // YYYY-MM-DD in the rollup's time zone
	Reason    string
	Team      string
	Primary   int // contacts with this primary reason
	Secondary int // contacts mentioning it as a secondary reason
	HandleN   int // primary contacts with a usable handle time
	HandleMs  int64
	// Outcome counts of the primary contacts.
	Resolved, Unresolved, FollowUp, Escalated, Unknown int
	Ref                                                int // primary contacts with a customer ref
}

// rollupSQL returns the rollup query for one team or, when all is set, for
// every team. Summing the teams is left to the caller: SQL's GROUP BY needs
// a sort that made the query three times as costly.
func rollupSQL(all bool) string {
	q := `SELECT day, reason_id, team, primary_n, secondary_n, handle_n, handle_ms,
		resolved_n, unresolved_n, follow_up_n, escalated_n, unknown_n, ref_n
		FROM reason_days WHERE day >= :from AND day <= :to`
	if !all {
		q += ` AND team = :team`
	}
	return q + ` ORDER BY day`
}

// rollupCountSQL counts the rows rollupSQL reads.
func rollupCountSQL(all bool) string {
	q := `SELECT count(*) FROM reason_days WHERE day >= :from AND day <= :to`
	if !all {
		q += ` AND team = :team`
	}
	return q
}

// ReasonDays returns the rollup rows of the days from through to (YYYY-MM-DD,
// both included) in day order, for team, or for every team when team is ""
// (then a day and reason come once per team: sum them).
func (r *SummaryReader) ReasonDays(ctx context.Context, from, to, team string) ([]ReasonDay, error) {
	params := []summaryParam{{":from", from}, {":to", to}}
	if team != "" {
		params = append(params, summaryParam{":team", team})
	}
	n, err := r.rowCount(ctx, rollupCountSQL(team == ""), params)
	if err != nil {
		return nil, fmt.Errorf("read rollup %s–%s: %w", from, to, err)
	}
	out := make([]ReasonDay, 0, n)
	var buf []byte
	strs := map[string]string{}
	err = r.read(ctx, rollupSQL(team == ""), params, func(st *sqlite.Stmt) error {
		out = append(out, ReasonDay{
			Day: intern(strs, columnBytes(st, 0, &buf)), Reason: intern(strs, columnBytes(st, 1, &buf)),
			Team: intern(strs, columnBytes(st, 2, &buf)), Primary: st.ColumnInt(3), Secondary: st.ColumnInt(4),
			HandleN: st.ColumnInt(5), HandleMs: st.ColumnInt64(6), Resolved: st.ColumnInt(7), Unresolved: st.ColumnInt(8),
			FollowUp: st.ColumnInt(9), Escalated: st.ColumnInt(10), Unknown: st.ColumnInt(11), Ref: st.ColumnInt(12),
		})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read rollup %s–%s: %w", from, to, err)
	}
	return out, nil
}

// firstColumn reads the first column of every row of query.
func (r *SummaryReader) firstColumn(ctx context.Context, query string, params []summaryParam) ([]string, error) {
	var out []string
	err := r.read(ctx, query, params, func(st *sqlite.Stmt) error {
		out = append(out, st.ColumnText(0))
		return nil
	})
	return out, err
}

// reasonsUsedSQL lists the reasons of the rollup rows of a run of days,
// for one team or all.
func reasonsUsedSQL(all bool) string {
	q := `SELECT DISTINCT reason_id FROM reason_days WHERE day >= :from AND day <= :to`
	if !all {
		q += ` AND team = :team`
	}
	return q
}

// ReasonsUsed returns the reasons tagged (as primary or secondary) on any day
// from through to, for team or all teams when team is "".
func (r *SummaryReader) ReasonsUsed(ctx context.Context, from, to, team string) ([]string, error) {
	params := []summaryParam{{":from", from}, {":to", to}}
	if team != "" {
		params = append(params, summaryParam{":team", team})
	}
	ids, err := r.firstColumn(ctx, reasonsUsedSQL(team == ""), params)
	if err != nil {
		return nil, fmt.Errorf("list reasons used %s–%s: %w", from, to, err)
	}
	return ids, nil
}

// dataDaysSQL finds the first and last day of the rollup, for one team or
// all, as "first last". Two subqueries, as SQLite reads min() or max()
// alone off the end of the primary key but scans the whole table for both
// at once.
func dataDaysSQL(all bool) string {
	where := ""
	if !all {
		where = ` WHERE team = :team`
	}
	return `SELECT coalesce((SELECT min(day) FROM reason_days` + where + `), '') || ' ' ||
		coalesce((SELECT max(day) FROM reason_days` + where + `), '')`
}

// DataDays returns the first and last day with finished contacts, for team or
// all teams when team is "". Both are "" for an empty database or an
// unknown team.
func (r *SummaryReader) DataDays(ctx context.Context, team string) (first, last string, err error) {
	var params []summaryParam
	if team != "" {
		params = append(params, summaryParam{":team", team})
	}
	both, err := r.firstColumn(ctx, dataDaysSQL(team == ""), params)
	if err != nil || len(both) != 1 {
		return "", "", fmt.Errorf("find days with data: %w", err)
	}
	first, last, _ = strings.Cut(both[0], " ")
	return first, last, nil
}

// Teams lists the teams that have finished contacts, in order.
func (r *SummaryReader) Teams(ctx context.Context) ([]string, error) {
	teams, err := r.firstColumn(ctx, `SELECT DISTINCT team FROM reason_days ORDER BY team`, nil)
	if err != nil {
		return nil, fmt.Errorf("list teams: %w", err)
	}
	return teams, nil
}

// ContactQuery selects finished, not deleted contacts for the summary.
type ContactQuery struct {
	// From and To bound the start time: From ≤ started_at < To.
	From, To time.Time
	// Team selects one team; "" means all teams.
	Team string
	// WithRef keeps only contacts with a customer reference.
	WithRef bool
	// Agents fills SummaryContact.Agent (per-agent figures only).
	Agents bool
	// Before, when positive, fills SummaryContact.Before with the
	// same-reference contacts started in [t − Before, t).
	Before time.Duration
	// After, when positive, fills SummaryContact.After with the
	// same-reference contacts started in (t, t + After].
	After time.Duration
	// TransferGap: a same-reference contact by another agent that starts
	// within this gap after the other one ended continues the same call
	// (a transfer). Transfers are left out of Before and After and counted
	// in Transfer instead. Negative turns this off.
	TransferGap time.Duration
}

// SummaryContact is what the summary reads of one contact. Times are unix
// milliseconds (UTC), as stored; strings that repeat (reasons, taxonomy
// version, agent) are shared between contacts, so treat them as read-only.
type SummaryContact struct {
	StartedAt, EndedAt int64
	Agent              string // only when ContactQuery.Agents is set
	Reasons            []string
	HasRef             bool
	Note               string
	TaxonomyVersion    string
	// Before holds the other finished contacts from the same reference in
	// the look-back window, newest first; After those in the look-ahead
	// window, oldest first. Transfers are not among them.
	Before, After []Neighbour
	// Transfer reports a transfer from or to this contact in the windows.
	Transfer bool
}

// Primary returns the primary reason, or "" for an uncoded contact.
func (c *SummaryContact) Primary() string {
	if len(c.Reasons) == 0 {
		return ""
	}
	return c.Reasons[0]
}

// Neighbour is another finished contact from the same customer reference.
type Neighbour struct {
	StartedAt int64 // unix ms
	Primary   string
}

// sameRef is the condition for p being another finished, not deleted
// contact of c's customer reference: p.member_ref is p's reference when p
// is such a contact and NULL otherwise, and the key of the index
// contacts_ref (migration 0004).
const sameRef = `p.member_ref = c.customer_ref`

// transferSQL is the condition for p, before (or after) c, being the same
// call handed from one agent to another.
func transferSQL(after bool) string {
	if after {
		return `(p.agent <> c.agent AND p.started_at - c.ended_at <= :gap)`
	}
	return `(p.agent <> c.agent AND c.started_at - p.ended_at <= :gap)`
}

// windowSQL is the condition for p being in c's look-back (or look-ahead)
// window.
func windowSQL(after bool) string {
	if after {
		return `p.started_at > c.started_at AND p.started_at <= c.started_at + :after`
	}
	return `p.started_at >= c.started_at - :before AND p.started_at < c.started_at`
}

// nextSQL is the start of c's next same-reference contact, NULL when there
// is none: the earliest of the members whose previous one (prev_at) is c's
// start, found in the index contacts_prev (migration 0006).
const nextSQL = `(SELECT min(p.started_at) FROM contacts p WHERE p.prev_at = c.started_at AND p.customer_ref = c.customer_ref)`

// nearSQL is the condition for c having a same-reference contact in its
// look-back (or look-ahead) window: its prev_at (see neighbours.go), or its
// next one (nextSQL), is in the window.
func nearSQL(after bool) string {
	if after {
		return nextSQL + ` <= c.started_at + :after`
	}
	return `c.prev_at >= c.started_at - :before`
}

// prevRowSQL is the condition for p being c's previous member, named by
// c.prev_rowid (migration 0007). The row is checked: the rowid is a hint.
const prevRowSQL = `p.rowid = c.prev_rowid AND p.member_ref = c.customer_ref AND p.started_at = c.prev_at`

// neighboursSQL lists the same-reference contacts in a window as
// "started,primary,transfer;..." (transfer 1 when the contact is the same
// call handed over). The CASE reads further only for the contacts that have
// one in the window: most have none. Looking back, when the previous member
// is the only one in the window (most of them), or it and the one before it
// are, their rows are read by rowid; otherwise, and when a rowid is missing
// or stale, the customer_ref index is searched.
func neighboursSQL(after, transfers bool) string {
	tr := "0"
	if transfers {
		tr = transferSQL(after)
	}
	item := `p.started_at || ',' || p.primary_reason || ',' || ` + tr
	search := `(SELECT group_concat(` + item + `, ';') FROM contacts p WHERE ` + sameRef + ` AND ` + windowSQL(after) + `)`
	if after {
		return `CASE WHEN ` + nearSQL(after) + ` THEN ` + search + ` END`
	}
	// before(x) holds when x.prev_at, the start of the member before x, is
	// not in c's window.
	before := func(x string) string {
		return `(` + x + `.prev_at IS NULL OR ` + x + `.prev_at < c.started_at - :before)`
	}
	one := `(SELECT ` + item + ` FROM contacts p WHERE ` + prevRowSQL + ` AND ` + before("p") + `)`
	two := `(SELECT ` + item + ` || ';' || ` + strings.ReplaceAll(item, "p.", "p2.") + ` FROM contacts p
		JOIN contacts p2 ON p2.rowid = p.prev_rowid AND p2.member_ref = p.member_ref AND p2.started_at = p.prev_at
		WHERE ` + prevRowSQL + ` AND ` + before("p2") + `)`
	return `CASE WHEN ` + nearSQL(after) + ` THEN coalesce(` + one + `, ` + two + `, ` + search + `) END`
}

// rangeSQL selects c's rows, with the parameters shared by the queries.
func rangeSQL(q ContactQuery) (string, []summaryParam) {
	where := ` FROM contacts c WHERE c.started_at >= :from AND c.started_at < :to AND c.ended_at IS NOT NULL AND c.deleted = 0`
	params := []summaryParam{{":from", q.From.UnixMilli()}, {":to", q.To.UnixMilli()}}
	if q.Team != "" {
		where += ` AND c.team = :team`
		params = append(params, summaryParam{":team", q.Team})
	}
	if q.WithRef {
		// The "+" keeps SQLite from reading the whole customer_ref index
		// instead of the day's slice of the started_at index.
		where += ` AND +c.customer_ref <> ''`
	}
	if q.Before > 0 {
		params = append(params, summaryParam{":before", q.Before.Milliseconds()})
	}
	if q.After > 0 {
		params = append(params, summaryParam{":after", q.After.Milliseconds()})
	}
	if q.TransferGap >= 0 && (q.Before > 0 || q.After > 0) {
		params = append(params, summaryParam{":gap", q.TransferGap.Milliseconds()})
	}
	return where, params
}

// contactsSQL builds the query for q.
func contactsSQL(q ContactQuery) (string, []summaryParam) {
	var b strings.Builder
	b.WriteString(`SELECT c.started_at, c.ended_at, c.reasons, c.customer_ref <> '', c.note, c.taxonomy_version`)
	if q.Agents {
		b.WriteString(`, c.agent`)
	}
	transfers := q.TransferGap >= 0
	if q.Before > 0 {
		b.WriteString(", " + neighboursSQL(false, transfers))
	}
	if q.After > 0 {
		b.WriteString(", " + neighboursSQL(true, transfers))
	}
	where, args := rangeSQL(q)
	b.WriteString(where)
	return b.String(), args
}

// sqlContactCount counts the contacts started in a range, whatever their
// state.
const sqlContactCount = `SELECT count(*) FROM contacts c WHERE c.started_at >= :from AND c.started_at < :to`

// SummaryContacts returns the finished, not deleted contacts that q selects,
// in no particular order.
func (r *SummaryReader) SummaryContacts(ctx context.Context, q ContactQuery) ([]SummaryContact, error) {
	query, params := contactsSQL(q)
	// At most the contacts started in the range: an index-only count.
	n, err := r.rowCount(ctx, sqlContactCount, []summaryParam{{":from", q.From.UnixMilli()}, {":to", q.To.UnixMilli()}})
	if err != nil {
		return nil, fmt.Errorf("read contacts %s–%s: %w", q.From.Format(time.DateTime), q.To.Format(time.DateTime), err)
	}
	var (
		out   = make([]SummaryContact, 0, n)
		buf   []byte
		strs  = map[string]string{}
		split = map[string][]string{}
	)
	col := 6
	agentCol, beforeCol, afterCol := -1, -1, -1
	if q.Agents {
		agentCol, col = col, col+1
	}
	if q.Before > 0 {
		beforeCol, col = col, col+1
	}
	if q.After > 0 {
		afterCol = col
	}
	err = r.read(ctx, query, params, func(st *sqlite.Stmt) error {
		c := SummaryContact{StartedAt: st.ColumnInt64(0), EndedAt: st.ColumnInt64(1), HasRef: st.ColumnBool(3)}
		reasons := columnBytes(st, 2, &buf)
		rs, ok := split[string(reasons)]
		if !ok {
			if len(reasons) > 0 {
				rs = strings.Split(string(reasons), "|")
			}
			split[string(reasons)] = rs
		}
		c.Reasons = rs
		if st.ColumnLen(4) > 0 {
			c.Note = st.ColumnText(4)
		}
		c.TaxonomyVersion = intern(strs, columnBytes(st, 5, &buf))
		if agentCol >= 0 {
			c.Agent = intern(strs, columnBytes(st, agentCol, &buf))
		}
		var tb, ta bool
		var err error
		if beforeCol >= 0 {
			if c.Before, tb, err = parseNeighbours(columnBytes(st, beforeCol, &buf), strs, true); err != nil {
				return err
			}
		}
		if afterCol >= 0 {
			if c.After, ta, err = parseNeighbours(columnBytes(st, afterCol, &buf), strs, false); err != nil {
				return err
			}
		}
		c.Transfer = tb || ta
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read contacts %s–%s: %w", q.From.Format(time.DateTime), q.To.Format(time.DateTime), err)
	}
	return out, nil
}

// parseNeighbours reads neighboursSQL's list, sorted newest first (desc) or
// oldest first, without the transfers, and reports whether there were any.
func parseNeighbours(b []byte, strs map[string]string, desc bool) (ns []Neighbour, transfer bool, err error) {
	for len(b) > 0 {
		item := b
		if i := bytes.IndexByte(b, ';'); i >= 0 {
			item, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		at, rest, ok1 := bytes.Cut(item, []byte{','})
		reason, tr, ok2 := bytes.Cut(rest, []byte{','})
		start, err := strconv.ParseInt(string(at), 10, 64)
		if !ok1 || !ok2 || err != nil {
			return nil, false, fmt.Errorf("bad neighbour %q", item)
		}
		if string(tr) == "1" {
			transfer = true
			continue
		}
		ns = append(ns, Neighbour{StartedAt: start, Primary: intern(strs, reason)})
	}
	slices.SortStableFunc(ns, func(a, b Neighbour) int {
		if desc {
			return cmp.Compare(b.StartedAt, a.StartedAt)
		}
		return cmp.Compare(a.StartedAt, b.StartedAt)
	})
	return ns, transfer, nil
}

// ReasonCohort is the measured first-contact resolution of one primary
// reason's contacts: how many had a reference, and how many of those had
// no later contact from the same reference in the window.
type ReasonCohort struct {
	Reason             string
	Contacts, Resolved int
}

// The cohort's reads (see ReasonCohorts). cohortRowsSQL selects the
// contacts; sqlCohortNexts, for a range [:from, :to), the members whose
// previous member started in it: with that one's reference and start they
// name the next contact of every member of the range that has one, from
// the index contacts_prev alone (migration 0006), in one walk of it.
// sqlCohortReturned tells, for a member (?1 ref, ?2 start, ?3 end, ?4
// agent) whose next contact is in the window but may be a transfer, whether
// a contact in its window is not one.
func cohortRowsSQL(q ContactQuery) (string, []summaryParam) {
	q.Before, q.After = 0, 0 // windows are applied to what it reads
	where, args := rangeSQL(q)
	return `SELECT c.primary_reason, c.customer_ref, c.started_at, c.ended_at, c.agent` + where, args
}

const (
	sqlCohortNexts = `SELECT customer_ref, prev_at, started_at FROM contacts INDEXED BY contacts_prev
	WHERE prev_at >= :from AND prev_at < :to`
	sqlCohortReturned = `SELECT EXISTS (SELECT 1 FROM contacts p WHERE p.member_ref = ?1
	AND p.started_at > ?2 AND p.started_at <= ?2 + ?5 AND NOT (p.agent <> ?4 AND p.started_at - ?3 <= ?6))`
)

// ReasonCohorts measures first-contact resolution on the contacts with a
// reference that q selects (q.WithRef is implied; q.After is the window,
// and must be positive): a contact is resolved when no later contact of
// its reference started in the window after it, transfers aside. From its
// next contact (found with sqlCohortNexts) a contact is resolved when that
// one is outside the window, and not resolved when it is in the window and
// cannot be a transfer, as it started more than the transfer gap after this
// one ended (so did every later one). Only the rest, a few, search the
// customer_ref index (sqlCohortReturned).
//
// The contacts and the next ones are joined and counted here rather than
// in SQL: a search of contacts_prev for each contact and SQLite's sort for
// GROUP BY took three times as long (15 ms against 5 for a day of the
// summary benchmark's 1M contacts).
func (r *SummaryReader) ReasonCohorts(ctx context.Context, q ContactQuery) ([]ReasonCohort, error) {
	if q.After <= 0 {
		return nil, fmt.Errorf("measure resolution: window %v: %w", q.After, ErrInvalid)
	}
	q.WithRef, q.Before = true, 0
	out, err := r.reasonCohorts(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("measure resolution %s–%s: %w", q.From.Format(time.DateTime), q.To.Format(time.DateTime), err)
	}
	return out, nil
}

func (r *SummaryReader) reasonCohorts(ctx context.Context, q ContactQuery) ([]ReasonCohort, error) {
	conn, err := r.conn()
	if err != nil {
		return nil, err
	}
	defer r.put(conn)
	conn.SetInterrupt(ctx.Done())
	from, to := q.From.UnixMilli(), q.To.UnixMilli()
	after, gap := q.After.Milliseconds(), q.TransferGap.Milliseconds()

	// The next contact's start after each place (reference, start) of the
	// range that has one. Members at the same place share it.
	type next struct{ prev, at int64 }
	nexts := map[string][]next{}
	var buf []byte
	err = runSummary(conn, sqlCohortNexts, []summaryParam{{":from", from}, {":to", to}}, func(st *sqlite.Stmt) error {
		ref := columnBytes(st, 0, &buf)
		prev, at := st.ColumnInt64(1), st.ColumnInt64(2)
		ns := nexts[string(ref)]
		for i := range ns {
			if ns[i].prev == prev {
				ns[i].at = min(ns[i].at, at)
				return nil
			}
		}
		nexts[string(ref)] = append(ns, next{prev, at})
		return nil
	})
	if err != nil {
		return nil, err
	}

	type maybe struct {
		reason, ref, agent string
		start, end         int64
	}
	var (
		byReason = map[string]*ReasonCohort{}
		check    []maybe // next in the window, maybe a transfer
	)
	query, params := cohortRowsSQL(q)
	err = runSummary(conn, query, params, func(st *sqlite.Stmt) error {
		reason := columnBytes(st, 0, &buf)
		rc := byReason[string(reason)]
		if rc == nil {
			rc = &ReasonCohort{Reason: string(reason)}
			byReason[rc.Reason] = rc
		}
		rc.Contacts++
		start, end := st.ColumnInt64(2), st.ColumnInt64(3)
		var nextAt int64 = -1
		for _, n := range nexts[string(columnBytes(st, 1, &buf))] {
			if n.prev == start {
				nextAt = n.at
			}
		}
		switch {
		case nextAt < 0 || nextAt > start+after:
			rc.Resolved++ // nothing later in the window
		case q.TransferGap < 0 || nextAt-end > gap:
			// returned: the next one is no transfer
		default:
			check = append(check, maybe{reason: rc.Reason, ref: st.ColumnText(1), agent: st.ColumnText(4), start: start, end: end})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(check) > 0 {
		st, err := conn.Prepare(sqlCohortReturned)
		if err != nil {
			return nil, err
		}
		for _, m := range check {
			st.BindText(1, m.ref)
			st.BindInt64(2, m.start)
			st.BindInt64(3, m.end)
			st.BindText(4, m.agent)
			st.BindInt64(5, after)
			st.BindInt64(6, gap)
			returned, err := int64Z(st)
			if err != nil {
				return nil, err
			}
			if returned == 0 {
				byReason[m.reason].Resolved++
			}
		}
	}
	out := make([]ReasonCohort, 0, len(byReason))
	for _, rc := range byReason {
		out = append(out, *rc)
	}
	slices.SortFunc(out, func(a, b ReasonCohort) int { return strings.Compare(a.Reason, b.Reason) })
	return out, nil
}

// ReasonNote is one contact's note, for a reason's recent notes.
type ReasonNote struct {
	StartedAt int64 // unix ms
	Note      string
}

// ReasonNotes returns the newest notes of finished contacts with primary
// reason started in [from, to), for team or all teams when team is "", at
// most limit. It walks the started_at index back from to, so a rare reason
// costs a scan of the whole range: keep the range to a few weeks.
func (r *SummaryReader) ReasonNotes(ctx context.Context, team, reason string, from, to time.Time, limit int) ([]ReasonNote, error) {
	q := `SELECT c.started_at, c.note FROM contacts c WHERE c.started_at >= :from AND c.started_at < :to
		AND c.ended_at IS NOT NULL AND c.deleted = 0 AND c.primary_reason = :reason AND c.note <> ''`
	params := []summaryParam{{":from", from.UnixMilli()}, {":to", to.UnixMilli()}, {":reason", reason}, {":limit", int64(limit)}}
	if team != "" {
		q += ` AND c.team = :team`
		params = append(params, summaryParam{":team", team})
	}
	q += ` ORDER BY c.started_at DESC LIMIT :limit`
	var out []ReasonNote
	err := r.read(ctx, q, params, func(st *sqlite.Stmt) error {
		out = append(out, ReasonNote{StartedAt: st.ColumnInt64(0), Note: st.ColumnText(1)})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read notes of %s: %w", reason, err)
	}
	return out, nil
}

// intern returns b as a string shared with earlier equal ones.
func intern(m map[string]string, b []byte) string {
	if s, ok := m[string(b)]; ok {
		return s
	}
	s := string(b)
	m[s] = s
	return s
}

// SummaryPlans returns SQLite's query plan (EXPLAIN QUERY PLAN, one string
// per step) of every query the summary runs, by a short name, so tests and
// benchmarks can check that each one uses an index.
func (r *SummaryReader) SummaryPlans(ctx context.Context) (map[string][]string, error) {
	from := time.Date(2026, 1, 14, 0, 0, 0, 0, time.UTC)
	day := ContactQuery{From: from, To: from.Add(24 * time.Hour), TransferGap: 2 * time.Minute}
	week := 7 * 24 * time.Hour
	type query struct {
		sql    string
		params []summaryParam
	}
	days := []summaryParam{{":from", "2026-01-01"}, {":to", "2026-01-14"}}
	team := summaryParam{":team", "t"}
	queries := map[string]query{
		"rollup one team":                     {rollupSQL(false), append(slices.Clip(days), team)},
		"rollup all teams":                    {rollupSQL(true), days},
		"rollup reasons used, one team":       {reasonsUsedSQL(false), append(slices.Clip(days), team)},
		"rollup reasons used, all teams":      {reasonsUsedSQL(true), days},
		"rollup first and last day, one team": {dataDaysSQL(false), []summaryParam{team}},
		"rollup first and last day":           {dataDaysSQL(true), nil},
		"rollup count, one team":              {rollupCountSQL(false), append(slices.Clip(days), team)},
		"rollup count, all teams":             {rollupCountSQL(true), days},
		"count of day contacts": {sqlContactCount,
			[]summaryParam{{":from", day.From.UnixMilli()}, {":to", day.To.UnixMilli()}}},
	}
	add := func(name string, q ContactQuery, build func(ContactQuery) (string, []summaryParam)) {
		sql, params := build(q)
		queries[name] = query{sql, params}
	}
	add("day contacts", day, contactsSQL)
	withBefore := day
	withBefore.Before, withBefore.Agents, withBefore.Team = week, true, "t"
	add("day contacts with earlier same-ref contacts", withBefore, contactsSQL)
	cohort := day
	cohort.After, cohort.WithRef = week, true
	add("cohort contacts with later same-ref contacts", cohort, contactsSQL)
	add("cohort contacts", cohort, cohortRowsSQL)
	queries["cohort next members"] = query{sqlCohortNexts, []summaryParam{{":from", day.From.UnixMilli()}, {":to", day.To.UnixMilli()}}}
	queries["cohort transfer check among same-ref members"] = query{sqlCohortReturned, nil}

	conn, err := r.conn()
	if err != nil {
		return nil, err
	}
	defer r.put(conn)
	conn.SetInterrupt(ctx.Done())
	plans := make(map[string][]string, len(queries))
	for name, q := range queries {
		err := runSummary(conn, "EXPLAIN QUERY PLAN "+q.sql, q.params, func(st *sqlite.Stmt) error {
			plans[name] = append(plans[name], st.ColumnText(3))
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("explain %s: %w", name, err)
		}
	}
	return plans, nil
}
