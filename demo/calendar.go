package demo

import (
	"math"
	"time"
)

// weekdayVolume is each weekday's contact volume relative to a Thursday:
// Monday is the peak (the weekend's problems arrive), Friday tails off, the
// weekend has short opening hours and few contacts.
var weekdayVolume = [7]float64{
	time.Sunday:    0.22,
	time.Monday:    1.28,
	time.Tuesday:   1.12,
	time.Wednesday: 1.05,
	time.Thursday:  1.00,
	time.Friday:    0.88,
	time.Saturday:  0.36,
}

// openHours are the local opening hours [from, to) per weekday.
func openHours(wd time.Weekday) (from, to int) {
	switch wd {
	case time.Saturday:
		return 10, 16
	case time.Sunday:
		return 12, 16
	}
	return 8, 20
}

// slotMinutes is the width of one slot of the hour-of-day profile.
const slotMinutes = 15

// hourShape is the relative arrival rate at local hour h (a fraction, e.g.
// 11.75) on weekday wd: a ramp after opening, a morning peak (higher on
// Mondays), a lunch dip while half the floor is at lunch and the queue is
// long, a second smaller peak, and a slow evening decline.
func hourShape(wd time.Weekday, h float64) float64 {
	if wd == time.Saturday || wd == time.Sunday {
		if h >= 12 && h < 13 {
			return 0.65
		}
		return 0.85
	}
	var s float64
	switch {
	case h < 9:
		s = 0.55 + 0.45*(h-8)
	case h < 11.5:
		s = 1.0 + 0.06*math.Exp(-(h-10)*(h-10))
	case h < 12.75:
		s = 0.70
	case h < 15:
		s = 0.93
	case h < 17:
		s = 0.93 - 0.12*(h-15)
	default:
		s = 0.55 - 0.10*(h-17)
	}
	if wd == time.Monday && h < 12 {
		s *= 1.10
	}
	return s
}

// daySlots returns the start (unix ms) and cumulative weight of each
// opening-hours slot of the local day y-m-d. Slot starts come from
// time.Date, so a day on which summer time begins or ends still opens at
// 08:00 on the wall clock.
func daySlots(y int, m time.Month, d int, loc *time.Location) (starts []int64, cum []float64) {
	wd := time.Date(y, m, d, 12, 0, 0, 0, loc).Weekday()
	from, to := openHours(wd)
	total := 0.0
	for min := from * 60; min < to*60; min += slotMinutes {
		starts = append(starts, time.Date(y, m, d, min/60, min%60, 0, 0, loc).UnixMilli())
		total += hourShape(wd, (float64(min)+slotMinutes/2.0)/60)
		cum = append(cum, total)
	}
	return starts, cum
}
