package report

import (
	"hash/maphash"
	"math"
	"time"
)

// repeats finds repeat contacts as rows pass in start order: a contact is a
// repeat when another contact with the same customer reference started in
// [start − window, start). It forgets references not seen for a window,
// sweeping once per window, so memory follows the contacts of at most two
// windows, not the size of the export.
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

// refSeen is the latest start of a reference and the latest one before
// that, so that contacts starting in the same millisecond do not make each
// other repeats.
type refSeen struct{ last, prev int64 }

const never = math.MinInt64

func newRepeats(window time.Duration) repeats {
	return repeats{
		window:    window.Milliseconds(),
		s1:        maphash.MakeSeed(),
		s2:        maphash.MakeSeed(),
		seen:      map[refKey]refSeen{},
		nextSweep: never,
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
	if !ok {
		r.seen[k] = refSeen{last: at, prev: never}
		return false
	}
	earlier := s.last
	if s.last == at {
		earlier = s.prev
	} else {
		r.seen[k] = refSeen{last: at, prev: s.last}
	}
	return earlier != never && at-earlier <= r.window
}

// sweep forgets the references not seen within the window before at.
func (r *repeats) sweep(at int64) {
	limit := at - r.window
	for k, s := range r.seen {
		if s.last < limit {
			delete(r.seen, k)
		}
	}
	r.nextSweep = at + r.window
}

func (r *repeats) windowDuration() time.Duration {
	return time.Duration(r.window) * time.Millisecond
}
