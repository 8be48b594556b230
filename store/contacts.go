package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// contactCols are the contacts columns every query reads, in scan order.
const contactCols = `id, agent, team, site, channel, started_at, ended_at, reasons, outcome,
	customer_ref, note, taxonomy_version, rev, updated_at, deleted`

const (
	sqlGet    = `SELECT ` + contactCols + ` FROM contacts WHERE id = ?`
	sqlInsert = `INSERT INTO contacts (id, agent, team, site, channel, started_at, ended_at,
	reasons, primary_reason, outcome, customer_ref, note, taxonomy_version, rev, updated_at, deleted,
	prev_at, prev_rowid)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`
	// A row that stops being a member (see neighbours.go) loses its
	// neighbours here; a member's are set right by fixNeighbours.
	sqlUpdate = `UPDATE contacts SET agent = ?1, team = ?2, site = ?3, channel = ?4, started_at = ?5,
	ended_at = ?6, reasons = ?7, primary_reason = ?8, outcome = ?9, customer_ref = ?10, note = ?11,
	taxonomy_version = ?12, rev = ?13, updated_at = ?14, deleted = ?15,
	prev_at = CASE WHEN ?6 IS NOT NULL AND NOT ?15 AND ?10 <> '' THEN prev_at END,
	prev_rowid = CASE WHEN ?6 IS NOT NULL AND NOT ?15 AND ?10 <> '' THEN prev_rowid END WHERE id = ?16`
	// INDEXED BY makes SQLite fail rather than fall back to a scan.
	sqlRecent = `SELECT ` + contactCols + ` FROM contacts INDEXED BY contacts_started
	WHERE started_at >= ? AND agent = ? AND ended_at IS NOT NULL AND deleted = 0
	ORDER BY started_at DESC LIMIT ?`
	sqlDrafts = `SELECT ` + contactCols + ` FROM contacts INDEXED BY contacts_drafts
	WHERE agent = ? AND ended_at IS NULL AND deleted = 0 ORDER BY started_at`
)

// stmts prepares the statements every save uses, the first time it is
// called; every later call returns what the first one did.
func (s *Store) stmts() error {
	s.prepared.Do(func() { s.prepareErr = s.prepare(context.Background()) })
	return s.prepareErr
}

// prepare makes the statements every save uses.
func (s *Store) prepare(ctx context.Context) error {
	for _, p := range []struct {
		st  **sql.Stmt
		sql string
	}{
		{&s.stmtGet, sqlGet},
		{&s.stmtInsert, sqlInsert},
		{&s.stmtInsertChunk, sqlInsertChunk},
		{&s.stmtUpdate, sqlUpdate},
		{&s.stmtRollupPrune, sqlRollupPrune},
	} {
		st, err := s.db.PrepareContext(ctx, p.sql)
		if err != nil {
			return fmt.Errorf("prepare: %w", driverError(err))
		}
		*p.st = st
	}
	for i := range s.stmtRollupAdd {
		st, err := s.db.PrepareContext(ctx, sqlRollupAdd(i+1))
		if err != nil {
			return fmt.Errorf("prepare: %w", driverError(err))
		}
		s.stmtRollupAdd[i] = st
	}
	return nil
}

// NewID returns a new contact id: a UUIDv7, so ids sort by creation time and
// inserts stay at the end of the index.
func NewID() (string, error) {
	u, err := uuid.NewV7()
	if err != nil {
		return "", fmt.Errorf("make contact id: %w", err)
	}
	return u.String(), nil
}

// scanner is *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

func (s *Store) scanContact(sc scanner) (Contact, error) {
	var (
		c                         Contact
		started, updated          int64
		ended                     sql.NullInt64
		channel, outcome, reasons string
	)
	err := sc.Scan(&c.ID, &c.Agent, &c.Team, &c.Site, &channel, &started, &ended, &reasons,
		&outcome, &c.CustomerRef, &c.Note, &c.TaxonomyVersion, &c.Rev, &updated, &c.Deleted)
	if err != nil {
		return Contact{}, err
	}
	c.Channel, c.Outcome = Channel(channel), Outcome(outcome)
	c.StartedAt = fromMillis(started, s.loc)
	if ended.Valid {
		c.EndedAt = fromMillis(ended.Int64, s.loc)
	}
	c.UpdatedAt = fromMillis(updated, s.loc)
	c.Reasons = splitReasons(reasons)
	return c, nil
}

func splitReasons(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, reasonSep)
}

// reasonSep joins reason ids in the reasons column.
const reasonSep = "|"

// row is the contact as column values for update (in sqlInsert's order,
// id first, without the neighbours).
func row(c *Contact) []any { return appendRow(make([]any, 0, insertCols), c) }

// insertCols is how many values sqlInsert takes per contact.
const insertCols = 18

// insertArgs is the contact and its neighbours as sqlInsert's values.
func insertArgs(args []any, c *Contact, l links) []any {
	return append(appendRow(args, c), nullable(l.prev), nullable(l.prevRow))
}

// nullable is v as a driver value: nil or int64, which database/sql passes
// on without asking a Valuer.
func nullable(v sql.NullInt64) any {
	if !v.Valid {
		return nil
	}
	return v.Int64
}

// appendRow appends row(c) to args.
func appendRow(args []any, c *Contact) []any {
	var ended any
	if !c.EndedAt.IsZero() {
		ended = c.EndedAt.UnixMilli()
	}
	reasons := c.Primary()
	if len(c.Reasons) > 1 {
		reasons = strings.Join(c.Reasons, reasonSep)
	}
	return append(args, c.ID, c.Agent, c.Team, c.Site, string(c.Channel), c.StartedAt.UnixMilli(), ended,
		reasons, c.Primary(), string(c.Outcome), c.CustomerRef, c.Note,
		c.TaxonomyVersion, c.Rev, c.UpdatedAt.UnixMilli(), c.Deleted)
}

// updateArgs is row(c) with the id moved to the end, for sqlUpdate.
func updateArgs(c *Contact) []any {
	r := row(c)
	return append(r[1:], r[0])
}

// Get returns the contact with id, tombstones included.
func (s *Store) Get(ctx context.Context, id string) (Contact, error) {
	if err := s.stmts(); err != nil {
		return Contact{}, fmt.Errorf("get contact %s: %w", id, err)
	}
	c, err := s.scanContact(s.stmtGet.QueryRowContext(ctx, id))
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			err = ErrNotFound
		}
		return Contact{}, fmt.Errorf("get contact %s: %w", id, driverError(err))
	}
	return c, nil
}

// get reads a contact inside tx.
func (s *Store) get(ctx context.Context, tx *sql.Tx, id string) (Contact, error) {
	c, err := s.scanContact(tx.StmtContext(ctx, s.stmtGet).QueryRowContext(ctx, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Contact{}, ErrNotFound
	}
	return c, driverError(err)
}

// write runs fn in one write transaction with the clock read once.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx, now time.Time) error) error {
	if err := s.stmts(); err != nil {
		return err
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil) // BEGIN IMMEDIATE (see dsn)
	if err != nil {
		return driverError(err)
	}
	defer tx.Rollback()
	if err := fn(tx, s.now()); err != nil {
		return err
	}
	return driverError(tx.Commit())
}

// mutate is every change to a contact: load, apply change, validate, write
// with rev+1 and updated_at = now, and move the rollup from the old state to
// the new one, all in one transaction. A change that changes nothing writes
// nothing and bumps nothing. Tombstones are refused unless undelete is set.
func (s *Store) mutate(ctx context.Context, op, id string, undelete bool, change func(c *Contact, now time.Time) error) (Contact, error) {
	var out Contact
	err := s.write(ctx, func(tx *sql.Tx, now time.Time) error {
		old, err := s.get(ctx, tx, id)
		if err != nil {
			return err
		}
		if old.Deleted && !undelete {
			return ErrDeleted
		}
		c := old
		c.Reasons = slices.Clone(old.Reasons)
		if err := change(&c, now); err != nil {
			return err
		}
		c.ID, c.Rev, c.UpdatedAt = old.ID, old.Rev, old.UpdatedAt
		if sameContact(&old, &c) {
			out = old
			return nil
		}
		if err := checkContact(&c); err != nil {
			return err
		}
		c.Rev, c.UpdatedAt = old.Rev+1, now
		if _, err := tx.StmtContext(ctx, s.stmtUpdate).ExecContext(ctx, updateArgs(&c)...); err != nil {
			return driverError(err)
		}
		spans := refSpans{}
		spans.change(&old, &c)
		if _, err := s.fixNeighbours(ctx, tx, spans, nil); err != nil {
			return err
		}
		d := s.newDelta()
		d.add(&old, -1)
		d.add(&c, +1)
		if err := s.applyDelta(ctx, tx, d); err != nil {
			return err
		}
		out = c
		return nil
	})
	if err != nil {
		return Contact{}, fmt.Errorf("%s %s: %w", op, id, err)
	}
	return out, nil
}

// checkContact is Validate plus what the schema needs, as ErrInvalid.
func checkContact(c *Contact) error {
	if err := c.Validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	for _, r := range c.Reasons {
		if strings.Contains(r, reasonSep) {
			return fmt.Errorf("%w: reason id %q contains %q", ErrInvalid, r, reasonSep)
		}
	}
	return nil
}

// sameContact reports whether a and b hold the same stored state.
func sameContact(a, b *Contact) bool {
	return a.ID == b.ID && a.Agent == b.Agent && a.Team == b.Team && a.Site == b.Site &&
		a.Channel == b.Channel && a.StartedAt.Equal(b.StartedAt) && a.EndedAt.Equal(b.EndedAt) &&
		slices.Equal(a.Reasons, b.Reasons) && a.Outcome == b.Outcome &&
		a.CustomerRef == b.CustomerRef && a.Note == b.Note &&
		a.TaxonomyVersion == b.TaxonomyVersion && a.Deleted == b.Deleted
}

// StartDraft creates a new draft contact with rev 1.
func (s *Store) StartDraft(ctx context.Context, d Draft) (Contact, error) {
	id, err := NewID()
	if err != nil {
		return Contact{}, err
	}
	c := Contact{
		ID: id, Agent: d.Agent, Team: d.Team, Site: d.Site, Channel: d.Channel,
		Outcome: OutcomeUnknown, TaxonomyVersion: d.TaxonomyVersion, Rev: 1,
	}
	if c.Channel == "" {
		c.Channel = ChannelPhone
	}
	err = s.write(ctx, func(tx *sql.Tx, now time.Time) error {
		c.UpdatedAt = now
		c.StartedAt = now
		if !d.StartedAt.IsZero() {
			c.StartedAt = fromMillis(d.StartedAt.UnixMilli(), s.loc)
		}
		if c.TaxonomyVersion == "" {
			return fmt.Errorf("%w: no taxonomy version", ErrInvalid)
		}
		if err := checkContact(&c); err != nil {
			return err
		}
		// A draft has no neighbours.
		_, err := tx.StmtContext(ctx, s.stmtInsert).ExecContext(ctx, insertArgs(nil, &c, links{})...)
		return driverError(err)
	})
	if err != nil {
		return Contact{}, fmt.Errorf("start draft: %w", err)
	}
	return c, nil
}

// AddReason appends reason to the contact's reasons (the first becomes
// primary). Adding a reason the contact already has, or more than MaxReasons,
// is ErrInvalid.
func (s *Store) AddReason(ctx context.Context, id, reason string) (Contact, error) {
	return s.mutate(ctx, "add reason to", id, false, func(c *Contact, _ time.Time) error {
		if slices.Contains(c.Reasons, reason) {
			return fmt.Errorf("%w: reason %q already tagged", ErrInvalid, reason)
		}
		c.Reasons = append(c.Reasons, reason)
		return nil
	})
}

// RemoveReason removes reason from the contact's reasons; the next one
// becomes primary. Removing a reason the contact does not have changes
// nothing.
func (s *Store) RemoveReason(ctx context.Context, id, reason string) (Contact, error) {
	return s.mutate(ctx, "remove reason from", id, false, func(c *Contact, _ time.Time) error {
		c.Reasons = slices.DeleteFunc(c.Reasons, func(r string) bool { return r == reason })
		return nil
	})
}

// SetReasons replaces the contact's reasons (to reorder them or make another
// one primary).
func (s *Store) SetReasons(ctx context.Context, id string, reasons []string) (Contact, error) {
	return s.mutate(ctx, "set reasons of", id, false, func(c *Contact, _ time.Time) error {
		c.Reasons = slices.Clone(reasons)
		if len(c.Reasons) == 0 {
			c.Reasons = nil
		}
		return nil
	})
}

// SetOutcome sets the contact's outcome.
func (s *Store) SetOutcome(ctx context.Context, id string, o Outcome) (Contact, error) {
	return s.mutate(ctx, "set outcome of", id, false, func(c *Contact, _ time.Time) error {
		c.Outcome = o
		return nil
	})
}

// SetChannel sets the contact's channel.
func (s *Store) SetChannel(ctx context.Context, id string, ch Channel) (Contact, error) {
	return s.mutate(ctx, "set channel of", id, false, func(c *Contact, _ time.Time) error {
		c.Channel = ch
		return nil
	})
}

// SetCustomerRef normalises raw and stores it (hashed when Options.Refs is set).
// An empty raw clears the reference.
func (s *Store) SetCustomerRef(ctx context.Context, id, raw string) (Contact, error) {
	ref := NormalizeRef(raw)
	if s.opt.Refs != nil {
		ref = s.opt.Refs.Ref(raw)
	}
	return s.mutate(ctx, "set customer ref of", id, false, func(c *Contact, _ time.Time) error {
		c.CustomerRef = ref
		return nil
	})
}

// SetNote stores note, with national ID and card numbers masked (see
// MaskNote) unless Options.KeepNotesRaw is set.
func (s *Store) SetNote(ctx context.Context, id, note string) (Contact, error) {
	if !s.opt.KeepNotesRaw {
		note = MaskNote(note)
	}
	return s.mutate(ctx, "set note of", id, false, func(c *Contact, _ time.Time) error {
		c.Note = note
		return nil
	})
}

// Finish ends a draft at the given time (zero means now). Finishing a
// finished contact is ErrFinished.
func (s *Store) Finish(ctx context.Context, id string, at time.Time) (Contact, error) {
	return s.mutate(ctx, "finish", id, false, func(c *Contact, now time.Time) error {
		if !c.Draft() {
			return ErrFinished
		}
		c.EndedAt = now
		if !at.IsZero() {
			c.EndedAt = fromMillis(at.UnixMilli(), s.loc)
		}
		return nil
	})
}

// Reopen turns a finished contact back into a draft, keeping its start time.
// Reopening a draft is ErrDraft.
func (s *Store) Reopen(ctx context.Context, id string) (Contact, error) {
	return s.mutate(ctx, "reopen", id, false, func(c *Contact, _ time.Time) error {
		if c.Draft() {
			return ErrDraft
		}
		c.EndedAt = time.Time{}
		return nil
	})
}

// Delete tombstones the contact. Deleting a tombstone is ErrDeleted.
func (s *Store) Delete(ctx context.Context, id string) (Contact, error) {
	return s.mutate(ctx, "delete", id, false, func(c *Contact, _ time.Time) error {
		c.Deleted = true
		return nil
	})
}

// Restore writes an earlier state of a contact back (the capture screen's
// undo), as a new revision. c.CustomerRef and c.Note are taken as stored.
// Restoring works on tombstones too, so a delete can be undone; c.Rev and
// c.UpdatedAt are ignored.
func (s *Store) Restore(ctx context.Context, c Contact) (Contact, error) {
	return s.mutate(ctx, "restore", c.ID, true, func(cur *Contact, _ time.Time) error {
		*cur = c
		cur.Reasons = slices.Clone(c.Reasons)
		cur.StartedAt = fromMillis(c.StartedAt.UnixMilli(), s.loc)
		if !c.EndedAt.IsZero() {
			cur.EndedAt = fromMillis(c.EndedAt.UnixMilli(), s.loc)
		}
		return nil
	})
}

// Recent returns the agent's contacts started at or after since, newest first,
// at most limit, drafts and tombstones excluded. It walks the start-time
// index from the newest end, so its cost does not grow with the database.
func (s *Store) Recent(ctx context.Context, agent string, since time.Time, limit int) ([]Contact, error) {
	cs, err := s.query(ctx, sqlRecent, since.UnixMilli(), agent, limit)
	if err != nil {
		return nil, fmt.Errorf("recent contacts of %s: %w", agent, err)
	}
	return cs, nil
}

// Drafts returns the agent's unfinished, not deleted contacts, oldest first.
func (s *Store) Drafts(ctx context.Context, agent string) ([]Contact, error) {
	cs, err := s.query(ctx, sqlDrafts, agent)
	if err != nil {
		return nil, fmt.Errorf("drafts of %s: %w", agent, err)
	}
	return cs, nil
}

func (s *Store) query(ctx context.Context, q string, args ...any) ([]Contact, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, driverError(err)
	}
	defer rows.Close()
	var cs []Contact
	for rows.Next() {
		c, err := s.scanContact(rows)
		if err != nil {
			return nil, err
		}
		cs = append(cs, c)
	}
	return cs, driverError(rows.Err())
}
