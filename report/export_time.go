package report

import (
	"math"
	"time"
)

// clock formats unix-millisecond times as local ISO 8601 with the offset,
// e.g. 2025-03-30T03:15:00+02:00, without allocating. It remembers the
// current zone period (when the offset last changed and next changes) and
// the current local day, so most calls are a few divisions and copies.
type clock struct {
	loc *time.Location
	// The offset (seconds east of UTC) holds for unix seconds in
	// [zoneStart, zoneEnd).
	zoneStart, zoneEnd int64
	offset             int64
	offsetText         [6]byte // "+01:00"
	day                int64   // local days since 1970-01-01 that dayText shows
	dayText            [11]byte
}

func newClock(loc *time.Location) clock {
	return clock{loc: loc, zoneStart: 1, zoneEnd: 0, day: math.MinInt64}
}

// append appends the local time of ms, to the second.
func (c *clock) append(b []byte, ms int64) []byte {
	sec := floorDiv(ms, 1000)
	if sec < c.zoneStart || sec >= c.zoneEnd {
		c.setZone(sec)
	}
	local := sec + c.offset
	day := floorDiv(local, 86400)
	if day != c.day {
		c.setDay(day)
	}
	s := local - day*86400
	h, m, ss := s/3600, s/60%60, s%60
	b = append(b, c.dayText[:]...)
	b = append(b, byte('0'+h/10), byte('0'+h%10), ':', byte('0'+m/10), byte('0'+m%10), ':', byte('0'+ss/10), byte('0'+ss%10))
	return append(b, c.offsetText[:]...)
}

func (c *clock) setZone(sec int64) {
	t := time.Unix(sec, 0).In(c.loc)
	_, off := t.Zone()
	start, end := t.ZoneBounds()
	c.offset = int64(off)
	c.zoneStart, c.zoneEnd = math.MinInt64, math.MaxInt64
	if !start.IsZero() {
		c.zoneStart = start.Unix()
	}
	if !end.IsZero() {
		c.zoneEnd = end.Unix()
	}
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	hh, mm := off/3600, off/60%60
	c.offsetText = [6]byte{sign, byte('0' + hh/10), byte('0' + hh%10), ':', byte('0' + mm/10), byte('0' + mm%10)}
	c.day = math.MinInt64 // the same instant may now fall on another local day
}

func (c *clock) setDay(day int64) {
	y, m, d := civil(day)
	c.day = day
	if y < 0 || y > 9999 {
		y = max(0, min(y, 9999))
	}
	c.dayText = [11]byte{
		byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
		byte('0' + m/10), byte('0' + m%10), '-', byte('0' + d/10), byte('0' + d%10), 'T',
	}
}

// civil turns days since 1970-01-01 into a proleptic Gregorian date
// (Howard Hinnant's days_from_civil, inverted).
func civil(days int64) (y, m, d int64) {
	z := days + 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
