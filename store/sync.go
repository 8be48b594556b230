package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// The outbox: a contact is pending when a sync target has not acknowledged
// its current revision (rev > synced_rev) and it is worth sending: finished,
// or a tombstone of a contact that was sent before. Drafts stay on the desk;
// a contact deleted before it was ever sent has nothing to retract.
//
// The condition starts with rev > synced_rev, the WHERE of the
// contacts_pending partial index, so SQLite walks that index, which holds
// only the few contacts changed since the last sync.
const pendingWhere = `rev > synced_rev AND (CASE deleted WHEN 0 THEN ended_at IS NOT NULL ELSE synced_rev > 0 END)`

const (
	sqlPending = `SELECT ` + contactCols + ` FROM contacts INDEXED BY contacts_pending
	WHERE ` + pendingWhere + ` AND id > ? ORDER BY id LIMIT ?`
	sqlPendingCount = `SELECT count(*) FROM contacts INDEXED BY contacts_pending WHERE ` + pendingWhere
	// sqlMarkSynced raises synced_rev to an acknowledged rev: never lowers
	// it, and never past the contact's own rev.
	sqlMarkSynced = `UPDATE contacts SET synced_rev = ?1 WHERE id = ?2 AND synced_rev < ?1 AND rev >= ?1`
)

// Outbox reads a desk's pending contacts and records what a sync target
// acknowledged, on direct connections of its own (see direct): one that
// writes and one that reads, so that a sync reads the next batches while
// the acknowledged ones are marked (with 1M pending contacts, each took
// about half of a sync's time). It is safe for concurrent use. Close it
// before closing the Store.
type Outbox struct {
	*direct         // writes
	rd      *direct // reads
}

// NewOutbox opens the Outbox's connections to s's database. On a desk they
// never checkpoint, like the Store's own connections.
func (s *Store) NewOutbox() (*Outbox, error) {
	var pragmas []string
	if !s.opt.Collector {
		pragmas = append(pragmas, "PRAGMA wal_autocheckpoint = 0")
	}
	d, err := s.openDirect(pragmas...)
	if err != nil {
		return nil, fmt.Errorf("open outbox on %s: %w", s.path, err)
	}
	rd, err := s.openDirect(pragmas...)
	if err != nil {
		d.close()
		return nil, fmt.Errorf("open outbox on %s: %w", s.path, err)
	}
	return &Outbox{direct: d, rd: rd}, nil
}

// Close closes the Outbox's connections. Closing again does nothing.
func (o *Outbox) Close() error {
	if err := errors.Join(o.rd.close(), o.close()); err != nil {
		return fmt.Errorf("close outbox on %s: %w", o.s.path, err)
	}
	return nil
}

// Pending returns up to limit pending contacts (see above) with ids after
// after ("" for the first page), in id order: full rows at their current
// revision, tombstones included.
func (o *Outbox) Pending(ctx context.Context, after string, limit int) ([]Contact, error) {
	var cs []Contact
	err := o.rd.use(ctx, func() error {
		st, err := o.rd.conn.Prepare(sqlPending)
		if err != nil {
			return err
		}
		defer st.Reset()
		st.BindText(1, after)
		st.BindInt64(2, int64(limit))
		for {
			row, err := st.Step()
			if err != nil || !row {
				return err
			}
			cs = append(cs, scanZ(st, o.s.loc))
		}
	})
	if err != nil {
		return nil, fmt.Errorf("pending contacts: %w", err)
	}
	return cs, nil
}

// PendingCount returns how many contacts are pending.
func (o *Outbox) PendingCount(ctx context.Context) (int, error) {
	var n int64
	err := o.rd.use(ctx, func() error {
		st, err := o.rd.conn.Prepare(sqlPendingCount)
		if err != nil {
			return err
		}
		n, err = int64Z(st)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("count pending contacts: %w", err)
	}
	return int(n), nil
}

// Revision names one revision of a contact.
type Revision struct {
	ID  string
	Rev int64
}

// MarkSynced records, in one transaction, that a sync target acknowledged
// these revisions. A contact's synced_rev only rises, to at most its rev: a
// contact changed after its revision was sent stays pending. It returns how
// many contacts changed.
func (o *Outbox) MarkSynced(ctx context.Context, revs []Revision) (int, error) {
	for _, r := range revs {
		if r.Rev < 1 {
			return 0, fmt.Errorf("mark %s synced: %w: rev %d", r.ID, ErrInvalid, r.Rev)
		}
	}
	n := 0
	err := o.write(ctx, func(time.Time) error {
		st, err := o.conn.Prepare(sqlMarkSynced)
		if err != nil {
			return err
		}
		for _, r := range revs {
			st.BindInt64(1, r.Rev)
			st.BindText(2, r.ID)
			if err := stepZ(st); err != nil {
				return err
			}
			n += o.conn.Changes()
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("mark %d contacts synced: %w", len(revs), err)
	}
	return n, nil
}

// TaxonomySource returns a stored taxonomy version with its YAML, as a sync
// batch carries it (ErrUnknownTaxonomy if none is stored).
func (o *Outbox) TaxonomySource(ctx context.Context, version string) (TaxonomyVersion, []byte, error) {
	v := TaxonomyVersion{Version: version}
	var yaml []byte
	err := o.rd.use(ctx, func() error {
		st, err := o.rd.conn.Prepare(`SELECT taxonomy_id, revision, added_at, yaml FROM taxonomies WHERE version = ?`)
		if err != nil {
			return err
		}
		defer st.Reset()
		st.BindText(1, version)
		row, err := st.Step()
		if err != nil {
			return err
		}
		if !row {
			return ErrUnknownTaxonomy
		}
		v.TaxonomyID, v.Revision = st.ColumnText(0), st.ColumnInt(1)
		v.AddedAt = fromMillis(st.ColumnInt64(2), o.s.loc)
		yaml = make([]byte, st.ColumnLen(3))
		st.ColumnBytes(3, yaml)
		return nil
	})
	if err != nil {
		return TaxonomyVersion{}, nil, fmt.Errorf("taxonomy version %s: %w", version, err)
	}
	return v, yaml, nil
}
