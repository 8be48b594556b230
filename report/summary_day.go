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
func (d Day) Add(n int) Day {
	t := time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC)
	return Day{t.Year(), t.Month(), t.Day()}
}

// Sub returns the number of calendar days from e to d.
func (d Day) Sub(e Day) int {
	a := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)
	b := time.Date(e.Year, e.Month, e.Day, 12, 0, 0, 0, time.UTC)
	return int(a.Sub(b).Hours() / 24)
}

// Weekday is the day's weekday.
func (d Day) Weekday() time.Weekday {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
}

// Before reports whether d is earlier than e.
func (d Day) Before(e Day) bool { return d.Sub(e) < 0 }

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
