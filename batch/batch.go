// Package batch carries contacts from agents' desks to the team's database,
// exactly once: the whycall.batch/v1 wire format (Encode, Decode), the two
// targets a desk pushes to (a folder of immutable batch files, or a collector
// over HTTP), the Syncer that drains a desk's outbox into a target, the
// collector's HTTP handler, and ingest of a folder of batch files.
//
// Exactly once rests on three things: a desk marks a contact synced only
// after the target acknowledged the batch that carried it (at least once);
// the receiving database ignores a batch id it has seen and a contact
// revision that is not newer than the one it holds (at most once); and every
// batch is self-contained, so it can be replayed in any order.
package batch

import (
	"errors"
	"time"

	"whycall/store"
)

// Format is the format version every batch document names in its "format"
// field. A batch of any other format is refused.
const Format = "whycall.batch/v1"

// Limits of one batch. A desk cuts its outbox into batches of at most
// MaxContacts contacts and MaxBytes bytes; a reader refuses more contacts
// than that, notes and fields longer than their limit, and more than
// MaxTaxonomies taxonomy versions.
const (
	MaxContacts      = 1000
	MaxBytes         = 500 << 10
	MaxNoteBytes     = 8 << 10
	MaxFieldBytes    = 256
	MaxTaxonomies    = 16
	MaxTaxonomyBytes = 1 << 20
	// MaxDocumentBytes is the largest batch document a reader reads: a full
	// batch plus its taxonomies, with room to spare.
	MaxDocumentBytes = 16 << 20
)

// Plausible times: anything before MinTime, or more than MaxClockSkew after
// the reader's clock, is refused as a broken clock or a broken writer.
var MinTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// MaxClockSkew is how far in the future a time in a batch may be.
const MaxClockSkew = 24 * time.Hour

// Errors a reader returns; test with errors.Is.
var (
	// ErrInvalid means the document is not a valid batch: malformed JSON,
	// a missing or bad field, an absurd time, a note that is too long.
	ErrInvalid = errors.New("invalid batch")
	// ErrUnknownFormat means the document names a format this program does
	// not read (a newer whycall wrote it, or it is not a whycall batch).
	ErrUnknownFormat = errors.New("unknown batch format")
	// ErrTooLarge means the document exceeds a size limit.
	ErrTooLarge = errors.New("batch too large")
)

// Batch is one batch document: a set of contact revisions from one desk,
// with the taxonomy versions they were tagged with.
type Batch struct {
	// ID is a UUIDv7 made when the batch is cut; a reader that has seen it
	// before ignores the batch.
	ID string
	// Agent and Site name the desk that wrote the batch.
	Agent, Site string
	// Created is when the batch was cut (UTC, millisecond precision).
	Created time.Time
	// Taxonomies holds every taxonomy version a contact refers to.
	Taxonomies []Taxonomy
	// Contacts are full rows: finished contacts and tombstones, each at its
	// latest revision on the desk.
	Contacts []store.Contact
}

// Taxonomy is one taxonomy version, carried with the batch so that the
// collector keeps the labels the contacts were tagged with.
type Taxonomy struct {
	// Version is the content hash of YAML (what contacts store).
	Version string
	// ID and Revision are taxonomy.id and taxonomy.version from the YAML.
	ID       string
	Revision int
	YAML     []byte
}

// Result is what the receiving side made of one batch.
type Result struct {
	// Batch is the batch id.
	Batch string `json:"batch"`
	// Contacts is how many contacts the batch held:
	// Accepted + Duplicate + Stale.
	Contacts int `json:"contacts"`
	// Accepted counts revisions newer than what was stored (new contacts,
	// edits, deletes).
	Accepted int `json:"accepted"`
	// Duplicate counts revisions already stored.
	Duplicate int `json:"duplicate"`
	// Stale counts revisions older than the one stored; they changed nothing.
	Stale int `json:"stale"`
	// DuplicateBatch is set when the batch id had been ingested before; then
	// nothing was written and every contact counts as a duplicate.
	DuplicateBatch bool `json:"duplicate_batch"`
	// Warnings are things worth knowing that did not stop the batch, such as
	// reason ids that the contact's taxonomy version does not define.
	Warnings []string `json:"warnings,omitempty"`
}
