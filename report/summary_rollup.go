package report

import (
	"strconv"
	"time"

	"whycall/store"
)

// counts are rollup figures summed over reasons and/or days.
type counts struct {
	primary, secondary, handleN         int
	handleMs                            int64
	resolved, notResolved, unknown, ref int
}

func (c *counts) addRow(r *store.ReasonDay) {
	c.primary += r.Primary
	c.secondary += r.Secondary
	c.handleN += r.HandleN
	c.handleMs += r.HandleMs
	c.resolved += r.Resolved
	c.notResolved += r.Unresolved + r.FollowUp + r.Escalated
	c.unknown += r.Unknown
	c.ref += r.Ref
}

func (c *counts) add(o *counts) {
	c.primary += o.primary
	c.secondary += o.secondary
	c.handleN += o.handleN
	c.handleMs += o.handleMs
	c.resolved += o.resolved
	c.notResolved += o.notResolved
	c.unknown += o.unknown
	c.ref += o.ref
}

func (c *counts) minutes() float64 { return float64(c.handleMs) / 60000 }

// rollup is the daily reason rollup of a run of days, indexed by day.
type rollup struct {
	base    Day // index 0
	days    int
	reasons map[string][]counts // per reason, per day
	totals  []counts            // per day, over all reasons (secondary mentions included in secondary only)
}

func newRollup(base, last Day, rows []store.ReasonDay) *rollup {
	r := &rollup{base: base, days: last.Sub(base) + 1, reasons: map[string][]counts{}}
	r.totals = make([]counts, r.days)
	var lastStr string
	idx := -1
	for i := range rows {
		row := &rows[i]
		if row.Day != lastStr {
			lastStr = row.Day
			idx = -1
			if d, ok := parseDayString(row.Day); ok {
				idx = d.Sub(base)
			}
		}
		if idx < 0 || idx >= r.days {
			continue
		}
		per := r.reasons[row.Reason]
		if per == nil {
			per = make([]counts, r.days)
			r.reasons[row.Reason] = per
		}
		per[idx].addRow(row)
		r.totals[idx].addRow(row)
	}
	return r
}

// clip turns the inclusive day range [from, to] into indexes [i, j).
func (r *rollup) clip(from, to Day) (int, int) {
	i, j := max(from.Sub(r.base), 0), min(to.Sub(r.base)+1, r.days)
	return i, max(i, j)
}

// sum adds reason id's counts over [from, to].
func (r *rollup) sum(id string, from, to Day) counts {
	var c counts
	per := r.reasons[id]
	if per == nil {
		return c
	}
	i, j := r.clip(from, to)
	for k := i; k < j; k++ {
		c.add(&per[k])
	}
	return c
}

// total adds all reasons' counts over [from, to].
func (r *rollup) total(from, to Day) counts {
	var c counts
	i, j := r.clip(from, to)
	for k := i; k < j; k++ {
		c.add(&r.totals[k])
	}
	return c
}

// dataDays counts the days in [from, to] with at least one contact.
func (r *rollup) dataDays(from, to Day) int {
	n := 0
	i, j := r.clip(from, to)
	for k := i; k < j; k++ {
		if r.totals[k].primary > 0 {
			n++
		}
	}
	return n
}

// daily returns reason id's primary counts on each day of [from, to]
// (id "" with all set: the totals), and only days with data if dataOnly.
func (r *rollup) daily(id string, all bool, from, to Day, dataOnly bool) []int {
	var out []int
	per := r.reasons[id]
	if all {
		per = r.totals
	}
	for d := from; !to.Before(d); d = d.Add(1) {
		k := d.Sub(r.base)
		if k < 0 || k >= r.days {
			if !dataOnly {
				out = append(out, 0)
			}
			continue
		}
		if dataOnly && r.totals[k].primary == 0 {
			continue
		}
		if per == nil {
			out = append(out, 0)
		} else {
			out = append(out, per[k].primary)
		}
	}
	return out
}

// parseDayString reads a YYYY-MM-DD day without allocating.
func parseDayString(s string) (Day, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Day{}, false
	}
	y, err1 := strconv.Atoi(s[:4])
	m, err2 := strconv.Atoi(s[5:7])
	d, err3 := strconv.Atoi(s[8:])
	if err1 != nil || err2 != nil || err3 != nil || m < 1 || m > 12 || d < 1 || d > 31 {
		return Day{}, false
	}
	return Day{y, time.Month(m), d}, true
}
