package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"
)

// Put stores a complete contact as it is (for ingest, demo data and tests),
// keeping the rollup exact. Note and customer ref are taken as stored: no
// masking or hashing. If the id is already stored, the copy with the higher
// rev wins and an equal or lower rev changes nothing, so putting the same
// contact twice is harmless.
//
// Zero fields that have an obvious default get it: Channel phone, Outcome
// unknown, Rev 1, UpdatedAt now. ID, Agent and StartedAt are required.
func (s *Store) Put(ctx context.Context, c Contact) error {
	if err := s.putMany(ctx, []Contact{c}); err != nil {
		return fmt.Errorf("put contact %s: %w", c.ID, err)
	}
	return nil
}

// PutMany is Put for many contacts in one transaction: all are stored or
// none.
func (s *Store) PutMany(ctx context.Context, cs []Contact) error {
	if err := s.putMany(ctx, cs); err != nil {
		return fmt.Errorf("put %d contacts: %w", len(cs), err)
	}
	return nil
}

func (s *Store) putMany(ctx context.Context, cs []Contact) error {
	if len(cs) == 0 {
		return nil
	}
	return s.write(ctx, func(tx *sql.Tx, now time.Time) error {
		ins := tx.StmtContext(ctx, s.stmtInsert)
		var upd *sql.Stmt
		d := s.newDelta()
		for i := range cs {
			c := s.normalize(cs[i], now)
			if err := checkContact(&c); err != nil {
				return err
			}
			res, err := ins.ExecContext(ctx, row(&c)...)
			if err != nil {
				return fmt.Errorf("insert %s: %w", c.ID, driverError(err))
			}
			if n, err := res.RowsAffected(); err != nil {
				return driverError(err)
			} else if n == 1 {
				d.add(&c, +1)
				continue
			}
			// Already stored: the higher rev wins.
			old, err := s.get(ctx, tx, c.ID)
			if err != nil {
				return fmt.Errorf("read %s: %w", c.ID, err)
			}
			if c.Rev <= old.Rev {
				continue
			}
			if upd == nil {
				upd = tx.StmtContext(ctx, s.stmtUpdate)
			}
			if _, err := upd.ExecContext(ctx, updateArgs(&c)...); err != nil {
				return fmt.Errorf("update %s: %w", c.ID, driverError(err))
			}
			d.add(&old, -1)
			d.add(&c, +1)
		}
		return s.applyDelta(ctx, tx, d)
	})
}

// normalize fills the defaults Put documents and cuts times to the
// millisecond precision stored, so the rollup sees what a recount will see.
func (s *Store) normalize(c Contact, now time.Time) Contact {
	if c.Channel == "" {
		c.Channel = ChannelPhone
	}
	if c.Outcome == "" {
		c.Outcome = OutcomeUnknown
	}
	if c.Rev < 1 {
		c.Rev = 1
	}
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = now
	}
	c.Reasons = slices.Clip(c.Reasons)
	if len(c.Reasons) == 0 {
		c.Reasons = nil
	}
	c.StartedAt = s.ms(c.StartedAt)
	c.EndedAt = s.ms(c.EndedAt)
	c.UpdatedAt = s.ms(c.UpdatedAt)
	return c
}

// ms cuts t to the stored precision; the zero time stays zero.
func (s *Store) ms(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return fromMillis(t.UnixMilli(), s.loc)
}
