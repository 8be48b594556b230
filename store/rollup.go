package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// MaxHandleTime is the longest handle time the rollup counts; longer ones
// (a contact left open over lunch) and non-positive ones are left out of
// handle_n and handle_ms, though the contact itself is counted.
const MaxHandleTime = 4 * time.Hour

// dayLayout is how reason_days.day is written.
const dayLayout = "2006-01-02"

// The rollup columns, in the order of a counts array.
const (
	colPrimary = iota
	colSecondary
	colHandleN
	colHandleMs
	colResolved
	colUnresolved
	colFollowUp
	colEscalated
	colUnknown
	colRef
	nCols
)

var rollupColNames = [nCols]string{"primary_n", "secondary_n", "handle_n", "handle_ms",
	"resolved_n", "unresolved_n", "follow_up_n", "escalated_n", "unknown_n", "ref_n"}

var outcomeCol = map[Outcome]int{
	OutcomeResolved:   colResolved,
	OutcomeUnresolved: colUnresolved,
	OutcomeFollowUp:   colFollowUp,
	OutcomeEscalated:  colEscalated,
	OutcomeUnknown:    colUnknown,
}

// rollupBatch is the most rows one rollup statement changes: every row one
// change to one contact can touch (the old and new primary and secondaries).
const rollupBatch = 2 * (MaxReasons + 1)

// sqlRollupAdd adds deltas to n reason_days rows, creating them if needed.
func sqlRollupAdd(n int) string {
	var set []string
	for _, c := range rollupColNames {
		set = append(set, fmt.Sprintf("%s = %s + excluded.%s", c, c, c))
	}
	tuple := "(?, ?, ?" + strings.Repeat(", ?", nCols) + ")"
	// "WHERE true" keeps SQLite from reading ON CONFLICT as part of a join.
	return `INSERT INTO reason_days (day, team, reason_id, ` + strings.Join(rollupColNames[:], ", ") +
		`) SELECT * FROM (VALUES ` + tuple + strings.Repeat(", "+tuple, n-1) + `) WHERE true
		ON CONFLICT (day, team, reason_id) DO UPDATE SET ` + strings.Join(set, ", ")
}

// sqlRollupPrune removes the rows of a day and team whose counts all went
// back to zero, so the table holds exactly the (day, team, reason) triples
// that have contacts.
const sqlRollupPrune = `DELETE FROM reason_days WHERE day = ? AND team = ?
	AND primary_n = 0 AND secondary_n = 0`

type rollupKey struct{ day, team, reason string }

type counts [nCols]int64

// delta is a change to the rollup, summed per row.
type delta struct {
	loc  *time.Location
	rows map[rollupKey]*counts
	// day caches the last day computed: bulk loads come in time order.
	dayLo, dayHi int64
	day          string
}

func (s *Store) newDelta() *delta {
	return &delta{loc: s.loc, rows: make(map[rollupKey]*counts)}
}

// dayOf is the local calendar day of ms.
func (d *delta) dayOf(ms int64) string {
	if ms >= d.dayLo && ms < d.dayHi {
		return d.day
	}
	t := time.UnixMilli(ms).In(d.loc)
	y, m, dd := t.Date()
	start := time.Date(y, m, dd, 0, 0, 0, 0, d.loc)
	end := time.Date(y, m, dd+1, 0, 0, 0, 0, d.loc)
	d.dayLo, d.dayHi, d.day = start.UnixMilli(), end.UnixMilli(), t.Format(dayLayout)
	return d.day
}

func (d *delta) row(k rollupKey) *counts {
	r := d.rows[k]
	if r == nil {
		r = new(counts)
		d.rows[k] = r
	}
	return r
}

// add adds (sign +1) or removes (sign -1) c's contribution: nothing for a
// draft or a tombstone; otherwise one primary count on the day it started
// (reason "" when uncoded), with its handle time, outcome and ref, and one
// secondary count per further reason.
func (d *delta) add(c *Contact, sign int64) {
	if c.Draft() || c.Deleted {
		return
	}
	day := d.dayOf(c.StartedAt.UnixMilli())
	p := d.row(rollupKey{day, c.Team, c.Primary()})
	p[colPrimary] += sign
	if h := c.EndedAt.Sub(c.StartedAt); h > 0 && h <= MaxHandleTime {
		p[colHandleN] += sign
		p[colHandleMs] += sign * h.Milliseconds()
	}
	if col, ok := outcomeCol[c.Outcome]; ok {
		p[col] += sign
	}
	if c.CustomerRef != "" {
		p[colRef] += sign
	}
	for _, r := range c.Reasons[min(1, len(c.Reasons)):] {
		d.row(rollupKey{day, c.Team, r})[colSecondary] += sign
	}
}

// applyDelta writes d's non-zero rows inside tx, up to rollupBatch rows per
// statement, then prunes the rows that went to zero.
func (s *Store) applyDelta(ctx context.Context, tx *sql.Tx, d *delta) error {
	type dayTeam struct{ day, team string }
	var (
		args  = make([]any, 0, rollupBatch*(3+nCols))
		n     int
		prune []dayTeam
	)
	flush := func() error {
		if n == 0 {
			return nil
		}
		if _, err := tx.StmtContext(ctx, s.stmtRollupAdd[n-1]).ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("update rollup: %w", driverError(err))
		}
		args, n = args[:0], 0
		return nil
	}
	for k, c := range d.rows {
		if *c == (counts{}) {
			continue
		}
		args = append(args, k.day, k.team, k.reason)
		for _, v := range c {
			args = append(args, v)
		}
		if c[colPrimary] < 0 || c[colSecondary] < 0 {
			if dt := (dayTeam{k.day, k.team}); !slices.Contains(prune, dt) {
				prune = append(prune, dt)
			}
		}
		if n++; n == rollupBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	for _, dt := range prune {
		if _, err := tx.StmtContext(ctx, s.stmtRollupPrune).ExecContext(ctx, dt.day, dt.team); err != nil {
			return fmt.Errorf("update rollup: %w", driverError(err))
		}
	}
	return nil
}

// recount computes the rollup from the contacts table inside tx.
func (s *Store) recount(ctx context.Context, tx *sql.Tx) (*delta, error) {
	d := s.newDelta()
	rows, err := tx.QueryContext(ctx, `SELECT `+contactCols+` FROM contacts
		WHERE ended_at IS NOT NULL AND deleted = 0 ORDER BY started_at`)
	if err != nil {
		return nil, driverError(err)
	}
	defer rows.Close()
	for rows.Next() {
		c, err := s.scanContact(rows)
		if err != nil {
			return nil, err
		}
		d.add(&c, +1)
	}
	return d, driverError(rows.Err())
}

// rebuild replaces the rollup with a recount, inside tx.
func (s *Store) rebuild(ctx context.Context, tx *sql.Tx) error {
	d, err := s.recount(ctx, tx)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM reason_days`); err != nil {
		return driverError(err)
	}
	if err := s.applyDelta(ctx, tx, d); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('rollup_tz', ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, s.loc.String())
	return driverError(err)
}

// RebuildRollup recounts reason_days from the contacts, in one transaction.
func (s *Store) RebuildRollup(ctx context.Context) error {
	err := s.write(ctx, func(tx *sql.Tx, _ time.Time) error { return s.rebuild(ctx, tx) })
	if err != nil {
		return fmt.Errorf("rebuild rollup: %w", err)
	}
	return nil
}

// checkRollupZone rebuilds the rollup when it was counted in another time
// zone than this Store's (or never recorded one).
func (s *Store) checkRollupZone(ctx context.Context) error {
	var tz string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'rollup_tz'`).Scan(&tz)
	if err == nil && tz == s.loc.String() {
		return nil
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("read rollup zone: %w", driverError(err))
	}
	err = s.write(ctx, func(tx *sql.Tx, _ time.Time) error {
		// Another process may have rebuilt it while we waited for the lock.
		err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'rollup_tz'`).Scan(&tz)
		if err == nil && tz == s.loc.String() {
			return nil
		}
		return s.rebuild(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("rebuild rollup for zone %s: %w", s.loc, err)
	}
	return nil
}

// VerifyRollup recounts the rollup from the contacts and compares it with
// reason_days; the error lists the rows that differ.
func (s *Store) VerifyRollup(ctx context.Context) error {
	var diffs []string
	err := s.read(ctx, func(tx *sql.Tx) error {
		want, err := s.recount(ctx, tx)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT day, team, reason_id, `+
			strings.Join(rollupColNames[:], ", ")+` FROM reason_days`)
		if err != nil {
			return driverError(err)
		}
		defer rows.Close()
		seen := make(map[rollupKey]bool)
		for rows.Next() {
			var k rollupKey
			var got counts
			dest := []any{&k.day, &k.team, &k.reason}
			for i := range got {
				dest = append(dest, &got[i])
			}
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			seen[k] = true
			w := counts{}
			if p := want.rows[k]; p != nil {
				w = *p
			}
			if got != w {
				diffs = append(diffs, fmt.Sprintf("%s: stored %s, recount %s", k, got, w))
			}
		}
		if err := rows.Err(); err != nil {
			return driverError(err)
		}
		for k, w := range want.rows {
			if !seen[k] && *w != (counts{}) {
				diffs = append(diffs, fmt.Sprintf("%s: missing, recount %s", k, *w))
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("verify rollup: %w", err)
	}
	return recountDiffs("verify rollup", "rows", diffs)
}

// recountDiffs is the error of a check against a recount that found diffs
// (nil when there are none): how many of what differ, the first few of
// them in order.
func recountDiffs(check, what string, diffs []string) error {
	if len(diffs) == 0 {
		return nil
	}
	slices.Sort(diffs)
	const show = 20
	n, more := len(diffs), ""
	if n > show {
		more = fmt.Sprintf("\n… and %d more", n-show)
		diffs = diffs[:show]
	}
	return fmt.Errorf("%s: %d %s differ from a recount:\n%s%s", check, n, what, strings.Join(diffs, "\n"), more)
}

// String names the row in VerifyRollup's report.
func (k rollupKey) String() string {
	return fmt.Sprintf("%s team %q reason %q", k.day, k.team, k.reason)
}

// String lists the non-zero counts by column name.
func (c counts) String() string {
	var b strings.Builder
	for i, v := range c {
		if v == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s=%d", rollupColNames[i], v)
	}
	if b.Len() == 0 {
		return "(zero)"
	}
	return b.String()
}

// read runs fn in a read transaction: one consistent snapshot.
func (s *Store) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return driverError(err)
	}
	defer tx.Rollback()
	return fn(tx)
}
