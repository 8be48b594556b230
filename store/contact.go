package store

import (
	"fmt"
	"slices"
	"time"
)

// Channel is how the customer reached us.
type Channel string

// Channels a contact can arrive on; phone is the default.
const (
	ChannelPhone Channel = "phone"
	ChannelChat  Channel = "chat"
	ChannelEmail Channel = "email"
	ChannelOther Channel = "other"
)

// Channels lists every channel in the order the capture screen cycles them.
var Channels = []Channel{ChannelPhone, ChannelChat, ChannelEmail, ChannelOther}

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool {
	for _, k := range Channels {
		if c == k {
			return true
		}
	}
	return false
}

// Outcome is the agent's judgment of how the contact ended.
type Outcome string

// Outcomes of a contact; unknown until the agent sets one.
const (
	OutcomeUnknown    Outcome = "unknown"
	OutcomeResolved   Outcome = "resolved"
	OutcomeUnresolved Outcome = "unresolved"
	OutcomeFollowUp   Outcome = "follow_up"
	OutcomeEscalated  Outcome = "escalated"
)

// Outcomes lists every outcome.
var Outcomes = []Outcome{OutcomeUnknown, OutcomeResolved, OutcomeUnresolved, OutcomeFollowUp, OutcomeEscalated}

// Valid reports whether o is a known outcome.
func (o Outcome) Valid() bool {
	for _, k := range Outcomes {
		if o == k {
			return true
		}
	}
	return false
}

// MaxReasons is how many reasons one contact may carry: the primary and a few
// secondary ones.
const MaxReasons = 4

// Contact is one customer interaction handled by one agent. A contact with a
// zero EndedAt is a draft (still in progress).
type Contact struct {
	ID        string // UUIDv7, made on the agent's desk
	Agent     string
	Team      string
	Site      string
	Channel   Channel
	StartedAt time.Time
	EndedAt   time.Time // zero while the contact is a draft
	// Reasons are reason ids in order; the first is the primary.
	Reasons []string
	Outcome Outcome
	// CustomerRef is the reference as stored: normalised and, by default,
	// a keyed hash of it (see RefHasher). Empty when none was given.
	CustomerRef string
	// Note is free text, with national ID and card numbers masked.
	Note            string
	TaxonomyVersion string
	Rev             int64 // increments on every change
	UpdatedAt       time.Time
	Deleted         bool // tombstone
}

// Draft reports whether the contact is still in progress.
func (c *Contact) Draft() bool { return c.EndedAt.IsZero() }

// Primary returns the primary reason id, or "" when none is tagged yet.
func (c *Contact) Primary() string {
	if len(c.Reasons) == 0 {
		return ""
	}
	return c.Reasons[0]
}

// Duration is the handle time of a finished contact (0 for a draft).
func (c *Contact) Duration() time.Duration {
	if c.Draft() {
		return 0
	}
	return c.EndedAt.Sub(c.StartedAt)
}

// Validate checks the fields a stored contact must have right.
func (c *Contact) Validate() error {
	switch {
	case c.ID == "":
		return fmt.Errorf("contact has no id")
	case c.Agent == "":
		return fmt.Errorf("contact %s: no agent", c.ID)
	case !c.Channel.Valid():
		return fmt.Errorf("contact %s: unknown channel %q", c.ID, c.Channel)
	case !c.Outcome.Valid():
		return fmt.Errorf("contact %s: unknown outcome %q", c.ID, c.Outcome)
	case c.StartedAt.IsZero():
		return fmt.Errorf("contact %s: no start time", c.ID)
	case !c.EndedAt.IsZero() && c.EndedAt.Before(c.StartedAt):
		return fmt.Errorf("contact %s: ends before it starts", c.ID)
	case len(c.Reasons) > MaxReasons:
		return fmt.Errorf("contact %s: %d reasons, at most %d", c.ID, len(c.Reasons), MaxReasons)
	}
	for i, r := range c.Reasons {
		if r == "" {
			return fmt.Errorf("contact %s: empty reason id", c.ID)
		}
		// At most MaxReasons: comparing pairs beats building a set.
		if slices.Contains(c.Reasons[:i], r) {
			return fmt.Errorf("contact %s: reason %q twice", c.ID, r)
		}
	}
	return nil
}
