package batch

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"whycall/store"
)

// Syncer pushes a desk's pending contacts to a target: it reads the outbox
// in pages, cuts it into batches of at most BatchSize contacts and MaxBytes
// bytes, sends each, and marks a batch's contacts synced only after the
// target acknowledged it. It is safe for concurrent use; pushes do not
// overlap.
type Syncer struct {
	store  *store.Store
	target Target
	opt    SyncerOptions

	push sync.Mutex // held for a whole push

	mu       sync.Mutex // guards what follows
	lastSync time.Time
	lastErr  string
	tax      map[string][]byte // encoded taxonomy entries by version
}

// SyncerOptions configure a Syncer.
type SyncerOptions struct {
	// Agent and Site name the desk in every batch (config agent, site).
	Agent, Site string
	// BatchSize is the most contacts per batch (config sync.batch_size);
	// 0 or more than MaxContacts means MaxContacts.
	BatchSize int
	// MaxBytes is the largest batch document; 0 means MaxBytes.
	MaxBytes int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Sent, if set, is told about each batch the target acknowledged.
	Sent func(Sent)
}

// Sent describes one batch a target acknowledged.
type Sent struct {
	Result
	Bytes int // size of the document
}

// Report says what a push did.
type Report struct {
	// Target names where the batches went.
	Target string
	// Batches and Contacts count what the target acknowledged (or, for a
	// dry run, what would be sent).
	Batches, Contacts int
	// Accepted, Duplicate and Stale sum the target's answers.
	Accepted, Duplicate, Stale int
	// Bytes is the size of the documents sent.
	Bytes int
	// HeldBack lists contacts that cannot be sent (a target would refuse
	// them), with why; they stay pending, and block nothing else.
	HeldBack []string
	// DryRun is set when nothing was sent.
	DryRun bool
}

// Status is what the capture screen shows about sync.
type Status struct {
	// Pending is how many contacts wait to be sent.
	Pending int
	// LastSync is when a push last succeeded; zero if never.
	LastSync time.Time
	// LastErr says why the last push failed; "" if it did not.
	LastErr string
}

// NewSyncer returns a Syncer from s to t.
func NewSyncer(s *store.Store, t Target, opt SyncerOptions) (*Syncer, error) {
	if opt.Agent == "" {
		return nil, errors.New("sync: no agent name (config agent)")
	}
	if opt.BatchSize <= 0 || opt.BatchSize > MaxContacts {
		opt.BatchSize = MaxContacts
	}
	if opt.MaxBytes <= 0 {
		opt.MaxBytes = MaxBytes
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Syncer{store: s, target: t, opt: opt, tax: make(map[string][]byte)}, nil
}

// Target returns where the Syncer pushes to.
func (s *Syncer) Target() Target { return s.target }

// Pending returns how many contacts wait to be sent.
func (s *Syncer) Pending(ctx context.Context) (int, error) {
	return s.store.PendingCount(ctx)
}

// Push sends every pending contact. It stops at the first batch the target
// does not take (the report then holds what was sent before) and returns
// that error; contacts it did not send stay pending. With nothing to send
// it checks that the target is there, so that a collector that is down is
// reported either way.
func (s *Syncer) Push(ctx context.Context) (Report, error) {
	rep, err := s.run(ctx, false)
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case err != nil:
		s.lastErr = err.Error()
	case len(rep.HeldBack) > 0:
		s.lastSync = s.opt.Now()
		s.lastErr = fmt.Sprintf("%d contact(s) held back: %s", len(rep.HeldBack), rep.HeldBack[0])
	default:
		s.lastSync, s.lastErr = s.opt.Now(), ""
	}
	return rep, err
}

// DryRun reports what Push would send, without sending or marking anything.
func (s *Syncer) DryRun(ctx context.Context) (Report, error) {
	return s.run(ctx, true)
}

// Sync pushes, then returns the status for the capture screen. A failed
// push is in the status, not the error, which is only for a status that
// cannot be read.
func (s *Syncer) Sync(ctx context.Context) (Status, error) {
	_, _ = s.Push(ctx)
	n, err := s.Pending(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	st := Status{Pending: n, LastSync: s.lastSync, LastErr: s.lastErr}
	if err != nil {
		return st, fmt.Errorf("sync status: %w", err)
	}
	return st, nil
}

// run is Push, or DryRun when dry is set.
func (s *Syncer) run(ctx context.Context, dry bool) (Report, error) {
	s.push.Lock()
	defer s.push.Unlock()
	rep := Report{Target: s.target.String(), DryRun: dry}
	after := ""
	for {
		page, err := s.store.Pending(ctx, after, pageSize)
		if err != nil {
			return rep, err
		}
		if len(page) == 0 {
			if rep.Batches == 0 && len(rep.HeldBack) == 0 {
				// Nothing was sent: say whether the target is there.
				return rep, s.target.Check(ctx)
			}
			return rep, nil
		}
		after = page[len(page)-1].ID
		cut, err := s.cut(ctx, page, &rep)
		if err != nil {
			return rep, err
		}
		for _, c := range cut {
			if err := s.deliver(ctx, c, dry, &rep); err != nil {
				return rep, err
			}
		}
	}
}

// pageSize is how many pending contacts are read at a time; they are then
// cut into batches.
const pageSize = 1000

// piece is a batch being cut: its contacts, encoded, and the taxonomy
// versions they need.
type piece struct {
	contacts []store.Contact
	json     []byte // contacts, comma-separated
	versions []string
	size     int // of the whole document
}

// headerBytes bounds the size of a document without contacts and
// taxonomies.
const headerBytes = 512

// cut turns a page of pending contacts into batches within the limits,
// holding back contacts that a reader would refuse.
func (s *Syncer) cut(ctx context.Context, page []store.Contact, rep *Report) ([]*piece, error) {
	now := s.opt.Now()
	var out []*piece
	cur := &piece{size: headerBytes}
	var buf []byte
	for i := range page {
		c := &page[i]
		if err := checkContact(c); err != nil {
			rep.HeldBack = append(rep.HeldBack, fmt.Sprintf("contact %s: %v", c.ID, err))
			continue
		}
		if err := checkTimes(c, now); err != nil {
			rep.HeldBack = append(rep.HeldBack, fmt.Sprintf("contact %s: %v", c.ID, err))
			continue
		}
		tax, err := s.taxonomy(ctx, c.TaxonomyVersion)
		if errors.Is(err, store.ErrUnknownTaxonomy) {
			rep.HeldBack = append(rep.HeldBack, fmt.Sprintf("contact %s: taxonomy version %s is not stored on this desk", c.ID, c.TaxonomyVersion))
			continue
		}
		if err != nil {
			return nil, err
		}
		buf = appendContact(buf[:0], c)
		grow := len(buf) + 1
		newVersion := !contains(cur.versions, c.TaxonomyVersion)
		if newVersion {
			grow += len(tax) + 1
		}
		if len(cur.contacts) == s.opt.BatchSize || len(cur.contacts) > 0 && cur.size+grow > s.opt.MaxBytes {
			out = append(out, cur)
			cur = &piece{size: headerBytes}
			grow = len(buf) + 1 + len(tax) + 1
			newVersion = true
		}
		if newVersion {
			cur.versions = append(cur.versions, c.TaxonomyVersion)
		}
		if len(cur.contacts) > 0 {
			cur.json = append(cur.json, ',')
		}
		cur.json = append(cur.json, buf...)
		cur.contacts = append(cur.contacts, *c)
		cur.size += grow
	}
	if len(cur.contacts) > 0 {
		out = append(out, cur)
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// taxonomy returns the encoded taxonomy entry for version, read from the
// store once.
func (s *Syncer) taxonomy(ctx context.Context, version string) ([]byte, error) {
	s.mu.Lock()
	t, ok := s.tax[version]
	s.mu.Unlock()
	if ok {
		return t, nil
	}
	v, yaml, err := s.store.TaxonomySource(ctx, version)
	if err != nil {
		return nil, err
	}
	t = appendTaxonomy(nil, &Taxonomy{Version: version, ID: v.TaxonomyID, Revision: v.Revision, YAML: yaml})
	s.mu.Lock()
	s.tax[version] = t
	s.mu.Unlock()
	return t, nil
}

// deliver sends one batch and marks its contacts synced; a batch the target
// finds too large is sent again in two halves.
func (s *Syncer) deliver(ctx context.Context, p *piece, dry bool, rep *Report) error {
	id, err := uuid.NewV7()
	if err != nil {
		return fmt.Errorf("make batch id: %w", err)
	}
	b := &Batch{ID: id.String(), Agent: s.opt.Agent, Site: s.opt.Site, Created: s.opt.Now(), Contacts: p.contacts}
	doc := s.document(b, p)
	if dry {
		rep.Batches++
		rep.Contacts += len(b.Contacts)
		rep.Bytes += len(doc)
		return nil
	}
	res, err := s.target.Send(ctx, b, doc)
	if errors.Is(err, ErrTooLarge) {
		if len(p.contacts) == 1 {
			rep.HeldBack = append(rep.HeldBack, fmt.Sprintf("contact %s: %v", p.contacts[0].ID, err))
			return nil
		}
		half := len(p.contacts) / 2
		for _, part := range [][]store.Contact{p.contacts[:half], p.contacts[half:]} {
			if err := s.deliver(ctx, s.repiece(part, p.versions), dry, rep); err != nil {
				return err
			}
		}
		return nil
	}
	if err != nil {
		return err
	}
	revs := make([]store.Revision, len(b.Contacts))
	for i, c := range b.Contacts {
		revs[i] = store.Revision{ID: c.ID, Rev: c.Rev}
	}
	if _, err := s.store.MarkSynced(ctx, revs); err != nil {
		return fmt.Errorf("%s took batch %s, but marking its contacts synced failed (the next sync sends them again, harmlessly): %w", s.target, b.ID, err)
	}
	rep.Batches++
	rep.Contacts += len(b.Contacts)
	rep.Accepted += res.Accepted
	rep.Duplicate += res.Duplicate
	rep.Stale += res.Stale
	rep.Bytes += len(doc)
	if s.opt.Sent != nil {
		s.opt.Sent(Sent{Result: res, Bytes: len(doc)})
	}
	return nil
}

// repiece encodes part of a piece as a piece of its own.
func (s *Syncer) repiece(cs []store.Contact, versions []string) *piece {
	p := &piece{contacts: cs}
	for i := range cs {
		if i > 0 {
			p.json = append(p.json, ',')
		}
		p.json = appendContact(p.json, &cs[i])
		if !contains(p.versions, cs[i].TaxonomyVersion) {
			p.versions = append(p.versions, cs[i].TaxonomyVersion)
		}
	}
	return p
}

// document encodes the batch b made of p.
func (s *Syncer) document(b *Batch, p *piece) []byte {
	s.mu.Lock()
	taxes := make([][]byte, len(p.versions))
	for i, v := range p.versions {
		taxes[i] = s.tax[v]
	}
	s.mu.Unlock()
	size := headerBytes + len(p.json)
	for _, t := range taxes {
		size += len(t) + 1
	}
	return encodeParts(make([]byte, 0, size), b, taxes, p.json)
}

// String describes a report in one line, for people.
func (r Report) String() string {
	var b strings.Builder
	switch {
	case r.Contacts == 0 && r.DryRun:
		fmt.Fprintf(&b, "nothing to send to %s", r.Target)
	case r.Contacts == 0:
		fmt.Fprintf(&b, "nothing sent to %s", r.Target)
	case r.DryRun:
		fmt.Fprintf(&b, "would send %d contact(s) in %d batch(es), %s, to %s", r.Contacts, r.Batches, kb(r.Bytes), r.Target)
	default:
		fmt.Fprintf(&b, "sent %d contact(s) in %d batch(es), %s, to %s: %d new or changed, %d already there, %d older than what is there",
			r.Contacts, r.Batches, kb(r.Bytes), r.Target, r.Accepted, r.Duplicate, r.Stale)
	}
	if n := len(r.HeldBack); n > 0 {
		fmt.Fprintf(&b, "; %d held back", n)
	}
	return b.String()
}

func kb(n int) string {
	if n < 10<<10 {
		return fmt.Sprintf("%d bytes", n)
	}
	return fmt.Sprintf("%d KB", n>>10)
}
