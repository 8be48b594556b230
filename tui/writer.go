package tui

import (
	"context"
	"errors"
	"time"

	tea "charm.land/bubbletea/v2"

	"whycall/store"
)

// writeDoneMsg reports one store write: the contact as stored, or why the
// write failed.
type writeDoneMsg struct {
	track int
	seq   int
	c     store.Contact
	err   error
}

// retryMsg asks to send a failed write again.
type retryMsg struct{ track, seq int }

// afterFunc returns a command that delivers msg after d. It is tea.Tick in
// the app and a recorder in tests, so tests never sleep.
type afterFunc func(d time.Duration, msg tea.Msg) tea.Cmd

func teaAfter(d time.Duration, msg tea.Msg) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return msg })
}

// track is the write queue of one contact. Writes to a contact are applied
// in order, one at a time (a commit takes well under a millisecond), so the
// store always sees the changes in the order the agent made them.
type track struct {
	key int
	// id is the contact's id, known once StartDraft has been stored.
	id string
	// confirmed is the contact as the store last returned it; stored says
	// whether there is one yet.
	confirmed store.Contact
	stored    bool
	// queue holds the writes not yet stored; queue[0] is in flight when busy.
	queue []op
	busy  bool
	seq   int
	// snaps holds the stored state after each write, by seq (0 = as
	// loaded), for undo.
	snaps map[int]store.Contact
	// failures counts consecutive failures of queue[0]; err is the last one.
	failures int
	err      error
	// closed tracks take no more writes and are dropped once drained.
	closed bool
}

// shown is the contact as the screen shows it: as stored, with the queued
// writes applied on top.
func (t *track) shown() store.Contact {
	c := t.confirmed
	for _, o := range t.queue {
		c = o.apply(c)
	}
	return c
}

// idle reports whether every write of the track is stored.
func (t *track) idle() bool { return len(t.queue) == 0 }

// writer owns every track and turns writes into commands.
type writer struct {
	store  Store
	ctx    context.Context
	after  afterFunc
	tracks map[int]*track
	next   int
}

func newWriter(ctx context.Context, s Store, after afterFunc) *writer {
	return &writer{store: s, ctx: ctx, after: after, tracks: map[int]*track{}}
}

// open starts a track, for a contact already stored (c) or one to be
// started by its first write (nil).
func (w *writer) open(c *store.Contact) *track {
	w.next++
	t := &track{key: w.next, snaps: map[int]store.Contact{}}
	if c != nil {
		t.confirmed, t.stored, t.id = *c, true, c.ID
		t.snaps[0] = *c
	}
	w.tracks[t.key] = t
	return t
}

// get returns the track with key, or nil.
func (w *writer) get(key int) *track { return w.tracks[key] }

// push queues o on t and sends it if nothing else is in flight.
func (w *writer) push(t *track, o op) tea.Cmd {
	t.seq++
	o.seq = t.seq
	t.queue = append(t.queue, o)
	if t.busy || t.err != nil {
		// In flight, or failing and waiting for its retry: keep the order.
		return nil
	}
	return w.send(t)
}

// send starts the write at the head of t's queue.
func (w *writer) send(t *track) tea.Cmd {
	for len(t.queue) > 0 {
		o := t.queue[0]
		if o.kind == opRestore {
			snap, ok := t.snaps[o.toSeq]
			if !ok {
				// The state to go back to was never stored (its write
				// was refused); nothing to undo to.
				t.queue = t.queue[1:]
				continue
			}
			o.restore = snap
			o.restore.ID = t.id
		}
		if o.kind == opUndelete {
			// Every earlier op is stored: confirmed is the tombstone.
			o.restore = t.confirmed
			o.restore.Deleted = false
		}
		if o.kind != opStart && t.id == "" {
			// The contact was never created; later writes have no target.
			t.queue = t.queue[1:]
			continue
		}
		t.busy = true
		ctx, s, id, key := w.ctx, w.store, t.id, t.key
		return func() tea.Msg {
			c, err := o.run(ctx, s, id)
			return writeDoneMsg{track: key, seq: o.seq, c: c, err: err}
		}
	}
	w.dropIfDone(t)
	return nil
}

func (w *writer) dropIfDone(t *track) {
	if t.closed && t.idle() {
		delete(w.tracks, t.key)
	}
}

// writeResult is what one finished write means for the screen.
type writeResult struct {
	t         *track
	o         op
	stored    bool  // the write is durable
	recovered bool  // … after failing before
	refused   error // the store refused it for good; it was dropped
	failed    error // it failed and will be retried
	retryIn   time.Duration
}

// done handles a writeDoneMsg. ok is false for a stale message.
func (w *writer) done(msg writeDoneMsg) (r writeResult, cmd tea.Cmd, ok bool) {
	t := w.tracks[msg.track]
	if t == nil || !t.busy || len(t.queue) == 0 || t.queue[0].seq != msg.seq {
		return r, nil, false
	}
	t.busy = false
	r.t, r.o = t, t.queue[0]
	switch {
	case msg.err == nil:
		t.confirmed, t.stored, t.id = msg.c, true, msg.c.ID
		t.snaps[msg.seq] = msg.c
		t.queue = t.queue[1:]
		r.stored, r.recovered = true, t.failures > 0
		t.failures, t.err = 0, nil
	case permanent(msg.err):
		r.refused = msg.err
		t.failures, t.err = 0, nil
		if errors.Is(msg.err, store.ErrNotFound) || errors.Is(msg.err, store.ErrDeleted) {
			t.queue = nil // the contact is gone: nothing queued can apply
			t.closed = true
		} else {
			t.queue = t.queue[1:]
		}
	default:
		t.failures++
		t.err = msg.err
		r.failed = msg.err
		r.retryIn = backoff(t.failures)
		return r, w.after(r.retryIn, retryMsg{track: t.key, seq: msg.seq}), true
	}
	return r, w.send(t), true
}

// retry sends the head of a track again after a failure.
func (w *writer) retry(msg retryMsg) tea.Cmd {
	t := w.tracks[msg.track]
	if t == nil || t.busy || len(t.queue) == 0 || t.queue[0].seq != msg.seq {
		return nil
	}
	return w.send(t)
}

// pending counts the writes not yet stored.
func (w *writer) pending() int {
	n := 0
	for _, t := range w.tracks {
		n += len(t.queue)
	}
	return n
}

// failing returns the failing track with the lowest key, or nil.
func (w *writer) failing() *track {
	var f *track
	for _, t := range w.tracks {
		if t.err != nil && (f == nil || t.key < f.key) {
			f = t
		}
	}
	return f
}

// permanent reports whether retrying err cannot help.
func permanent(err error) bool {
	return errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrDeleted) ||
		errors.Is(err, store.ErrFinished) || errors.Is(err, store.ErrDraft) ||
		errors.Is(err, store.ErrInvalid) || errors.Is(err, context.Canceled)
}

// backoff is the wait before retry n (1, 2, …): 0.5 s doubling to 30 s.
func backoff(n int) time.Duration {
	d := 500 * time.Millisecond
	for i := 1; i < n && d < 30*time.Second; i++ {
		d *= 2
	}
	return min(d, 30*time.Second)
}
