package tui

import (
	"context"
	"errors"
	"slices"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"whycall/report"
	"whycall/store"
)

// The team lead's summary screen (S): the figures of `whycall summary` for
// one day, the reasons to fix first as a table to pick from, a reason's
// recent notes and 28-day sparkline, a filter by owner. Summaries are
// computed in commands on the one SummarySource of the screen; a result
// for a day no longer shown is dropped, and computed past days are kept so
// stepping back and forth is instant.

// summaryHint is the status line's word on the summary screen.
const summaryHint = "Team summary: ←/→ changes the day, enter shows a reason, esc goes back."

// summaryCacheSize is how many computed days the screen keeps.
const summaryCacheSize = 8

// notesLimit is how many of a reason's notes the details read.
const notesLimit = 100

// notesDays is how far back the details read a reason's notes: the 28-day
// window of the sparkline, and the day itself.
const notesDays = 28

// sumKey names one computed summary.
type sumKey struct {
	day  report.Day
	team string
}

// Messages of the summary screen.
type (
	summaryMsg struct {
		gen int
		key sumKey
		sum *report.Summary
		err error
	}
	notesMsg struct {
		gen    int
		key    sumKey
		reason string
		notes  []store.ReasonNote
		err    error
	}
)

// summaryView is the summary screen's state.
type summaryView struct {
	src  SummarySource
	key  sumKey
	sum  *report.Summary
	err  error
	busy bool
	// gen numbers the requests; only the answer to the latest is shown.
	gen    int
	cancel context.CancelFunc
	cache  map[sumKey]*report.Summary
	order  []sumKey
	// owner filters the reasons, owners and praise shown ("" for all).
	owner string

	// The page: its lines, where the table's rows are, and the selection.
	page page
	sel  int
	vp   viewport.Model

	// detail is the reason whose details are open, or nil.
	detail *reasonDetail
	// pages numbers the layouts of the page and the details alike, so a
	// frame cache never mistakes a new one for an old one.
	pages int
	w, h  int
}

// reasonDetail is one reason's details: its figures, sparkline and notes.
type reasonDetail struct {
	id    string
	gen   int
	notes []store.ReasonNote
	err   error
	busy  bool
	// notesFor is the day and team the notes were read for.
	notesFor sumKey
	page     page
	vp       viewport.Model
}

func newSummaryView(src SummarySource) summaryView {
	return summaryView{src: src, cache: map[sumKey]*report.Summary{}}
}

// setSize sets the body size: a title line, then the scrolled page.
func (v *summaryView) setSize(w, h int) {
	v.w, v.h = w, h
	v.vp.SetWidth(w)
	v.vp.SetHeight(max(1, h-1))
	if d := v.detail; d != nil {
		d.vp.SetWidth(w)
		d.vp.SetHeight(max(1, h-1))
	}
}

// openSummary shows the summary screen with the day shown last (today at
// first). Today's figures move with every contact, so today is computed
// again, its last figures shown meanwhile.
func (m *Model) openSummary() tea.Cmd {
	v := &m.sum
	if v.src == nil {
		m.say(noticeWarn, "No summary on this desk: it needs the contact database.")
		return nil
	}
	cmd := m.commitField()
	_ = m.card.focusField(FocusMenu)
	m.screen = ScreenSummary
	m.say(noticeInfo, summaryHint)
	today := report.DayOf(m.sh.now(), m.sh.loc)
	if v.key.day.IsZero() {
		v.key.day = today
	}
	return tea.Batch(cmd, m.showDay(v.key, v.key.day == today))
}

// showDay shows the summary of k: from the cache, or computed when it is
// not there or fresh figures are asked for (the cached ones stay on screen
// meanwhile). A computation still running for another day is cancelled:
// its answer would be dropped anyway.
func (m *Model) showDay(k sumKey, fresh bool) tea.Cmd {
	v := &m.sum
	same := k == v.key && v.sum != nil
	v.key = k
	v.gen++
	if v.cancel != nil {
		v.cancel()
		v.cancel = nil
	}
	s, cached := v.cache[k]
	switch {
	case cached && !fresh:
		v.busy = false
		v.setSummary(m.sh, s, nil, same)
		return m.reloadNotes()
	case cached:
		v.setSummary(m.sh, s, nil, same)
	case !same:
		v.sum, v.err, v.busy = nil, nil, true
		v.layout(m.sh) // "computing…"
	}
	v.busy = true
	ctx, cancel := context.WithCancel(m.sh.ctx)
	v.cancel = cancel
	src, gen := v.src, v.gen
	return tea.Batch(m.reloadNotes(), func() tea.Msg {
		s, err := src.Summary(ctx, k.day, k.team)
		return summaryMsg{gen: gen, key: k, sum: s, err: err}
	})
}

// handleSummary shows a computed summary, unless the screen has moved on to
// another day since it was asked for.
func (m *Model) handleSummary(msg summaryMsg) (tea.Model, tea.Cmd) {
	v := &m.sum
	if msg.gen != v.gen || msg.key != v.key {
		return m, nil
	}
	v.busy, v.cancel = false, nil
	same := v.sum != nil
	if msg.err != nil {
		m.sh.log.Warn("summary", "day", msg.key.day.String(), "team", msg.key.team, "err", msg.err)
		v.setSummary(m.sh, nil, msg.err, false)
		return m, nil
	}
	v.remember(msg.key, msg.sum)
	v.setSummary(m.sh, msg.sum, nil, same)
	return m, m.reloadNotes()
}

// remember caches a computed summary, dropping the oldest beyond the limit.
func (v *summaryView) remember(k sumKey, s *report.Summary) {
	if _, ok := v.cache[k]; !ok {
		v.order = append(v.order, k)
	}
	v.cache[k] = s
	for len(v.order) > summaryCacheSize {
		delete(v.cache, v.order[0])
		v.order = v.order[1:]
	}
}

// setSummary shows s (or err) and lays out its page, keeping the selected
// reason selected when the new figures list it too; same keeps the scroll
// position (new figures of the day shown).
func (v *summaryView) setSummary(sh *shared, s *report.Summary, err error, same bool) {
	prev, top := v.selectedID(), v.vp.YOffset()
	if s != nil && s == v.sum && same {
		return // the page shows these figures already
	}
	v.sum, v.err = s, err
	v.layout(sh)
	v.sel = 0
	if i := slices.Index(v.page.reasons, prev); i >= 0 {
		v.sel = i
	}
	v.vp.GotoTop()
	if same {
		v.vp.SetYOffset(top)
	}
	if v.detail != nil {
		if s == nil || v.row(v.detail.id) == nil {
			v.detail = nil // the reason has no figures on this day
		} else {
			v.detail.layout(sh, v)
		}
	}
}

// relayout lays the pages out again after a change of size or styles.
func (v *summaryView) relayout(sh *shared) {
	if v.w == 0 || (v.sum == nil && v.err == nil && !v.busy) {
		return
	}
	top := v.vp.YOffset()
	v.layout(sh)
	v.vp.SetYOffset(top)
	if d := v.detail; d != nil {
		top := d.vp.YOffset()
		d.layout(sh, v)
		d.vp.SetYOffset(top)
	}
}

// layout renders the page at the current width, filter and styles.
func (v *summaryView) layout(sh *shared) {
	v.page = summaryPage(sh, v, v.w)
	v.vp.SetContentLines(v.page.lines)
	v.sel = clampInt(v.sel, 0, len(v.page.reasons)-1)
}

// selectedID is the id of the selected reason, or "".
func (v *summaryView) selectedID() string {
	if v.sel < 0 || v.sel >= len(v.page.reasons) {
		return ""
	}
	return v.page.reasons[v.sel]
}

// row returns the summary's row of reason id, or nil.
func (v *summaryView) row(id string) *report.ReasonRow {
	if v.sum == nil {
		return nil
	}
	for i := range v.sum.Reasons {
		if v.sum.Reasons[i].ID == id {
			return &v.sum.Reasons[i]
		}
	}
	return nil
}

func (m *Model) handleSummaryKey(ks keyText) (tea.Model, tea.Cmd) {
	km := &m.sh.keys.Summary
	v := &m.sum
	switch {
	case key.Matches(ks, m.sh.keys.Global.Help):
		m.back, m.screen = m.screen, ScreenHelp
	case key.Matches(ks, km.Close):
		if v.detail != nil {
			v.closeDetail()
			return m, nil
		}
		m.screen = ScreenCapture
	case key.Matches(ks, km.PrevDay):
		return m, m.stepDay(-1)
	case key.Matches(ks, km.NextDay):
		return m, m.stepDay(+1)
	case key.Matches(ks, km.Refresh):
		return m, m.showDay(v.key, true)
	case key.Matches(ks, km.Team):
		return m, m.toggleTeam()
	case key.Matches(ks, km.Owner):
		m.cycleOwner()
	case v.detail != nil:
		return m, m.handleDetailKey(ks)
	case key.Matches(ks, km.Up):
		v.moveSel(-1)
	case key.Matches(ks, km.Down):
		v.moveSel(+1)
	case key.Matches(ks, km.Details):
		return m, m.openDetail()
	case key.Matches(ks, km.Top):
		v.vp.GotoTop()
		v.sel = 0
	default:
		pageKey(&v.vp, km, ks)
	}
	return m, nil
}

// pageKey scrolls vp by a page key; it reports whether ks was one.
func pageKey(vp *viewport.Model, km *SummaryKeys, ks keyText) bool {
	switch {
	case key.Matches(ks, km.PageUp):
		vp.PageUp()
	case key.Matches(ks, km.PageDown):
		vp.PageDown()
	case key.Matches(ks, km.Top):
		vp.GotoTop()
	case key.Matches(ks, km.Bottom):
		vp.GotoBottom()
	default:
		return false
	}
	return true
}

// stepDay moves to the day before or after, never past today.
func (m *Model) stepDay(d int) tea.Cmd {
	v := &m.sum
	today := report.DayOf(m.sh.now(), m.sh.loc)
	next := v.key.day.Add(d)
	if next.After(today) {
		m.say(noticeInfo, "That day has not begun: today is the latest.")
		return nil
	}
	if next.Before(today.Add(-report.MaxDays)) {
		m.say(noticeInfo, "That is as far back as the summary goes.")
		return nil
	}
	m.say(noticeInfo, summaryHint)
	return m.showDay(sumKey{day: next, team: v.key.team}, false)
}

// toggleTeam switches between all teams and the desk's own team.
func (m *Model) toggleTeam() tea.Cmd {
	v := &m.sum
	if m.sh.team == "" {
		m.say(noticeInfo, "All teams: this desk has no team set (config key team).")
		return nil
	}
	k := v.key
	if k.team == "" {
		k.team = m.sh.team
		m.say(noticeInfo, "Team "+m.sh.team+" only; t shows all teams again.")
	} else {
		k.team = ""
		m.say(noticeInfo, "All teams.")
	}
	return m.showDay(k, false)
}

// cycleOwner moves the owner filter to the next owner of the day (in the
// summary's order, most irritant minutes first), and after the last back
// to all owners.
func (m *Model) cycleOwner() {
	v := &m.sum
	if v.sum == nil {
		return
	}
	ids := make([]string, 0, len(v.sum.Owners)+1)
	ids = append(ids, "")
	for _, o := range v.sum.Owners {
		ids = append(ids, o.ID)
	}
	i := slices.Index(ids, v.owner)
	v.owner = ids[(i+1)%len(ids)]
	v.sel = 0
	v.detail = nil
	v.layout(m.sh)
	v.vp.GotoTop()
	if v.owner == "" {
		m.say(noticeInfo, "All owners.")
	} else {
		m.say(noticeInfo, "Owner "+v.ownerLabel()+" only; o moves on to the next owner.")
	}
}

// ownerLabel names the owner filter.
func (v *summaryView) ownerLabel() string {
	if v.sum != nil {
		for _, o := range v.sum.Owners {
			if o.ID == v.owner {
				return o.Label
			}
		}
	}
	return v.owner
}

// moveSel moves the selection through the table's reasons, scrolling the
// page to keep it in sight. With the selection out of sight (after paging)
// or at the table's end, the arrows scroll the page instead, so they read
// the whole page too.
func (v *summaryView) moveSel(d int) {
	n := len(v.page.reasons)
	top, rows := v.vp.YOffset(), v.vp.Height()
	if n == 0 || v.sel+d < 0 || v.sel+d >= n {
		scroll(&v.vp, d)
		return
	}
	if line := v.page.rowLine[v.sel]; line < top || line >= top+rows {
		scroll(&v.vp, d)
		return
	}
	v.sel += d
	line := v.page.rowLine[v.sel]
	switch {
	case line < top:
		v.vp.SetYOffset(line)
	case line >= top+rows:
		v.vp.SetYOffset(line - rows + 1)
	}
}

// scroll moves a viewport d lines down (up for negative d).
func scroll(vp *viewport.Model, d int) {
	if d > 0 {
		vp.ScrollDown(d)
	} else {
		vp.ScrollUp(-d)
	}
}

// openDetail opens the selected reason's details and reads its notes.
func (m *Model) openDetail() tea.Cmd {
	v := &m.sum
	id := v.selectedID()
	if id == "" || v.sum == nil {
		return nil
	}
	v.detail = &reasonDetail{id: id}
	v.detail.vp.SetWidth(v.w)
	v.detail.vp.SetHeight(max(1, v.h-1))
	return m.reloadNotes() // lays the details out, "reading notes…"
}

// reloadNotes reads the open reason's notes for the day and team shown,
// unless they are read already.
func (m *Model) reloadNotes() tea.Cmd {
	v := &m.sum
	d := v.detail
	if d == nil || v.sum == nil || v.row(d.id) == nil || (d.notesFor == v.key && (d.busy || d.notes != nil || d.err != nil)) {
		return nil
	}
	d.gen++
	d.busy, d.notes, d.err, d.notesFor = true, nil, nil, v.key
	d.layout(m.sh, v)
	loc := m.sh.loc
	from, to := v.key.day.Add(-notesDays).Start(loc), v.key.day.End(loc)
	ctx, src, k, id, gen := m.sh.ctx, v.src, v.key, d.id, d.gen
	return func() tea.Msg {
		ns, err := src.ReasonNotes(ctx, k.team, id, from, to, notesLimit)
		return notesMsg{gen: gen, key: k, reason: id, notes: ns, err: err}
	}
}

func (m *Model) handleNotes(msg notesMsg) (tea.Model, tea.Cmd) {
	d := m.sum.detail
	if d == nil || d.id != msg.reason || d.gen != msg.gen || d.notesFor != msg.key {
		return m, nil
	}
	d.busy = false
	d.notes, d.err = msg.notes, msg.err
	if d.notes == nil && d.err == nil {
		d.notes = []store.ReasonNote{}
	}
	if msg.err != nil && !errors.Is(msg.err, context.Canceled) {
		m.sh.log.Warn("reason notes", "reason", msg.reason, "err", msg.err)
	}
	d.layout(m.sh, &m.sum)
	return m, nil
}

// handleDetailKey handles the keys of a reason's details: ↑/↓ go to the
// reason above or below in the table, the page keys scroll.
func (m *Model) handleDetailKey(ks keyText) tea.Cmd {
	km := &m.sh.keys.Summary
	v := &m.sum
	d := v.detail
	switch {
	case key.Matches(ks, km.Up), key.Matches(ks, km.Down):
		step := 1
		if key.Matches(ks, km.Up) {
			step = -1
		}
		i := v.sel + step
		if i < 0 || i >= len(v.page.reasons) {
			return nil
		}
		v.sel = i
		return m.openDetail()
	case key.Matches(ks, km.Details):
		v.closeDetail() // enter again closes the details, like esc
	default:
		pageKey(&d.vp, km, ks)
	}
	return nil
}

// closeDetail goes back from a reason's details to the table, with that
// reason selected and in sight.
func (v *summaryView) closeDetail() {
	v.detail = nil
	if v.sel < len(v.page.rowLine) {
		line, top, rows := v.page.rowLine[v.sel], v.vp.YOffset(), v.vp.Height()
		if line < top || line >= top+rows {
			v.vp.SetYOffset(line - rows/2)
		}
	}
}

// summaryIdle reports whether nothing is being computed for the screen
// (tests and benchmarks wait for it).
func (v *summaryView) summaryIdle() bool { return !v.busy && (v.detail == nil || !v.detail.busy) }
