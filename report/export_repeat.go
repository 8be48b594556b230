package report

import (
	"hash/maphash"
	"time"
)

// repeats finds repeat contacts as rows pass in start order: a contact is a
// repeat when another contact with the same customer reference started in
// [start − window, start). It forgets references not seen for a window,
// sweeping four times per window, so memory follows the contacts of at most
// one and a quarter windows, not the size of the export.
//
// References are keyed by a 128-bit hash (two maphash seeds), so looking
// one up never allocates; two different references would have to collide
// in all 128 bits to be mistaken for each other.
type repeats struct {
	window    int64 // ms
	s1, s2    maphash.Seed
	seen      map[refKey]refSeen
	nextSweep int64
}

type refKey [2]uint64

// refSeen packs the latest start of a reference (ms) and whether that
// contact was a repeat: start<<1 | repeat. A later contact in the same
// millisecond is a repeat exactly when that one was, since both look back
// at the same earlier contacts.
type refSeen int64

func (s refSeen) last() int64  { return int64(s) >> 1 }
func (s refSeen) repeat() bool { return s&1 == 1 }
func seenAt(at int64, rep bool) refSeen {
	if rep {
		return refSeen(at<<1 | 1)
	}
	return refSeen(at << 1)
}

func newRepeats(window time.Duration) repeats {
	return repeats{
		window: window.Milliseconds(),
		s1:     maphash.MakeSeed(),
		s2:     maphash.MakeSeed(),
		seen:   map[refKey]refSeen{},
	}
}

// observe records a contact with reference ref starting at at (unix ms, not
// before any earlier call) and reports whether it is a repeat.
func (r *repeats) observe(ref []byte, at int64) bool {
	if at >= r.nextSweep {
		r.sweep(at)
	}
	k := refKey{maphash.Bytes(r.s1, ref), maphash.Bytes(r.s2, ref)}
	s, ok := r.seen[k]
	if ok && s.last() == at {
		return s.repeat()
	}
	rep := ok && at-s.last() <= r.window
	r.seen[k] = seenAt(at, rep)
	return rep
}

// sweep forgets the references not seen within the window before at.
func (r *repeats) sweep(at int64) {
	limit := at - r.window
	for k, s := range r.seen {
		if s.last() < limit {
			delete(r.seen, k)
		}
	}
	r.nextSweep = at + max(r.window/4, 1)
}

func (r *repeats) windowDuration() time.Duration {
	return time.Duration(r.window) * time.Millisecond
}
