package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"zombiezen.com/go/sqlite"
)

// Each contact's previous neighbour by customer reference (migration 0003):
// for a member — a finished, not deleted contact with a customer reference —
// prev_at is the start of the latest other member with the same reference
// that started strictly before it; NULL when there is none, and NULL on
// every contact that is not a member. With it the summary tells from a
// contact's own row whether any same-customer contact falls in its repeat
// window, and searches the customer_ref index only for the few that have
// one. The next member is not stored (migration 0006): the summary finds it
// with one search of that index, and a contact that arrives after its
// customer's earlier ones then changes no older row.
//
// prev_rowid (migration 0007) is the rowid of the member at prev_at, when
// exactly one member holds that place: with it the summary reads the
// previous contact's row without searching the index. It is NULL when
// several members share the start, and may be NULL where the store did not
// know the rowid; readers check the row it names, so it is only ever a
// hint. The fix-up keeps it with prev_at; a previous member inserted in the
// same transaction has no rowid yet when the fix-up runs (links.prevNew),
// so the put and the ingester set those after their insert.
//
// Contacts arrive out of order (a collector ingests batches from many
// desks), so storing, deleting or re-referencing one contact can change the
// prev_at of the members after it too. Every write path records the
// (reference, start) places it changes in a refSpans and calls
// fixNeighbours in the same transaction, which reads the stored members
// around those places and rewrites the values that are no longer right. The
// bulk paths call it before inserting their new members and write those
// with their values, so that a new row is written once. Statements that
// rewrite a whole row clear prev_at and prev_rowid when the row stops being
// a member (see sqlUpdate).

// member reports whether c counts for its reference's neighbours.
func member(c *Contact) bool {
	return c != nil && c.CustomerRef != "" && !c.Draft() && !c.Deleted
}

// refSpans collects, per customer reference, the earliest and latest start
// at which a member came, went or moved during one transaction.
type refSpans map[string][2]int64

// change records the places a contact's change from old to new (nil old:
// a new contact) touches: none when it stays the same member.
func (r refSpans) change(old, new *Contact) {
	om, nm := member(old), member(new)
	if om && nm && old.CustomerRef == new.CustomerRef && old.StartedAt.Equal(new.StartedAt) {
		return
	}
	if om {
		r.add(old.CustomerRef, old.StartedAt.UnixMilli())
	}
	if nm {
		r.add(new.CustomerRef, new.StartedAt.UnixMilli())
	}
}

// refKey is a member's place: its reference and start (unix ms).
type refKey struct {
	ref string
	at  int64
}

// keyOf returns c's place and whether c is a member.
func keyOf(c *Contact) (refKey, bool) {
	return refKey{c.CustomerRef, c.StartedAt.UnixMilli()}, member(c)
}

func (r refSpans) add(ref string, at int64) {
	if s, ok := r[ref]; ok {
		r[ref] = [2]int64{min(s[0], at), max(s[1], at)}
		return
	}
	r[ref] = [2]int64{at, at}
}

// links are a member's stored neighbours: prev_at, and prev_rowid, the
// rowid of the one member at prev_at when there is one and it was stored
// before (migration 0007). When that one member is new too, its rowid is
// known only once it is inserted: prevNew is then 1 + its index among the
// new members, for the caller to set prev_rowid after the insert
// (sqlSetNewPrevs).
type links struct {
	prev, prevRow sql.NullInt64
	prevNew       int
}

// refSpan is one reference's span of changed starts.
type refSpan struct {
	ref    string
	lo, hi int64
}

// The members of a reference are found in the index contacts_ref (migration
// 0004), which holds members only, keyed by member_ref (a member's
// reference, NULL on every other contact) and start: its entries alone tell
// where a reference's members are, without the table rows.

// spanSQL selects the members of the span [lo, hi] of reference ref (SQL
// expressions), from the latest one before lo to the earliest one after hi.
func spanSQL(ref, lo, hi string) string {
	return `c.member_ref = ` + ref + `
	AND c.started_at >= coalesce((SELECT p.started_at FROM contacts AS p
		WHERE p.member_ref = ` + ref + ` AND p.started_at < ` + lo + ` ORDER BY p.started_at DESC LIMIT 1), ` + lo + `)
	AND c.started_at <= coalesce((SELECT p.started_at FROM contacts AS p
		WHERE p.member_ref = ` + ref + ` AND p.started_at > ` + hi + ` ORDER BY p.started_at LIMIT 1), ` + hi + `)`
}

// sqlSpanMembers reads the members of many spans, given as a JSON array of
// [ref, lo, hi], in one statement; the first column is the span's index.
// The CROSS JOIN keeps the spans outside, so that each one is a range of
// the index.
var sqlSpanMembers = `SELECT k.key, c.rowid, c.started_at
	FROM (SELECT key, value->>0 AS ref, value->>1 AS lo, value->>2 AS hi FROM json_each(?1)) AS k
	CROSS JOIN contacts AS c WHERE ` + spanSQL("k.ref", "k.lo", "k.hi")

// sqlSpanMembersOne reads the members of one span (?1 ref, ?2 lo, ?3 hi):
// cheaper to prepare than sqlSpanMembers, for the one or two spans of a
// change on a desk.
var sqlSpanMembersOne = `SELECT 0, c.rowid, c.started_at FROM contacts AS c WHERE ` + spanSQL("?1", "?2", "?3")

// sqlMembersFromLatest walks a reference's (?1) members on from the latest
// one before ?2 (or from ?2 when there is none): the ingester reads a span
// with it, stopping where the span ends. Two searches of the index, and
// nothing read but the index.
const sqlMembersFromLatest = `SELECT rowid, started_at FROM contacts
	WHERE member_ref = ?1 AND started_at >= coalesce((SELECT started_at FROM contacts
		WHERE member_ref = ?1 AND started_at < ?2 ORDER BY started_at DESC LIMIT 1), ?2)
	ORDER BY started_at`

// sqlSetPrevs sets prev_at and prev_rowid of stored members given as a
// JSON array of [rowid, prev, prevRow] (null for none), only where a value
// differs, so that a row that is right is not written.
const sqlSetPrevs = `UPDATE contacts SET prev_at = u.value->>1, prev_rowid = u.value->>2
	FROM json_each(?1) AS u WHERE contacts.rowid = u.value->>0
	AND (prev_at IS NOT u.value->>1 OR prev_rowid IS NOT u.value->>2)`

// sqlSetPrevOne is sqlSetPrevs for one member (?1 rowid, ?2 prev, ?3
// prevRow), for the ingester.
const sqlSetPrevOne = `UPDATE contacts SET prev_at = ?2, prev_rowid = ?3
	WHERE rowid = ?1 AND (prev_at IS NOT ?2 OR prev_rowid IS NOT ?3)`

// spanRow is one member of a span: stored (rowid > 0) or about to be
// inserted (rowid −1 − its index among the new members).
type spanRow struct {
	span         int
	rowid, start int64
}

// setLinks is what a fix-up writes to a stored member: its right
// neighbours.
type setLinks struct {
	rowid int64
	links links
}

// neighbourConn runs a fix-up's statements on the writing connection.
type neighbourConn interface {
	// spanMembers calls row for every stored member of the spans.
	spanMembers(spans []refSpan, row func(spanRow)) error
	// setNeighbours writes the links of stored members where they differ.
	setNeighbours(rows []setLinks) error
}

// fixNeighbours sets prev_at right around every place in r. It
// runs inside the write transaction: after the rows were written, or before
// members are inserted, whose places are then passed as fresh (each must be
// in r): their links are returned (in order) to be written with them. The
// stored members of each span are written where their links differ.
func fixNeighbours(conn neighbourConn, r refSpans, fresh []refKey) ([]links, error) {
	if len(r) == 0 {
		return make([]links, len(fresh)), nil
	}
	spans := make([]refSpan, 0, len(r))
	index := make(map[string]int, len(r))
	for ref, s := range r {
		spans = append(spans, refSpan{ref, s[0], s[1]})
	}
	// In reference order, the searches of the customer_ref index go from
	// one page to the next instead of all over it: much of each search then
	// finds its pages in the CPU's caches.
	slices.SortFunc(spans, func(a, b refSpan) int { return strings.Compare(a.ref, b.ref) })
	for i, s := range spans {
		index[s.ref] = i
	}
	rows := make([]spanRow, 0, 2*len(spans)+len(fresh))
	for i, k := range fresh {
		span, ok := index[k.ref]
		if !ok || k.at < r[k.ref][0] || k.at > r[k.ref][1] {
			return nil, fmt.Errorf("new member at %d is outside the changed spans", k.at)
		}
		rows = append(rows, spanRow{span: span, rowid: -1 - int64(i), start: k.at})
	}
	if err := conn.spanMembers(spans, func(r spanRow) { rows = append(rows, r) }); err != nil {
		return nil, fmt.Errorf("read neighbours: %w", err)
	}
	slices.SortFunc(rows, func(a, b spanRow) int {
		return cmp.Or(cmp.Compare(a.span, b.span), cmp.Compare(a.start, b.start))
	})
	out := make([]links, len(fresh))
	stored := make([]setLinks, 0, len(rows)-len(fresh))
	for len(rows) > 0 {
		end := 1
		for end < len(rows) && rows[end].span == rows[0].span {
			end++
		}
		s := spans[rows[0].span]
		stored = spanNeighbours(rows[:end], s.lo, out, stored)
		rows = rows[end:]
	}
	if len(stored) > 0 {
		if err := conn.setNeighbours(stored); err != nil {
			return nil, fmt.Errorf("write neighbours: %w", err)
		}
	}
	return out, nil
}

// spanNeighbours computes the neighbours of the members of one span (rows,
// in start order: every member from the latest one before lo to the
// earliest ones after hi). A new member's go into fresh; a stored one's are
// appended to stored, which is returned. A member before lo keeps its
// links: nothing changed before it.
func spanNeighbours(rows []spanRow, lo int64, fresh []links, stored []setLinks) []setLinks {
	for i, g := 0, 0; i < len(rows); {
		// rows[i:j] start at the same time, and so do rows[g:i] before
		// them.
		j := i + 1
		for j < len(rows) && rows[j].start == rows[i].start {
			j++
		}
		var want links
		if i > 0 {
			want.prev = sql.NullInt64{Int64: rows[i-1].start, Valid: true}
			switch {
			case i-g != 1: // several members share the previous start
			case rows[g].rowid > 0:
				want.prevRow = sql.NullInt64{Int64: rows[g].rowid, Valid: true}
			default:
				want.prevNew = int(-rows[g].rowid) // rowid is −1 − its index
			}
		}
		for _, r := range rows[i:j] {
			if r.rowid < 0 {
				fresh[-1-r.rowid] = want
			} else if r.start >= lo {
				stored = append(stored, setLinks{rowid: r.rowid, links: want})
			}
		}
		g, i = i, j
	}
	return stored
}

// sqlSetNewPrevs sets prev_rowid of new members given as a JSON array of
// [id, previous member's id], after both were inserted.
const sqlSetNewPrevs = `UPDATE contacts SET prev_rowid = (SELECT p.rowid FROM contacts AS p WHERE p.id = u.value->>1)
	FROM json_each(?1) AS u WHERE contacts.id = u.value->>0`

// newPrevs returns sqlSetNewPrevs' argument for the new members whose
// links name a new previous member, "" when there are none. ls are the
// new members' links in the order fixNeighbours took their places; id(j)
// is the id of the j-th.
func newPrevs(ls []links, id func(j int) string) (string, error) {
	var pairs [][2]string
	for j, l := range ls {
		if l.prevNew > 0 {
			pairs = append(pairs, [2]string{id(j), id(l.prevNew - 1)})
		}
	}
	if len(pairs) == 0 {
		return "", nil
	}
	b, err := json.Marshal(pairs)
	return string(b), err
}

// sqlNeighbours is fixNeighbours' connection inside a database/sql
// transaction (contacts.go, put.go, purge.go): one statement for all spans
// and one for all rows, as each call through database/sql costs more than
// SQLite's work on a span.
type sqlNeighbours struct {
	ctx context.Context
	tx  *sql.Tx
}

func (c sqlNeighbours) spanMembers(spans []refSpan, row func(spanRow)) error {
	if len(spans) <= 2 {
		for i, s := range spans {
			if err := c.query(sqlSpanMembersOne, func(r spanRow) { r.span = i; row(r) }, s.ref, s.lo, s.hi); err != nil {
				return err
			}
		}
		return nil
	}
	var b strings.Builder
	b.WriteByte('[')
	for i, s := range spans {
		if i > 0 {
			b.WriteByte(',')
		}
		ref, err := json.Marshal(s.ref)
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "[%s,%d,%d]", ref, s.lo, s.hi)
	}
	b.WriteByte(']')
	return c.query(sqlSpanMembers, row, b.String())
}

// query runs a span query and passes its rows to row.
func (c sqlNeighbours) query(q string, row func(spanRow), args ...any) error {
	rows, err := c.tx.QueryContext(c.ctx, q, args...)
	if err != nil {
		return driverError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var r spanRow
		if err := rows.Scan(&r.span, &r.rowid, &r.start); err != nil {
			return err
		}
		row(r)
	}
	return driverError(rows.Err())
}

func (c sqlNeighbours) setNeighbours(rows []setLinks) error {
	var b strings.Builder
	b.WriteByte('[')
	for i, r := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "[%d,%s,%s]", r.rowid, jsonInt(r.links.prev), jsonInt(r.links.prevRow))
	}
	b.WriteByte(']')
	_, err := c.tx.ExecContext(c.ctx, sqlSetPrevs, b.String())
	return driverError(err)
}

func jsonInt(v sql.NullInt64) string {
	if !v.Valid {
		return "null"
	}
	return strconv.FormatInt(v.Int64, 10)
}

// fixNeighbours is fixNeighbours inside tx.
func (s *Store) fixNeighbours(ctx context.Context, tx *sql.Tx, r refSpans, fresh []refKey) ([]links, error) {
	return fixNeighbours(sqlNeighbours{ctx, tx}, r, fresh)
}

// zNeighbours is fixNeighbours' connection for the ingester (ingest.go): a
// statement per span and per row, which the direct API runs for less than
// it costs to encode and decode them as JSON.
type zNeighbours struct{ conn *sqlite.Conn }

func (c zNeighbours) spanMembers(spans []refSpan, row func(spanRow)) error {
	walk, err := c.conn.Prepare(sqlMembersFromLatest)
	if err != nil {
		return err
	}
	for i, s := range spans {
		if err := walkZ(walk, i, s, row); err != nil {
			return err
		}
	}
	return nil
}

// walkZ steps walk (sqlMembersFromLatest) for span s, passing its rows to
// row: the members from the latest one before s.lo up to s.hi, and then
// those that share the first start after s.hi.
func walkZ(walk *sqlite.Stmt, span int, s refSpan, row func(spanRow)) (err error) {
	defer func() {
		if rerr := walk.Reset(); err == nil {
			err = rerr
		}
	}()
	walk.BindText(1, s.ref)
	walk.BindInt64(2, s.lo)
	var after int64 // the first start after hi, once seen
	seen := false
	for {
		ok, err := walk.Step()
		if err != nil || !ok {
			return err
		}
		start := walk.ColumnInt64(1)
		if start > s.hi {
			if seen && start != after {
				return nil
			}
			after, seen = start, true
		}
		row(spanRow{span: span, rowid: walk.ColumnInt64(0), start: start})
	}
}

func (c zNeighbours) setNeighbours(rows []setLinks) error {
	st, err := c.conn.Prepare(sqlSetPrevOne)
	if err != nil {
		return err
	}
	for _, r := range rows {
		st.BindInt64(1, r.rowid)
		bindNullInt64Z(st, 2, r.links.prev)
		bindNullInt64Z(st, 3, r.links.prevRow)
		if err := stepZ(st); err != nil {
			return err
		}
	}
	return nil
}

func bindNullInt64Z(st *sqlite.Stmt, param int, v sql.NullInt64) {
	if v.Valid {
		st.BindInt64(param, v.Int64)
	} else {
		st.BindNull(param)
	}
}

// VerifyNeighbours recomputes every contact's prev_at from the contacts
// themselves and compares it with the stored one, and checks that a stored
// prev_rowid names the one member at prev_at; the error lists the contacts
// that differ.
func (s *Store) VerifyNeighbours(ctx context.Context) error {
	type stored struct {
		id, ref        string
		rowid, start   int64
		member         bool
		prev, wantPrev sql.NullInt64
		prevRow        sql.NullInt64
	}
	var all []stored
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, rowid, customer_ref, started_at,
			customer_ref <> '' AND ended_at IS NOT NULL AND deleted = 0, prev_at, prev_rowid FROM contacts`)
		if err != nil {
			return driverError(err)
		}
		defer rows.Close()
		for rows.Next() {
			var c stored
			if err := rows.Scan(&c.id, &c.rowid, &c.ref, &c.start, &c.member, &c.prev, &c.prevRow); err != nil {
				return err
			}
			all = append(all, c)
		}
		return driverError(rows.Err())
	})
	if err != nil {
		return fmt.Errorf("verify neighbours: %w", err)
	}
	// Every member's starts by reference, sorted; then each member's
	// previous one is the start before its own. at holds the rowids of the
	// members at each place.
	starts := map[string][]int64{}
	at := map[refKey][]int64{}
	for _, c := range all {
		if c.member {
			starts[c.ref] = append(starts[c.ref], c.start)
			k := refKey{c.ref, c.start}
			at[k] = append(at[k], c.rowid)
		}
	}
	for _, ts := range starts {
		slices.Sort(ts)
	}
	var diffs []string
	for i := range all {
		c := &all[i]
		if c.member {
			ts := starts[c.ref]
			if lo, _ := slices.BinarySearch(ts, c.start); lo > 0 {
				c.wantPrev = sql.NullInt64{Int64: ts[lo-1], Valid: true}
			}
		}
		if c.prev != c.wantPrev {
			diffs = append(diffs, fmt.Sprintf("contact %s (member %t, started %d): stored prev %s, recount prev %s",
				c.id, c.member, c.start, nullString(c.prev), nullString(c.wantPrev)))
		}
		if c.prevRow.Valid {
			if rs := at[refKey{c.ref, c.wantPrev.Int64}]; !c.wantPrev.Valid || len(rs) != 1 || rs[0] != c.prevRow.Int64 {
				diffs = append(diffs, fmt.Sprintf("contact %s (member %t, started %d): prev_rowid %d, but the members at prev %s are rows %v",
					c.id, c.member, c.start, c.prevRow.Int64, nullString(c.wantPrev), rs))
			}
		}
	}
	return recountDiffs("verify neighbours", "contacts", diffs)
}

func nullString(v sql.NullInt64) string {
	if !v.Valid {
		return "none"
	}
	return strconv.FormatInt(v.Int64, 10)
}
