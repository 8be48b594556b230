package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Purge blanks the note and customer ref of every contact started before
// the cutoff (retention.days), as a normal change: rev and updated_at move,
// so sync carries the purge to the collector. Reasons, outcome and times
// stay, and the rollup with them (its ref_n drops with the refs, so it still
// equals a recount). It returns how many contacts it changed.
func (s *Store) Purge(ctx context.Context, before time.Time) (int, error) {
	n := 0
	err := s.write(ctx, func(tx *sql.Tx, now time.Time) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+contactCols+` FROM contacts
			WHERE started_at < ? AND (note <> '' OR customer_ref <> '')`, before.UnixMilli())
		if err != nil {
			return driverError(err)
		}
		var old []Contact
		for rows.Next() {
			c, err := s.scanContact(rows)
			if err != nil {
				rows.Close()
				return err
			}
			old = append(old, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return driverError(err)
		}
		upd := tx.StmtContext(ctx, s.stmtUpdate)
		d := s.newDelta()
		spans := refSpans{}
		for i := range old {
			c := old[i]
			c.Note, c.CustomerRef = "", ""
			c.Rev, c.UpdatedAt = c.Rev+1, now
			if _, err := upd.ExecContext(ctx, updateArgs(&c)...); err != nil {
				return driverError(err)
			}
			d.add(&old[i], -1)
			d.add(&c, +1)
			spans.change(&old[i], &c)
		}
		n = len(old)
		if _, err := s.fixNeighbours(ctx, tx, spans, nil); err != nil {
			return err
		}
		return s.applyDelta(ctx, tx, d)
	})
	if err != nil {
		return 0, fmt.Errorf("purge notes and refs before %s: %w", before.Format(time.DateOnly), err)
	}
	return n, nil
}
