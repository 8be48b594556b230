package tui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"whycall/store"
)

// keyText is a key press as its string, computed once per key so that
// key.Matches does not rebuild it for every binding it tries.
type keyText string

func (k keyText) String() string { return string(k) }

// handleKey routes a key press: quit first, then a pending question, then
// the active screen and, on the capture screen, the focused part.
func (m *Model) handleKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	ks := keyText(msg.String())
	km := &m.sh.keys
	m.clock = m.sh.now()
	if key.Matches(ks, km.Global.Quit) {
		return m.quit()
	}
	if m.tooSmall() {
		return m, nil
	}
	if !m.loaded {
		// The unfinished contact is still being read: keep the keys and
		// replay them once it is on screen, so nothing typed is lost.
		m.early = append(m.early, msg)
		return m, nil
	}
	if m.confirm != nil {
		return m.handleConfirmKey(ks)
	}
	switch m.screen {
	case ScreenHelp:
		if key.Matches(ks, km.Global.CloseHelp) {
			m.screen = m.back
		}
		return m, nil
	case ScreenRecent:
		return m.handleRecentKey(ks)
	case ScreenSummary:
		return m.handleSummaryKey(ks)
	case ScreenCapture:
		return m.handleCaptureKey(msg, ks)
	}
	return m, nil
}

func (m *Model) handleConfirmKey(ks keyText) (tea.Model, tea.Cmd) {
	km := &m.sh.keys
	switch {
	case key.Matches(ks, km.Confirm.Yes) && m.clock.Sub(m.confirm.at) < readDelay:
		// "Dyrt…" typed by mistake would discard the contact at its y.
		m.confirm.at = m.clock
	case key.Matches(ks, km.Confirm.Yes):
		c := m.confirm
		m.confirm = nil
		return m, c.yes(m)
	case key.Matches(ks, km.Confirm.No):
		m.confirm = nil
		m.say(noticeInfo, "Kept.")
	}
	return m, nil
}

func (m *Model) handleCaptureKey(msg tea.KeyPressMsg, ks keyText) (tea.Model, tea.Cmd) {
	km := &m.sh.keys
	switch m.card.focus {
	case FocusSearch:
		return m.handleSearchKey(msg, ks)
	case FocusRef, FocusNote:
		return m.handleFieldKey(msg, ks)
	case FocusReasons:
		if cmd, ok := m.handleTagKey(ks); ok {
			return m, cmd
		}
		_ = m.card.focusField(FocusMenu)
	}
	if m.guardKey(msg, ks) {
		return m, nil
	}
	var cmd tea.Cmd
	switch {
	case key.Matches(ks, km.Global.Help):
		m.back, m.screen = m.screen, ScreenHelp
	case key.Matches(ks, km.Contact.Save):
		cmd = m.save()
	case key.Matches(ks, km.Contact.Resolved):
		cmd = m.setOutcome(store.OutcomeResolved)
	case key.Matches(ks, km.Contact.Unresolved):
		cmd = m.setOutcome(store.OutcomeUnresolved)
	case key.Matches(ks, km.Contact.FollowUp):
		cmd = m.setOutcome(store.OutcomeFollowUp)
	case key.Matches(ks, km.Contact.Escalated):
		cmd = m.setOutcome(store.OutcomeEscalated)
	case key.Matches(ks, km.Contact.Channel):
		cmd = m.cycleChannel()
	case key.Matches(ks, km.Contact.NextField):
		cmd = m.nextField(+1)
	case key.Matches(ks, km.Contact.PrevField):
		cmd = m.nextField(-1)
	case key.Matches(ks, km.Contact.Undo):
		cmd = m.undo()
	case key.Matches(ks, km.Contact.Discard):
		cmd = m.discard()
	case key.Matches(ks, km.Contact.Recent):
		cmd = m.openRecent()
	case key.Matches(ks, km.Contact.Summary):
		cmd = m.openSummary()
	case key.Matches(ks, km.Contact.New):
		cmd = m.newContact()
	case key.Matches(ks, km.Menu.Search):
		m.touch()
		cmd = m.search.open()
		_ = m.card.focusField(FocusSearch)
	default:
		cmd = m.handleMenuKey(msg, ks)
	}
	return m, cmd
}

// handleMenuKey handles digits, letters and navigation in the menu. A
// text key that means nothing here is a miss, which may arm the typing
// guard.
func (m *Model) handleMenuKey(msg tea.KeyPressMsg, ks keyText) tea.Cmd {
	km, ix := &m.sh.keys, m.sh.idx
	text := string(ks)
	top := m.menu.level < 0
	hotkey := key.Matches(ks, km.Menu.Reason) || key.Matches(ks, km.Menu.Category)
	if hotkey && !top {
		if r, i, ok := m.menu.reasonByKey(ix, text); ok {
			m.menu.rcur = i
			m.guard.misses = 0
			return m.pick(r)
		}
	}
	switch {
	case key.Matches(ks, km.Menu.Category) || (hotkey && top):
		// Digits open a category from anywhere in the menu; a taxonomy
		// may also give categories letters, which work from the top.
		ci, ok := ix.catKey[text]
		if !ok {
			if top && !key.Matches(ks, km.Menu.Category) {
				m.say(noticeWarn, "Open a category first (a digit), or / to search.")
			} else {
				m.say(noticeWarn, "No category "+text+".")
			}
			m.guard.miss(m.clock, msg.Text, top)
			return nil
		}
		m.touch()
		m.guard.misses = 0
		m.menu = m.menu.open(ci)
	case key.Matches(ks, km.Menu.Reason):
		if top {
			m.say(noticeWarn, "Open a category first (a digit), or / to search.")
		} else {
			m.say(noticeWarn, "No reason “"+text+"” in "+ix.cats[m.menu.level].Label(m.sh.locale)+".")
		}
		m.guard.miss(m.clock, msg.Text, top)
	case key.Matches(ks, km.Menu.Up):
		m.menu = m.menu.move(ix, -1)
	case key.Matches(ks, km.Menu.Down):
		m.menu = m.menu.move(ix, +1)
	case key.Matches(ks, km.Menu.PageUp):
		m.menu = m.menu.move(ix, -m.menu.rows())
	case key.Matches(ks, km.Menu.PageDown):
		m.menu = m.menu.move(ix, m.menu.rows())
	case key.Matches(ks, km.Menu.Pick):
		if m.menu.level < 0 {
			m.touch()
			m.menu = m.menu.open(m.menu.cur)
		} else if r := m.menu.highlighted(ix); r != nil {
			return m.pick(r)
		}
	case key.Matches(ks, km.Menu.Back):
		return m.back1()
	case isText(msg):
		// A capital or punctuation that is no command: someone typing.
		m.say(noticeWarn, "“"+msg.Text+"” does nothing here: digits open a category, / searches, tab goes to the fields.")
		m.guard.miss(m.clock, msg.Text, top)
	}
	return nil
}

// back1 goes back one level: from the reasons to the categories, and from
// the categories out of an edit or out of a contact not begun.
func (m *Model) back1() tea.Cmd {
	s := &m.card.slot
	if m.menu.level >= 0 {
		m.menu = m.menu.top(m.sh.idx)
		if s.track == 0 && !s.editing {
			// Backed out before anything was tagged: not begun.
			*s = freshSlot()
		}
		return nil
	}
	switch {
	case s.editing && s.changed:
		return m.save()
	case s.editing:
		m.endEdit()
		m.say(noticeInfo, "Left the edit; nothing changed.")
	case s.track == 0:
		// Backed out before anything was tagged: the contact has not begun.
		*s = freshSlot()
	}
	return nil
}

func (m *Model) handleSearchKey(msg tea.KeyPressMsg, ks keyText) (tea.Model, tea.Cmd) {
	km := &m.sh.keys
	switch {
	case key.Matches(ks, km.Search.Close):
		m.search.close()
		_ = m.card.focusField(FocusMenu)
	case key.Matches(ks, km.Search.Pick):
		r := m.search.picked()
		if r == nil {
			return m, nil
		}
		m.search.close()
		_ = m.card.focusField(FocusMenu)
		m.guard.leftField(m.clock)
		return m, m.pick(r)
	case key.Matches(ks, km.Search.Up):
		m.search.move(-1)
	case key.Matches(ks, km.Search.Down):
		m.search.move(+1)
	default:
		var cmd tea.Cmd
		cmd = m.search.update(msg, m.sh)
		if isText(msg) {
			m.guard.typedAt = m.clock
		}
		return m, cmd
	}
	return m, nil
}

func (m *Model) handleFieldKey(msg tea.KeyPressMsg, ks keyText) (tea.Model, tea.Cmd) {
	km := &m.sh.keys
	switch {
	case key.Matches(ks, km.Field.Done) && m.noteStillNeeded():
		// Leaving would put whatever the agent types next into the menu as
		// hotkeys; esc still leaves.
		m.say(noticeWarn, "“"+m.catchAllLabel()+"” needs a note: type it, then enter (esc leaves).")
		return m, nil
	case key.Matches(ks, km.Field.Done):
		// An enter while typing may be meant as the end of a line, with
		// more text to come: hold that text back from the menu.
		m.guard.leftField(m.clock)
		return m, m.leaveField(FocusMenu)
	case key.Matches(ks, km.Field.Leave):
		return m, m.leaveField(FocusMenu)
	case key.Matches(ks, km.Field.Next):
		return m, m.nextField(+1)
	case key.Matches(ks, km.Field.Prev):
		return m, m.nextField(-1)
	case key.Matches(ks, km.Contact.Undo):
		cmd := m.commitField()
		_ = m.card.focusField(FocusMenu)
		return m, tea.Batch(cmd, m.undo())
	}
	return m, m.typeInField(msg)
}

// noteStillNeeded reports whether the note field has focus, is empty and
// the contact carries a catch-all reason, which needs a note.
func (m *Model) noteStillNeeded() bool {
	if m.card.focus != FocusNote || strings.TrimSpace(m.card.note.Value()) != "" {
		return false
	}
	return m.catchAllLabel() != ""
}

// catchAllLabel is the label of the contact's first catch-all reason, or
// "" when it has none.
func (m *Model) catchAllLabel() string {
	for _, id := range m.card.slot.c.Reasons {
		if m.sh.idx.catchAll(id) {
			return m.sh.idx.label(id, m.sh.locale)
		}
	}
	return ""
}

// leaveField writes the focused text field, moves the focus to f and says
// what the field now holds and what comes next, so no warning about it
// outlives the fix.
func (m *Model) leaveField(f Focus) tea.Cmd {
	from := m.card.focus
	cmd := m.commitField()
	fc := m.card.focusField(f)
	s := &m.card.slot
	switch {
	case from == FocusNote && s.c.Note != "":
		m.say(noticeInfo, "Note added — "+m.nextStep())
	case from == FocusNote && needsNote(m.sh, &s.c):
		m.say(noticeWarn, "A note is still needed for “"+m.catchAllLabel()+"” (tab goes to it).")
	case from == FocusRef && (s.refTyped != "" || s.c.CustomerRef != ""):
		m.say(noticeInfo, "Customer ref added (stored as a hash) — "+m.nextStep())
	}
	return tea.Batch(cmd, fc)
}

// nextStep says what the contact on the card needs next.
func (m *Model) nextStep() string {
	s := &m.card.slot
	switch {
	case len(s.c.Reasons) == 0:
		return "tag a reason, then enter saves the contact."
	case needsNote(m.sh, &s.c):
		return "“" + m.catchAllLabel() + "” still needs a note."
	case s.editing:
		return "enter ends the edit."
	}
	return "enter saves the contact."
}

// typeInField passes a key or paste to the focused text field and arranges
// for the text to be written once typing pauses.
func (m *Model) typeInField(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch m.card.focus {
	case FocusRef:
		before := m.card.ref.Value()
		m.card.ref, cmd = m.card.ref.Update(msg)
		if m.card.ref.Value() == before {
			return cmd
		}
		m.card.refDirt = true
	case FocusNote:
		before := m.card.note.Value()
		m.card.note, cmd = m.card.note.Update(msg)
		if m.card.note.Value() == before {
			return cmd
		}
	default:
		return nil
	}
	m.touch()
	m.guard.typedAt = m.clock
	m.card.fieldGen++
	return tea.Batch(cmd, m.sh.after(fieldIdle, fieldIdleMsg{gen: m.card.fieldGen}))
}

func (m *Model) handlePaste(msg tea.PasteMsg) (tea.Model, tea.Cmd) {
	if !m.loaded || m.screen != ScreenCapture {
		return m, nil
	}
	switch m.card.focus {
	case FocusRef, FocusNote:
		return m, m.typeInField(msg)
	case FocusSearch:
		var cmd tea.Cmd
		cmd = m.search.update(msg, m.sh)
		return m, cmd
	}
	return m, nil
}

func (m *Model) handleFieldIdle(msg fieldIdleMsg) (tea.Model, tea.Cmd) {
	if msg.gen != m.card.fieldGen {
		return m, nil
	}
	return m, m.commitField()
}

// handleTagKey handles the tagged-reasons list; ok is false for a key it
// leaves to the menu.
func (m *Model) handleTagKey(ks keyText) (tea.Cmd, bool) {
	km := &m.sh.keys
	s := &m.card.slot
	n := len(s.c.Reasons)
	switch {
	case key.Matches(ks, km.Reasons.Up):
		m.card.tagCur = clampInt(m.card.tagCur-1, 0, n-1)
	case key.Matches(ks, km.Reasons.Down):
		m.card.tagCur = clampInt(m.card.tagCur+1, 0, n-1)
	case key.Matches(ks, km.Reasons.Primary):
		if m.card.tagCur > 0 && m.card.tagCur < n {
			id := s.c.Reasons[m.card.tagCur]
			reasons := append([]string{id}, slices.DeleteFunc(slices.Clone(s.c.Reasons), func(r string) bool { return r == id })...)
			m.card.tagCur = 0
			m.say(noticeInfo, "★ "+m.sh.idx.label(id, m.sh.locale)+" is now the primary reason.")
			return m.change(op{kind: opSetReasons, reasons: reasons}, true), true
		}
	case key.Matches(ks, km.Reasons.Remove):
		if m.card.tagCur < n {
			id := s.c.Reasons[m.card.tagCur]
			cmd := m.change(op{kind: opRemoveReason, reason: id}, true)
			m.say(noticeInfo, "Removed "+m.sh.idx.label(id, m.sh.locale)+" (ctrl+z undoes).")
			if len(s.c.Reasons) == 0 {
				_ = m.card.focusField(FocusMenu)
			} else {
				m.card.tagCur = clampInt(m.card.tagCur, 0, len(s.c.Reasons)-1)
			}
			return cmd, true
		}
	case key.Matches(ks, km.Field.Leave):
		_ = m.card.focusField(FocusMenu)
	case key.Matches(ks, km.Field.Next):
		return m.nextField(+1), true
	case key.Matches(ks, km.Field.Prev):
		return m.nextField(-1), true
	default:
		return nil, false
	}
	return nil, true
}

func (m *Model) handleRecentKey(ks keyText) (tea.Model, tea.Cmd) {
	km := &m.sh.keys
	switch {
	case key.Matches(ks, km.Recent.Close):
		m.screen = ScreenCapture
	case key.Matches(ks, km.Global.Help):
		m.back, m.screen = m.screen, ScreenHelp
	case key.Matches(ks, km.Recent.Up):
		m.recent = m.recent.move(-1)
	case key.Matches(ks, km.Recent.Down):
		m.recent = m.recent.move(+1)
	case key.Matches(ks, km.Recent.PageUp):
		m.recent = m.recent.move(-m.recent.rows())
	case key.Matches(ks, km.Recent.PageDown):
		m.recent = m.recent.move(m.recent.rows())
	case key.Matches(ks, km.Recent.Edit):
		if c, ok := m.recent.selected(); ok {
			return m, m.edit(c)
		}
	case key.Matches(ks, km.Recent.Delete):
		if c, ok := m.recent.selected(); ok {
			m.askDelete(c)
		}
	case key.Matches(ks, km.Recent.Undo):
		if m.deleted == nil {
			m.say(noticeInfo, "Nothing to undo here: ctrl+z brings back the contact deleted last.")
			return m, nil
		}
		return m, m.undoDelete()
	}
	return m, nil
}
