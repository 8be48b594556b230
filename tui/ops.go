package tui

import (
	"context"
	"fmt"
	"slices"
	"time"

	"whycall/store"
)

// opKind names one write to the store.
type opKind uint8

// The writes the capture screen makes; each maps to one store method.
const (
	opStart opKind = iota + 1
	opAddReason
	opRemoveReason
	opSetReasons
	opOutcome
	opChannel
	opRef
	opNote
	opFinish
	opDelete
	opRestore
	opUndelete
)

func (k opKind) String() string {
	switch k {
	case opStart:
		return "start contact"
	case opAddReason:
		return "add reason"
	case opRemoveReason:
		return "remove reason"
	case opSetReasons:
		return "reorder reasons"
	case opOutcome:
		return "set outcome"
	case opChannel:
		return "set channel"
	case opRef:
		return "set customer ref"
	case opNote:
		return "set note"
	case opFinish:
		return "save contact"
	case opDelete:
		return "delete contact"
	case opRestore:
		return "undo"
	case opUndelete:
		return "bring back contact"
	}
	return fmt.Sprintf("opKind(%d)", int(k))
}

// refPending stands in for a customer ref whose stored (hashed) form has not
// come back yet. It is only ever shown as "ref ✓", never written.
const refPending = "\x00pending"

// op is one queued write. It is a plain value: commands carry a copy and
// never see the model.
type op struct {
	kind    opKind
	seq     int // position in its track's queue, from 1
	reason  string
	reasons []string
	outcome store.Outcome
	channel store.Channel
	text    string
	at      time.Time
	draft   store.Draft
	// toSeq is, for opRestore, the op whose stored result is written back;
	// restore is that result, filled in when the op is sent (by then every
	// earlier op of the track has been stored). For opUndelete, restore is
	// the stored tombstone, brought back to life.
	toSeq   int
	restore store.Contact
	// shown is, for opRestore, the state the screen returns to at once.
	shown store.Contact
}

// apply returns c as it will be once the op is stored: the optimistic state
// the screen shows before the store answers.
func (o op) apply(c store.Contact) store.Contact {
	switch o.kind {
	case opStart:
		c = store.Contact{
			Agent: o.draft.Agent, Team: o.draft.Team, Site: o.draft.Site,
			Channel: o.draft.Channel, StartedAt: o.draft.StartedAt,
			Outcome: store.OutcomeUnknown, TaxonomyVersion: o.draft.TaxonomyVersion,
		}
		if c.Channel == "" {
			c.Channel = store.ChannelPhone
		}
	case opAddReason:
		if !slices.Contains(c.Reasons, o.reason) {
			c.Reasons = append(slices.Clip(c.Reasons), o.reason)
		}
	case opRemoveReason:
		c.Reasons = slices.DeleteFunc(slices.Clone(c.Reasons), func(r string) bool { return r == o.reason })
	case opSetReasons:
		c.Reasons = slices.Clone(o.reasons)
	case opOutcome:
		c.Outcome = o.outcome
	case opChannel:
		c.Channel = o.channel
	case opRef:
		c.CustomerRef = ""
		if o.text != "" {
			c.CustomerRef = refPending
		}
	case opNote:
		c.Note = o.text
	case opFinish:
		c.EndedAt = o.at
	case opDelete:
		c.Deleted = true
	case opUndelete:
		c.Deleted = false
	case opRestore:
		id, rev := c.ID, c.Rev
		c = o.shown
		c.ID, c.Rev = id, rev
	}
	return c
}

// run performs the op on the contact with id and returns it as stored.
func (o op) run(ctx context.Context, s Store, id string) (store.Contact, error) {
	switch o.kind {
	case opStart:
		return s.StartDraft(ctx, o.draft)
	case opAddReason:
		return s.AddReason(ctx, id, o.reason)
	case opRemoveReason:
		return s.RemoveReason(ctx, id, o.reason)
	case opSetReasons:
		return s.SetReasons(ctx, id, o.reasons)
	case opOutcome:
		return s.SetOutcome(ctx, id, o.outcome)
	case opChannel:
		return s.SetChannel(ctx, id, o.channel)
	case opRef:
		return s.SetCustomerRef(ctx, id, o.text)
	case opNote:
		return s.SetNote(ctx, id, o.text)
	case opFinish:
		return s.Finish(ctx, id, o.at)
	case opDelete:
		return s.Delete(ctx, id)
	case opRestore, opUndelete:
		return s.Restore(ctx, o.restore)
	}
	return store.Contact{}, fmt.Errorf("unknown write %v", o.kind)
}
