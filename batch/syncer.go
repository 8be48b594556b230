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
	outbox *store.Outbox
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

// NewSyncer returns a Syncer from s to t. It opens a connection of its own
// to s's database (store.Outbox); Close it before closing s.
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
	o, err := s.NewOutbox()
	if err != nil {
		return nil, fmt.Errorf("sync: %w", err)
	}
	return &Syncer{outbox: o, target: t, opt: opt, tax: make(map[string][]byte)}, nil
}

// Close closes the Syncer's connection to the database, after any push
// under way.
func (s *Syncer) Close() error {
	s.push.Lock()
	defer s.push.Unlock()
	return s.outbox.Close()
}

// Target returns where the Syncer pushes to.
func (s *Syncer) Target() Target { return s.target }

// Pending returns how many contacts wait to be sent.
func (s *Syncer) Pending(ctx context.Context) (int, error) {
	return s.outbox.PendingCount(ctx)
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

// run is Push, or DryRun when dry is set. It is a pipeline, so that reading
// and encoding the next batch, sending this one, and marking the last one
// synced overlap (each waits on the disk or the network at other times): a
// reader that turns pages of the outbox into encoded batches, senders, and
// a marker that records acknowledged batches as synced, several in one
// transaction when they queue up. A batch is marked only after its
// acknowledgement; a batch acknowledged before a later one failed is still
// marked.
func (s *Syncer) run(parent context.Context, dry bool) (Report, error) {
	s.push.Lock()
	defer s.push.Unlock()
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	st := &runState{rep: Report{Target: s.target.String(), DryRun: dry}}

	ready := make(chan *outgoing, 2)
	var readErr error
	empty := false
	go func() {
		defer close(ready)
		empty, readErr = s.read(ctx, st, ready)
		if readErr != nil {
			cancel()
		}
	}()

	acked := make(chan *outgoing, 8)
	marked := make(chan error, 1)
	go func() { marked <- s.mark(context.WithoutCancel(parent), st, acked, cancel) }()

	// Two senders: to a folder, so that one batch's fsyncs overlap the
	// next one's; to a collector, so that it has the next batch of a desk
	// with a backlog at hand while it stores one, and stores them together
	// (a desk's 1M pending contacts over loopback: 35 -> 26 s).
	senders := 2
	var (
		wg      sync.WaitGroup
		errOnce sync.Once
		sendErr error
	)
	for range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for o := range ready {
				if ctx.Err() != nil {
					continue // drain, so that the reader ends
				}
				if dry {
					st.add(func(r *Report) {
						r.Batches, r.Contacts, r.Bytes = r.Batches+1, r.Contacts+len(o.batch.Contacts), r.Bytes+len(o.doc)
					})
					continue
				}
				// A batch in flight is not cut off when the other sender
				// fails (ctx): the target may have stored it, and its
				// answer marks it sent. Only the caller's ctx stops it.
				if err := s.deliver(parent, o, st, acked); err != nil {
					errOnce.Do(func() { sendErr = err })
					cancel()
				}
			}
		}()
	}
	wg.Wait()
	close(acked)
	markErr := <-marked
	rep := st.report()
	switch err := errors.Join(sendErr, markErr, readErr); {
	case sendErr != nil:
		return rep, sendErr
	case err != nil:
		return rep, err
	case empty:
		// Nothing to send: say whether the target is there.
		return rep, s.target.Check(parent)
	}
	return rep, nil
}

// runState is the report of a run, which its goroutines fill in.
type runState struct {
	mu  sync.Mutex
	rep Report
}

func (st *runState) add(f func(r *Report)) {
	st.mu.Lock()
	defer st.mu.Unlock()
	f(&st.rep)
}

func (st *runState) report() Report {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.rep
}

// outgoing is a batch ready to send, and then the target's answer.
type outgoing struct {
	piece *piece
	batch *Batch
	doc   []byte
	res   Result
}

// read turns the outbox, page by page, into batches on ready. empty says
// that there was nothing to send at all.
func (s *Syncer) read(ctx context.Context, st *runState, ready chan<- *outgoing) (empty bool, err error) {
	after := ""
	for first := true; ; first = false {
		page, err := s.outbox.Pending(ctx, after, pageSize)
		if err != nil {
			return false, err
		}
		if len(page) == 0 {
			return first, nil
		}
		after = page[len(page)-1].ID
		var held []string
		pieces, err := s.cut(ctx, page, &held)
		if len(held) > 0 {
			st.add(func(r *Report) { r.HeldBack = append(r.HeldBack, held...) })
		}
		if err != nil {
			return false, err
		}
		for _, p := range pieces {
			o, err := s.prepare(p)
			if err != nil {
				return false, err
			}
			select {
			case ready <- o:
			case <-ctx.Done():
				return false, nil
			}
		}
	}
}

// prepare gives a piece a batch id and encodes it.
func (s *Syncer) prepare(p *piece) (*outgoing, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return nil, fmt.Errorf("make batch id: %w", err)
	}
	b := &Batch{ID: id.String(), Agent: s.opt.Agent, Site: s.opt.Site, Created: s.opt.Now(), Contacts: p.contacts}
	return &outgoing{piece: p, batch: b, doc: s.document(b, p)}, nil
}

// mark records acknowledged batches as synced, in arrival order, all that
// are waiting in one transaction, and then counts them as sent. If that
// fails it stops the run.
func (s *Syncer) mark(ctx context.Context, st *runState, acked <-chan *outgoing, stop func()) error {
	for o := range acked {
		group := []*outgoing{o}
	more:
		for {
			select {
			case o, ok := <-acked:
				if !ok {
					break more
				}
				group = append(group, o)
			default:
				break more
			}
		}
		var revs []store.Revision
		for _, o := range group {
			for _, c := range o.batch.Contacts {
				revs = append(revs, store.Revision{ID: c.ID, Rev: c.Rev})
			}
		}
		if _, err := s.outbox.MarkSynced(ctx, revs); err != nil {
			stop()
			for range acked {
			}
			return fmt.Errorf("%s took batch %s, but marking its contacts synced failed (the next sync sends them again, harmlessly): %w",
				s.target, group[0].batch.ID, err)
		}
		for _, o := range group {
			st.add(func(r *Report) {
				r.Batches++
				r.Contacts += len(o.batch.Contacts)
				r.Accepted += o.res.Accepted
				r.Duplicate += o.res.Duplicate
				r.Stale += o.res.Stale
				r.Bytes += len(o.doc)
			})
			if s.opt.Sent != nil {
				s.opt.Sent(Sent{Result: o.res, Bytes: len(o.doc)})
			}
		}
	}
	return nil
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
func (s *Syncer) cut(ctx context.Context, page []store.Contact, held *[]string) ([]*piece, error) {
	now := s.opt.Now()
	var out []*piece
	cur := &piece{size: headerBytes}
	var buf []byte
	for i := range page {
		c := &page[i]
		if err := checkContact(c); err != nil {
			*held = append(*held, fmt.Sprintf("contact %s: %v", c.ID, err))
			continue
		}
		if err := checkTimes(c, now); err != nil {
			*held = append(*held, fmt.Sprintf("contact %s: %v", c.ID, err))
			continue
		}
		tax, err := s.taxonomy(ctx, c.TaxonomyVersion)
		if errors.Is(err, store.ErrUnknownTaxonomy) {
			*held = append(*held, fmt.Sprintf("contact %s: taxonomy version %s is not stored on this desk", c.ID, c.TaxonomyVersion))
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
	v, yaml, err := s.outbox.TaxonomySource(ctx, version)
	if err != nil {
		return nil, err
	}
	t = appendTaxonomy(nil, &Taxonomy{Version: version, ID: v.TaxonomyID, Revision: v.Revision, YAML: yaml})
	s.mu.Lock()
	s.tax[version] = t
	s.mu.Unlock()
	return t, nil
}

// deliver sends one batch and passes it on to be marked; a batch the
// target finds too large is sent again in two halves.
func (s *Syncer) deliver(ctx context.Context, o *outgoing, st *runState, acked chan<- *outgoing) error {
	res, err := s.target.Send(ctx, o.batch, o.doc)
	if errors.Is(err, ErrTooLarge) {
		p := o.piece
		if len(p.contacts) == 1 {
			st.add(func(r *Report) { r.HeldBack = append(r.HeldBack, fmt.Sprintf("contact %s: %v", p.contacts[0].ID, err)) })
			return nil
		}
		half := len(p.contacts) / 2
		for _, part := range [][]store.Contact{p.contacts[:half], p.contacts[half:]} {
			o, err := s.prepare(s.repiece(part))
			if err != nil {
				return err
			}
			if err := s.deliver(ctx, o, st, acked); err != nil {
				return err
			}
		}
		return nil
	}
	if err != nil {
		return err
	}
	o.res = res
	acked <- o
	return nil
}

// repiece encodes part of a piece as a piece of its own.
func (s *Syncer) repiece(cs []store.Contact) *piece {
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
