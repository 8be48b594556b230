package tui

import (
	"strings"
	"time"

	"whycall/store"
)

// renderCache memoises the parts of the frame that change rarely, so a key
// press re-renders only what it changed. Keys include shared.gen, which
// changes with the size and the styles.
type renderCache struct {
	summary frameCache
	header  lineCache[headerKey]
	desc    lineCache[descKey]
	status  lineCache[statusKey]
	foot    footerCache
	rulesAt int
	hrule   string
	vrule   string
	lastLen int
}

// lineCache holds one rendered line and the key it was rendered for.
type lineCache[K comparable] struct {
	key  K
	line string
	ok   bool
}

func (c *lineCache[K]) get(k K, render func() string) string {
	if !c.ok || c.key != k {
		c.line, c.key, c.ok = render(), k, true
	}
	return c.line
}

func newRenderCache() *renderCache { return &renderCache{rulesAt: -1} }

// render draws the frame: header, rule, body, description, rule, status and
// footer, exactly h lines of w columns.
func (m *Model) render() string {
	sh, c := m.sh, m.cache
	if sh.w == 0 || sh.h == 0 {
		return ""
	}
	if m.tooSmall() {
		return m.renderTooSmall()
	}
	if c.rulesAt != sh.gen {
		c.hrule = paint(sh.styles.ink.Rule, strings.Repeat("─", sh.w))
		c.vrule = " " + paint(sh.styles.ink.Rule, "│") + " "
		c.rulesAt = sh.gen
	}
	// Lines are written without their trailing blanks: the renderer clears
	// the screen buffer before drawing a frame, and every cell not sent is a
	// cell it does not have to parse and diff.
	var b strings.Builder
	b.Grow(c.lastLen + 64)
	line := func(s string) {
		b.WriteString(strings.TrimRight(s, " "))
		b.WriteByte('\n')
	}
	line(m.headerLine())
	line(c.hrule)
	bodyH := max(1, sh.h-6)
	switch m.screen {
	case ScreenCapture:
		var left []string
		if m.card.focus == FocusSearch {
			left = m.search.view(sh, m.card.slot.c.Reasons)
		} else {
			left = m.menu.view(sh, m.card.slot.c.Reasons, m.card.focus == FocusMenu)
		}
		right := m.card.view(sh, m.durability(), m.recent.count())
		for i := range bodyH {
			b.WriteString(left[i])
			b.WriteString(c.vrule)
			line(right[i])
		}
	case ScreenRecent:
		for _, l := range m.recent.view(sh) {
			line(l)
		}
	case ScreenSummary:
		for _, l := range m.sum.view(sh, &c.summary) {
			line(l)
		}
	case ScreenHelp:
		for _, l := range helpScreen(sh, m.back, sh.w, bodyH+1) {
			line(l)
		}
	default:
		line(fit(paint(sh.styles.ink.Error, "⚠ impossible screen "+m.screen.String()+": press esc"), sh.w))
		for range bodyH - 1 {
			line("")
		}
	}
	if m.screen != ScreenHelp {
		line(m.descLine())
	}
	line(c.hrule)
	line(m.statusLine())
	b.WriteString(strings.TrimRight(c.foot.render(sh, m.footerState(), sh.w), " "))
	c.lastLen = b.Len()
	return b.String()
}

// durability says whether the card's contact is on disk.
func (m *Model) durability() durability {
	t := m.w.get(m.card.slot.track)
	switch {
	case t == nil:
		return durNone
	case t.err != nil:
		return durFailing
	case !t.idle():
		return durWriting
	}
	return durStored
}

type headerKey struct {
	sec            int64
	started        time.Time
	channel        store.Channel
	syncVer, w     int
	gen            int
	syncOff, ready bool
	editing, stale bool
}

// headerLine shows who is working, the contact's timer and channel, the
// sync slot and the clock.
func (m *Model) headerLine() string {
	sh := m.sh
	s := &m.card.slot
	k := headerKey{sec: m.clock.Unix(), started: s.started, channel: s.c.Channel, syncVer: m.sync.ver(),
		w: sh.w, gen: sh.gen, syncOff: m.syncFn == nil, ready: s.started.IsZero(), editing: s.editing, stale: s.stale}
	return m.cache.header.get(k, func() string {
		st := sh.styles
		left := paint(st.ink.App, "whycall") + paint(st.ink.Dim, " · ") + paint(st.ink.Header, sh.agent)
		if sh.team != "" {
			left += paint(st.ink.Dim, " · ") + paint(st.ink.Header, sh.team)
		}
		timer := paint(st.ink.Dim, "○ ready")
		switch {
		case s.editing:
			timer = paint(st.ink.Warn, "✎ editing "+s.c.StartedAt.In(sh.loc).Format("15:04")) + " " +
				paint(st.ink.Header, channelText(s.c.Channel))
		case s.stale:
			// Left behind long ago: the call ended at its last change.
			timer = paint(st.ink.Warn, "◼ "+duration(s.endAt.Sub(s.started))+" ended "+sh.when(s.endAt)) + " " +
				paint(st.ink.Header, channelText(s.c.Channel))
		case !s.started.IsZero():
			timer = paint(st.ink.Clock, "● "+duration(m.clock.Sub(s.started))) + " " + paint(st.ink.Header, channelText(s.c.Channel))
		}
		right := m.syncText() + paint(st.ink.Dim, " │ ") + paint(st.ink.Clock, m.clock.In(sh.loc).Format("15:04"))
		return spread(" "+left+"   "+timer, right+" ", sh.w)
	})
}

// ver identifies the sync state for the header cache.
func (s syncSlot) ver() int {
	if !s.has {
		return 0
	}
	h := s.state.Pending*31 + int(s.state.LastSync.Unix()%1_000_000)*7 + len(s.state.LastErr)
	if s.err != nil {
		h = -h - 1
	}
	return h
}

func (m *Model) syncText() string {
	st := m.sh.styles
	s := m.sync
	switch {
	case m.syncFn == nil:
		return paint(st.ink.Dim, "sync off")
	case !s.has:
		return paint(st.ink.Dim, "sync …")
	case s.err != nil:
		return paint(st.ink.Error, "⚠ sync unknown")
	case s.state.LastErr != "":
		return paint(st.ink.Error, "⚠ sync failing · "+itoa(s.state.Pending)+" pending")
	case s.state.Pending > 0:
		return paint(st.ink.Warn, "sync · "+itoa(s.state.Pending)+" pending")
	case s.state.LastSync.IsZero():
		return paint(st.ink.Dim, "sync · nothing yet")
	}
	return paint(st.ink.OK, "✓ synced "+s.state.LastSync.In(m.sh.loc).Format("15:04"))
}

type descKey struct {
	screen                   Screen
	focus                    Focus
	level, cur, rcur, rec, w int
	gen, ver                 int
	confirm                  *confirmation
	recentLen                int
	searchSel                string
	sumPage, sumSel          int
}

// descLine explains what is highlighted: a reason's description, what a
// field is for, or the highlighted contact of today's list.
func (m *Model) descLine() string {
	sh := m.sh
	k := descKey{screen: m.screen, focus: m.card.focus, level: m.menu.level, cur: m.menu.cur, rcur: m.menu.rcur,
		rec: m.recent.cur, w: sh.w, gen: sh.gen, ver: m.card.slot.ver, recentLen: len(m.recent.items)}
	if r := m.search.picked(); m.card.focus == FocusSearch && r != nil {
		k.searchSel = r.ID
	}
	if m.screen == ScreenSummary {
		k.sumPage, k.sumSel = m.sum.page.ver, m.sum.sel
		if m.sum.detail != nil {
			k.sumSel = -1
		}
	}
	return m.cache.desc.get(k, func() string {
		st, l, ix := sh.styles, sh.locale, sh.idx
		text := ""
		switch {
		case m.screen == ScreenHelp:
			text = "Fixed keys: digits pick a category, letters a reason, / searches, enter saves, esc goes back."
		case m.screen == ScreenSummary && m.sum.detail != nil:
			text = "↑/↓ the reason above or below · pgup/pgdn scroll · esc back to the summary"
		case m.screen == ScreenSummary:
			if r, ok := ix.byID[m.sum.selectedID()]; ok {
				text = r.Description.Get(l, "en")
			}
		case m.screen == ScreenRecent:
			if c, ok := m.recent.selected(); ok {
				text = "rev " + itoa(int(c.Rev)) + " · ended " + c.EndedAt.In(sh.loc).Format("15:04:05")
				if c.Note != "" {
					text += " · note: " + c.Note
				}
			}
		case m.card.focus == FocusSearch:
			if r := m.search.picked(); r != nil {
				text = r.Description.Get(l, "en")
			} else {
				text = "Searches every reason by its name in any language or its id."
			}
		case m.card.focus == FocusRef:
			text = "Customer or order number. It is stored as a keyed hash; later it shows as “ref ✓”."
		case m.card.focus == FocusNote:
			text = "One line. National ID and card numbers are masked before they are stored."
		case m.card.focus == FocusReasons:
			text = "The first reason (★) is the primary one: space makes the highlighted one primary, del removes it."
		case m.menu.level >= 0:
			if r := m.menu.highlighted(ix); r != nil {
				text = r.Description.Get(l, "en")
			}
		default:
			if len(ix.cats) > 0 {
				// A preview of the highlighted category's reasons, as many
				// as fit.
				var pb strings.Builder
				pb.WriteString(ix.cats[m.menu.cur].Hotkey + ": ")
				for i, r := range ix.offered[m.menu.cur] {
					if i > 0 {
						pb.WriteString(" · ")
					}
					pb.WriteString(r.Label(l))
					if pb.Len() > sh.w {
						break
					}
				}
				text = pb.String()
			}
		}
		return fit(" "+paint(st.ink.Dim, text), sh.w)
	})
}

type statusKey struct {
	ver, failKey, failures, pending, w, gen int
	quitting                                bool
	confirm                                 *confirmation
}

// statusLine shows, in order of importance: a question awaiting y/n, a
// write that is failing, quitting with writes pending, the last notice.
func (m *Model) statusLine() string {
	sh := m.sh
	f := m.w.failing()
	k := statusKey{ver: m.notice.ver, w: sh.w, gen: sh.gen, quitting: m.quitting, confirm: m.confirm}
	if f != nil {
		k.failKey, k.failures = f.key, f.failures
	}
	if m.quitting {
		k.pending = m.w.pending()
	}
	return m.cache.status.get(k, func() string {
		st := sh.styles
		switch {
		case m.confirm != nil:
			return fit(" "+paint(st.ink.Warn, m.confirm.prompt), sh.w)
		case f != nil:
			what := "change"
			if len(f.queue) > 0 {
				what = f.queue[0].kind.String()
			}
			text := "⚠ NOT SAVED (" + what + ") · retrying, attempt " + itoa(f.failures+1) + " · " + f.err.Error()
			return fit(" "+paint(st.ink.Error, text), sh.w)
		case m.quitting:
			return fit(" "+paint(st.ink.Warn, "Storing "+plural(m.w.pending(), "change")+" before quitting… ctrl+c again quits now."), sh.w)
		}
		n := m.notice
		style := st.ink.Dim
		switch n.level {
		case noticeOK:
			style = st.ink.OK
		case noticeWarn:
			style = st.ink.Warn
		case noticeError:
			style = st.ink.Error
		}
		return fit(" "+paint(style, n.text), sh.w)
	})
}

// footerState picks which keys the footer offers.
func (m *Model) footerState() footerState {
	switch {
	case m.confirm != nil:
		return footConfirm
	case m.screen == ScreenHelp:
		return footHelp
	case m.screen == ScreenRecent && m.deleted != nil:
		return footRecentUndo
	case m.screen == ScreenRecent:
		return footRecent
	case m.screen == ScreenSummary && m.sum.detail != nil:
		return footSummaryDetail
	case m.screen == ScreenSummary:
		return footSummary
	}
	switch m.card.focus {
	case FocusSearch:
		return footSearch
	case FocusRef, FocusNote:
		return footField
	case FocusReasons:
		return footTags
	}
	switch {
	case m.menu.level >= 0:
		return footReasons
	case m.card.slot.track != 0 || !m.card.slot.started.IsZero():
		return footMenuContact
	}
	return footMenuReady
}

// renderTooSmall asks for a larger window, wrapped to whatever width there is.
func (m *Model) renderTooSmall() string {
	sh := m.sh
	msg := "whycall needs a window of at least " + itoa(MinWidth) + "×" + itoa(MinHeight) +
		"; this one is " + itoa(sh.w) + "×" + itoa(sh.h) + ". Make the window larger. " +
		"Nothing is lost: keys wait until the screen fits (ctrl+c quits)."
	lines := wrap(msg, max(1, sh.w-2))
	var b strings.Builder
	top := max(0, (sh.h-len(lines))/2)
	for i := 0; i < sh.h; i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		if j := i - top; j >= 0 && j < len(lines) {
			b.WriteString(" " + paint(sh.styles.ink.Warn, lines[j]))
		}
	}
	return b.String()
}

// wrap breaks text into lines of at most w columns at spaces.
func wrap(text string, w int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		switch {
		case line == "":
			line = word
		case len([]rune(line))+1+len([]rune(word)) <= w:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
		for len([]rune(line)) > w {
			r := []rune(line)
			lines = append(lines, string(r[:w]))
			line = string(r[w:])
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
