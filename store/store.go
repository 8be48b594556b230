// Package store is the contact database: an SQLite file (modernc, no cgo)
// with embedded numbered migrations, holding contacts, the taxonomy versions
// they were tagged with, and a per-day reason rollup kept exact in the same
// transaction as every change.
//
// Every public method is one transaction. Every change to a contact bumps its
// rev and updated_at; deletes are tombstones so that sync can carry them.
package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Errors callers can test for with errors.Is.
var (
	// ErrNotFound means no contact has the given id.
	ErrNotFound = errors.New("contact not found")
	// ErrDeleted means the contact is a tombstone and cannot be changed.
	ErrDeleted = errors.New("contact is deleted")
	// ErrFinished means the change needs a draft but the contact is finished.
	ErrFinished = errors.New("contact is finished")
	// ErrNotSQLite means the file at the database path is not an SQLite database.
	ErrNotSQLite = errors.New("not an SQLite database")
	// ErrSchemaTooNew means the database was written by a newer whycall.
	ErrSchemaTooNew   = errors.New("database schema is newer than this program")
	errNotImplemented = errors.New("not implemented yet")
)

// Options configure a Store. The zero value is usable: real clock,
// Europe/Oslo days, synchronous=FULL, refs stored in plain normalised form,
// notes masked.
type Options struct {
	// Now is the clock; nil means time.Now. Taken once per transaction.
	Now func() time.Time
	// Location is the time zone whose calendar days the rollup counts by.
	// nil means Europe/Oslo. Opening with another zone rebuilds the rollup.
	Location *time.Location
	// Collector relaxes durability to synchronous=NORMAL for bulk ingest;
	// an agent's desk keeps synchronous=FULL so no acknowledged save is lost.
	Collector bool
	// Refs turns customer references into what is stored; nil stores the
	// normalised reference as it is.
	Refs *RefHasher
	// KeepNotesRaw turns off masking of national ID and card numbers in notes.
	KeepNotesRaw bool
}

// Store is an open contact database. It is safe for concurrent use.
type Store struct {
	db   *sql.DB
	path string
	opt  Options
}

// Draft is what a new contact starts with.
type Draft struct {
	Agent, Team, Site string
	Channel           Channel   // empty means phone
	TaxonomyVersion   string    // required
	StartedAt         time.Time // zero means now
}

// Open opens (creating it and its folder if needed) the database at path,
// sets WAL, foreign keys, busy_timeout and synchronous, and runs migrations.
// A file that is not SQLite is left untouched (ErrNotSQLite); a schema newer
// than this program is refused (ErrSchemaTooNew).
func Open(ctx context.Context, path string, opt Options) (*Store, error) {
	return nil, errNotImplemented
}

// Close checkpoints the WAL and closes the database.
func (s *Store) Close() error { return errNotImplemented }

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// SaveTaxonomy records the YAML of a taxonomy version (idempotent).
func (s *Store) SaveTaxonomy(ctx context.Context, version, taxonomyID string, revision int, yaml []byte) error {
	return errNotImplemented
}

// TaxonomyYAML returns the YAML stored for version.
func (s *Store) TaxonomyYAML(ctx context.Context, version string) ([]byte, error) {
	return nil, errNotImplemented
}

// StartDraft creates a new draft contact with rev 1.
func (s *Store) StartDraft(ctx context.Context, d Draft) (Contact, error) {
	return Contact{}, errNotImplemented
}

// Get returns the contact with id, tombstones included.
func (s *Store) Get(ctx context.Context, id string) (Contact, error) {
	return Contact{}, errNotImplemented
}

// AddReason appends reason to the contact's reasons (the first becomes primary).
func (s *Store) AddReason(ctx context.Context, id, reason string) (Contact, error) {
	return Contact{}, errNotImplemented
}

// RemoveReason removes reason from the contact's reasons.
func (s *Store) RemoveReason(ctx context.Context, id, reason string) (Contact, error) {
	return Contact{}, errNotImplemented
}

// SetReasons replaces the contact's reasons (to reorder them or make another
// one primary).
func (s *Store) SetReasons(ctx context.Context, id string, reasons []string) (Contact, error) {
	return Contact{}, errNotImplemented
}

// SetOutcome sets the contact's outcome.
func (s *Store) SetOutcome(ctx context.Context, id string, o Outcome) (Contact, error) {
	return Contact{}, errNotImplemented
}

// SetChannel sets the contact's channel.
func (s *Store) SetChannel(ctx context.Context, id string, c Channel) (Contact, error) {
	return Contact{}, errNotImplemented
}

// SetCustomerRef normalises raw and stores it (hashed when Options.Refs is set).
// An empty raw clears the reference.
func (s *Store) SetCustomerRef(ctx context.Context, id, raw string) (Contact, error) {
	return Contact{}, errNotImplemented
}

// SetNote stores note, with national ID and card numbers masked.
func (s *Store) SetNote(ctx context.Context, id, note string) (Contact, error) {
	return Contact{}, errNotImplemented
}

// Finish ends a draft at the given time (zero means now).
func (s *Store) Finish(ctx context.Context, id string, at time.Time) (Contact, error) {
	return Contact{}, errNotImplemented
}

// Reopen turns a finished contact back into a draft, keeping its start time.
func (s *Store) Reopen(ctx context.Context, id string) (Contact, error) {
	return Contact{}, errNotImplemented
}

// Delete tombstones the contact.
func (s *Store) Delete(ctx context.Context, id string) (Contact, error) {
	return Contact{}, errNotImplemented
}

// Restore writes an earlier state of a contact back (the capture screen's
// undo), as a new revision. c.CustomerRef and c.Note are taken as stored.
func (s *Store) Restore(ctx context.Context, c Contact) (Contact, error) {
	return Contact{}, errNotImplemented
}

// Recent returns the agent's contacts started at or after since, newest first,
// at most limit, drafts and tombstones excluded.
func (s *Store) Recent(ctx context.Context, agent string, since time.Time, limit int) ([]Contact, error) {
	return nil, errNotImplemented
}

// Drafts returns the agent's unfinished, not deleted contacts, oldest first.
func (s *Store) Drafts(ctx context.Context, agent string) ([]Contact, error) {
	return nil, errNotImplemented
}
