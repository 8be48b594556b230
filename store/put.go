package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
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
		p := putter{s: s, ctx: ctx, tx: tx, d: s.newDelta(), spans: refSpans{}}
		// The neighbours, reckoned as if every contact were new, so that
		// new rows are written with theirs. Where some were stored already
		// that guess is wrong, and the neighbours are reckoned again once
		// all rows are written. Otherwise a member whose previous one is new
		// too learns that one's rowid (prev_rowid) after the insert.
		var fresh []refKey
		var at []int
		for i := range cs {
			if k, ok := keyOf(&cs[i]); ok {
				fresh = append(fresh, k)
				at = append(at, i)
				p.spans.add(k.ref, k.at)
			}
		}
		ls, err := s.fixNeighbours(ctx, tx, p.spans, fresh)
		if err != nil {
			return err
		}
		p.links = make([]links, len(cs))
		for j, i := range at {
			p.links[i] = ls[j]
		}
		norm := make([]Contact, 0, min(len(cs), putChunk))
		for start := 0; start < len(cs); start += putChunk {
			end := min(start+putChunk, len(cs))
			norm = norm[:0]
			for _, c := range cs[start:end] {
				c = s.normalize(c, now)
				if err := checkContact(&c); err != nil {
					return err
				}
				norm = append(norm, c)
			}
			if err := p.put(norm, p.links[start:end]); err != nil {
				return err
			}
		}
		if p.stored {
			if _, err := s.fixNeighbours(ctx, tx, p.spans, nil); err != nil {
				return err
			}
		} else if err := s.setNewPrevs(ctx, tx, ls, cs, at); err != nil {
			return err
		}
		return s.applyDelta(ctx, tx, p.d)
	})
}

// setNewPrevs sets prev_rowid of the new members cs[at[j]] whose links
// ls[j] name a new previous member, once all are inserted.
func (s *Store) setNewPrevs(ctx context.Context, tx *sql.Tx, ls []links, cs []Contact, at []int) error {
	arg, err := newPrevs(ls, func(j int) string { return cs[at[j]].ID })
	if err != nil || arg == "" {
		return err
	}
	if _, err := tx.ExecContext(ctx, sqlSetNewPrevs, arg); err != nil {
		return fmt.Errorf("write neighbours: %w", driverError(err))
	}
	return nil
}

// putChunk is how many contacts one INSERT statement carries: a statement
// per row would spend more time in database/sql than in SQLite.
const putChunk = 32

// sqlInsertChunk inserts putChunk contacts, skipping ids already stored.
var sqlInsertChunk = func() string {
	head, _, _ := strings.Cut(sqlInsert, "VALUES")
	tuple := "(?" + strings.Repeat(", ?", insertCols-1) + ")"
	return head + "VALUES " + tuple + strings.Repeat(", "+tuple, putChunk-1) +
		" ON CONFLICT (id) DO NOTHING"
}()

// putter stores normalised contacts inside one transaction.
type putter struct {
	s        *Store
	ctx      context.Context
	tx       *sql.Tx
	d        *delta
	spans    refSpans // every place a member came, went or moved
	links    []links  // the new contacts' neighbours
	stored   bool     // some ids were stored already
	ins, upd *sql.Stmt
	chunk    *sql.Stmt
	args     []any
}

// put inserts cs with their neighbours ls: a whole chunk with one
// statement, a short one row by row. When some of a chunk's ids are already
// stored, the chunk is rolled back to a savepoint and done row by row,
// which sorts out which rev wins.
func (p *putter) put(cs []Contact, ls []links) error {
	if len(cs) == putChunk {
		done, err := p.putChunk(cs, ls)
		if done || err != nil {
			return err
		}
	}
	for i := range cs {
		if err := p.putOne(&cs[i], ls[i]); err != nil {
			return err
		}
	}
	return nil
}

func (p *putter) putChunk(cs []Contact, ls []links) (bool, error) {
	if p.chunk == nil {
		p.chunk = p.tx.StmtContext(p.ctx, p.s.stmtInsertChunk)
	}
	if _, err := p.tx.ExecContext(p.ctx, "SAVEPOINT put_chunk"); err != nil {
		return false, driverError(err)
	}
	p.args = p.args[:0]
	for i := range cs {
		p.args = insertArgs(p.args, &cs[i], ls[i])
	}
	res, err := p.chunk.ExecContext(p.ctx, p.args...)
	if err != nil {
		return false, fmt.Errorf("insert: %w", driverError(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, driverError(err)
	}
	if n != int64(len(cs)) {
		_, err := p.tx.ExecContext(p.ctx, "ROLLBACK TO put_chunk; RELEASE put_chunk")
		return false, driverError(err)
	}
	if _, err := p.tx.ExecContext(p.ctx, "RELEASE put_chunk"); err != nil {
		return false, driverError(err)
	}
	for i := range cs {
		p.inserted(&cs[i])
	}
	return true, nil
}

// inserted counts a contact the putter inserted.
func (p *putter) inserted(c *Contact) {
	p.d.add(c, +1)
}

func (p *putter) putOne(c *Contact, l links) error {
	if p.ins == nil {
		p.ins = p.tx.StmtContext(p.ctx, p.s.stmtInsert)
	}
	res, err := p.ins.ExecContext(p.ctx, insertArgs(nil, c, l)...)
	if err != nil {
		return fmt.Errorf("insert %s: %w", c.ID, driverError(err))
	}
	if n, err := res.RowsAffected(); err != nil {
		return driverError(err)
	} else if n == 1 {
		p.inserted(c)
		return nil
	}
	p.stored = true
	return p.replace(c)
}

// replace stores c over the stored copy if c's rev is higher.
func (p *putter) replace(c *Contact) error {
	old, err := p.s.get(p.ctx, p.tx, c.ID)
	if err != nil {
		return fmt.Errorf("read %s: %w", c.ID, err)
	}
	if c.Rev <= old.Rev {
		return nil
	}
	if p.upd == nil {
		p.upd = p.tx.StmtContext(p.ctx, p.s.stmtUpdate)
	}
	if _, err := p.upd.ExecContext(p.ctx, updateArgs(c)...); err != nil {
		return fmt.Errorf("update %s: %w", c.ID, driverError(err))
	}
	p.d.add(&old, -1)
	p.d.add(c, +1)
	p.spans.change(&old, c)
	return nil
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
