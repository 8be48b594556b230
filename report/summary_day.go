package report

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Day is a calendar day, independent of any time zone. Its bounds in a zone
// come from time.Date, so DST days have 23 or 25 hours.
type Day struct {
	Year  int
	Month time.Month
	Day   int
}

// DayOf returns the calendar day of t in loc.
func DayOf(t time.Time, loc *time.Location) Day {
	y, m, d := t.In(loc).Date()
	return Day{y, m, d}
}

// Start is the first instant of the day in loc.
func (d Day) Start(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// End is the first instant of the next day in loc.
func (d Day) End(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day+1, 0, 0, 0, 0, loc)
}

// Add returns the day n calendar days later (earlier for negative n).
func (d Day) Add(n int) Day { return fromOrdinal(d.ordinal() + n) }

// Sub returns the number of calendar days from e to d.
func (d Day) Sub(e Day) int { return d.ordinal() - e.ordinal() }

// Weekday is the day's weekday.
func (d Day) Weekday() time.Weekday {
	return time.Weekday(((d.ordinal()+4)%7 + 7) % 7) // 1970-01-01 was a Thursday
}

// ordinal is the number of days since 1970-01-01 in the proleptic Gregorian
// calendar (H. Hinnant's days_from_civil), so day arithmetic needs no time
// zone and no time.Date.
func (d Day) ordinal() int {
	y, m := d.Year, int(d.Month)
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d.Day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// fromOrdinal is the inverse of ordinal (civil_from_days).
func fromOrdinal(z int) Day {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return Day{y, time.Month(m), day}
}

// Before reports whether d is earlier than e.
func (d Day) Before(e Day) bool { return d.Sub(e) < 0 }

// After reports whether d is later than e.
func (d Day) After(e Day) bool { return d.Sub(e) > 0 }

// IsZero reports whether d is the zero Day.
func (d Day) IsZero() bool { return d == Day{} }

// String formats the day as YYYY-MM-DD, as the rollup stores it.
func (d Day) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

// ErrBadDate means a date argument is neither YYYY-MM-DD, today nor yesterday.
var ErrBadDate = errors.New("unknown date format")

// ErrFutureDate means the date asked for has not begun yet.
var ErrFutureDate = errors.New("date is in the future")

// ParseDay reads "today", "yesterday" or a YYYY-MM-DD date, relative to now
// in loc. A day after today is refused with ErrFutureDate.
func ParseDay(s string, now time.Time, loc *time.Location) (Day, error) {
	today := DayOf(now, loc)
	var d Day
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "today":
		return today, nil
	case "yesterday":
		return today.Add(-1), nil
	default:
		t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), loc)
		if err != nil {
			return Day{}, fmt.Errorf("date %q: %w: want YYYY-MM-DD, today or yesterday", s, ErrBadDate)
		}
		d = DayOf(t, loc)
	}
	if today.Before(d) {
		return Day{}, fmt.Errorf("date %s: %w (today is %s)", d, ErrFutureDate, today)
	}
	return d, nil
}
