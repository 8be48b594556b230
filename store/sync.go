package store

import (
	"context"
	"database/sql"
	"encoding/json"
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
	// sqlMarkSynced raises synced_rev to each acknowledged rev, in one
	// statement for the whole batch: never lowers it, and never past the
	// contact's own rev.
	sqlMarkSynced = `UPDATE contacts SET synced_rev = j.value ->> 1
	FROM json_each(?) AS j
	WHERE contacts.id = j.value ->> 0 AND contacts.synced_rev < j.value ->> 1 AND contacts.rev >= j.value ->> 1`
)

// Pending returns up to limit pending contacts (see above) with ids after
// after ("" for the first page), in id order: full rows at their current
// revision, tombstones included.
func (s *Store) Pending(ctx context.Context, after string, limit int) ([]Contact, error) {
	cs, err := s.query(ctx, sqlPending, after, limit)
	if err != nil {
		return nil, fmt.Errorf("pending contacts: %w", err)
	}
	return cs, nil
}

// PendingCount returns how many contacts are pending.
func (s *Store) PendingCount(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, sqlPendingCount).Scan(&n); err != nil {
		return 0, fmt.Errorf("count pending contacts: %w", driverError(err))
	}
	return n, nil
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
func (s *Store) MarkSynced(ctx context.Context, revs []Revision) (int, error) {
	if len(revs) == 0 {
		return 0, nil
	}
	arg, err := revisionsJSON(revs)
	if err != nil {
		return 0, err
	}
	var n int64
	err = s.write(ctx, func(tx *sql.Tx, _ time.Time) error {
		res, err := tx.ExecContext(ctx, sqlMarkSynced, arg)
		if err != nil {
			return driverError(err)
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("mark %d contacts synced: %w", len(revs), err)
	}
	return int(n), nil
}

// revisionsJSON is revs as a JSON array of [id, rev] pairs, the one
// parameter of sqlMarkSynced.
func revisionsJSON(revs []Revision) (string, error) {
	pairs := make([][2]any, len(revs))
	for i, r := range revs {
		if r.Rev < 1 {
			return "", fmt.Errorf("mark %s synced: %w: rev %d", r.ID, ErrInvalid, r.Rev)
		}
		pairs[i] = [2]any{r.ID, r.Rev}
	}
	b, err := json.Marshal(pairs)
	if err != nil {
		return "", fmt.Errorf("mark contacts synced: %w", err)
	}
	return string(b), nil
}

// TaxonomySource returns a stored taxonomy version with its YAML, as a sync
// batch carries it (ErrUnknownTaxonomy if none is stored).
func (s *Store) TaxonomySource(ctx context.Context, version string) (TaxonomyVersion, []byte, error) {
	var (
		v     = TaxonomyVersion{Version: version}
		added int64
		yaml  []byte
	)
	err := s.db.QueryRowContext(ctx, `SELECT taxonomy_id, revision, added_at, yaml FROM taxonomies WHERE version = ?`,
		version).Scan(&v.TaxonomyID, &v.Revision, &added, &yaml)
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrUnknownTaxonomy
	}
	if err != nil {
		return TaxonomyVersion{}, nil, fmt.Errorf("taxonomy version %s: %w", version, driverError(err))
	}
	v.AddedAt = fromMillis(added, s.loc)
	return v, yaml, nil
}
