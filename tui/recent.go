package tui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"whycall/store"
)

// recentLimit bounds today's list; the query is index-bound by start time,
// so start-up does not depend on the size of the database.
const recentLimit = 200

// recentMsg carries today's contacts, newest first.
type recentMsg struct {
	items []store.Contact
	err   error
}

// loadRecent reads today's contacts of agent (since local midnight).
func loadRecent(ctx context.Context, s Store, agent string, since time.Time) tea.Cmd {
	return func() tea.Msg {
		items, err := s.Recent(ctx, agent, since, recentLimit)
		return recentMsg{items: items, err: err}
	}
}

// recentList is today's contacts, to pick one to edit or delete.
type recentList struct {
	items  []store.Contact
	cur    int
	off    int
	loaded bool
	err    error
	w, h   int
}

func (r recentList) rows() int { return max(1, r.h-2) }

func (r recentList) move(d int) recentList {
	r.cur = clampInt(r.cur+d, 0, len(r.items)-1)
	r.off = scrollTo(r.off, r.cur, r.rows(), len(r.items))
	return r
}

// set replaces the items, keeping the highlight on the same contact.
func (r recentList) set(items []store.Contact) recentList {
	if !r.loaded {
		r.cur = 0
	}
	id := ""
	if r.cur < len(r.items) {
		id = r.items[r.cur].ID
	}
	r.items, r.loaded, r.err = items, true, nil
	r.cur = 0
	for i, c := range items {
		if c.ID == id {
			r.cur = i
		}
	}
	return r.move(0)
}

// selected returns the highlighted contact.
func (r recentList) selected() (store.Contact, bool) {
	if r.cur < 0 || r.cur >= len(r.items) {
		return store.Contact{}, false
	}
	return r.items[r.cur], true
}

// count is the number of contacts saved today, as shown in the card.
func (r recentList) count() int { return len(r.items) }

// view returns the list as r.h lines of r.w columns.
func (r recentList) view(sh *shared) []string {
	st := sh.styles
	lines := make([]string, 0, r.h)
	title := "TODAY · " + plural(len(r.items), "contact")
	if len(r.items) >= recentLimit {
		title = "TODAY · latest " + itoa(recentLimit) + " contacts"
	}
	lines = append(lines, spread(paint(st.ink.PaneTitle, title), paint(st.ink.Dim, "enter edit · D delete · esc back"), r.w))
	const timeW, durW, outW, chW = 7, 8, 11, 6
	reasonW := max(10, r.w-timeW-durW-outW-chW-2)
	lines = append(lines, paint(st.ink.Label, fit(" time", timeW)+fit("handle", durW)+fit("reasons", reasonW)+fit("outcome", outW)+fit("chan", chW)))
	switch {
	case r.err != nil:
		lines = append(lines, fit(paint(st.ink.Error, " ⚠ could not read today's contacts: "+r.err.Error()), r.w))
	case !r.loaded:
		lines = append(lines, paint(st.ink.Dim, " reading…"))
	case len(r.items) == 0:
		lines = append(lines, paint(st.ink.Dim, " nothing saved today yet"))
	}
	for i := r.off; i < len(r.items) && len(lines) < r.h; i++ {
		c := r.items[i]
		reasons := ""
		if len(c.Reasons) > 0 {
			reasons = sh.idx.label(c.Reasons[0], sh.locale)
			if len(c.Reasons) > 1 {
				reasons += " +" + itoa(len(c.Reasons)-1)
			}
		}
		if c.CustomerRef != "" {
			reasons += " · ref ✓"
		}
		row := fit(" "+c.StartedAt.In(sh.loc).Format("15:04"), timeW) + fit(duration(c.Duration()), durW) +
			fit(reasons, reasonW) + fit(outcomeWord(c.Outcome), outW) + fit(string(c.Channel), chW)
		if i == r.cur {
			lines = append(lines, paint(st.ink.Selected, fit("▸"+row[1:], r.w)))
		} else {
			lines = append(lines, fit(row, r.w))
		}
	}
	for len(lines) < r.h {
		lines = append(lines, spaces(r.w))
	}
	return lines
}

func outcomeWord(o store.Outcome) string {
	switch o {
	case store.OutcomeFollowUp:
		return "follow-up"
	case store.OutcomeUnknown, "":
		return "—"
	}
	return string(o)
}

// duration formats a handle time as m:ss (h:mm:ss from an hour).
func duration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int(d / time.Second)
	if s >= 3600 {
		return itoa(s/3600) + ":" + two(s/60%60) + ":" + two(s%60)
	}
	return itoa(s/60) + ":" + two(s%60)
}

func two(n int) string {
	if n < 10 {
		return "0" + itoa(n)
	}
	return itoa(n)
}
