package tui

import (
	"context"
	"time"

	"whycall/store"
)

// Store is what the capture screen needs from the contact database: the
// capture operations, each one durable transaction returning the contact as
// stored. *store.Store satisfies it; tests inject one that fails.
type Store interface {
	StartDraft(ctx context.Context, d store.Draft) (store.Contact, error)
	AddReason(ctx context.Context, id, reason string) (store.Contact, error)
	RemoveReason(ctx context.Context, id, reason string) (store.Contact, error)
	SetReasons(ctx context.Context, id string, reasons []string) (store.Contact, error)
	SetOutcome(ctx context.Context, id string, o store.Outcome) (store.Contact, error)
	SetChannel(ctx context.Context, id string, c store.Channel) (store.Contact, error)
	SetCustomerRef(ctx context.Context, id, raw string) (store.Contact, error)
	SetNote(ctx context.Context, id, note string) (store.Contact, error)
	Finish(ctx context.Context, id string, at time.Time) (store.Contact, error)
	Delete(ctx context.Context, id string) (store.Contact, error)
	Restore(ctx context.Context, c store.Contact) (store.Contact, error)
	Recent(ctx context.Context, agent string, since time.Time, limit int) ([]store.Contact, error)
	Drafts(ctx context.Context, agent string) ([]store.Contact, error)
}

// Checkpointer is implemented by stores that can run a WAL checkpoint. The
// capture screen calls it in the background when it has been idle for a few
// seconds, so checkpoints never land on the save path.
type Checkpointer interface {
	Checkpoint(ctx context.Context) error
}

// SyncState is what the header's sync slot shows about the desk's outbox.
type SyncState struct {
	// Pending is how many contacts have changes the target has not
	// acknowledged yet.
	Pending int
	// LastSync is when a push last succeeded; zero if never.
	LastSync time.Time
	// LastErr says why the last push failed; "" when it did not.
	LastErr string
}

// SyncFunc reports the sync state for the header. The capture screen calls
// it in a tea.Cmd once at start and then every Options.SyncInterval after the
// previous call returned (calls never overlap). It may push pending contacts
// first (that is the sync package's choice) and must honour ctx, which is
// cancelled when the screen quits. It must not write to the terminal. An
// error means the state could not be read at all; the slot then shows a
// warning and the error text goes to the log.
type SyncFunc func(ctx context.Context) (SyncState, error)
