package tui

import (
	"slices"

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
	case ScreenCapture:
		return m.handleCaptureKey(msg, ks)
	}
	return m, nil
}

func (m *Model) handleConfirmKey(ks keyText) (tea.Model, tea.Cmd) {
	km := &m.sh.keys
	switch {
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
	case key.Matches(ks, km.Contact.New):
		cmd = m.newContact()
	case key.Matches(ks, km.Menu.Search):
		m.touch()
		cmd = m.search.open()
		_ = m.card.focusField(FocusSearch)
	default:
		cmd = m.handleMenuKey(ks)
	}
	return m, cmd
}

// handleMenuKey handles digits, letters and navigation in the menu.
func (m *Model) handleMenuKey(ks keyText) tea.Cmd {
	km, ix := &m.sh.keys, m.sh.idx
	text := string(ks)
	hotkey := key.Matches(ks, km.Menu.Reason) || key.Matches(ks, km.Menu.Category)
	if hotkey && m.menu.level >= 0 {
		if r, i, ok := m.menu.reasonByKey(ix, text); ok {
			m.menu.rcur = i
			return m.pick(r)
		}
	}
	switch {
	case key.Matches(ks, km.Menu.Category) || (hotkey && m.menu.level < 0):
		// Digits open a category from anywhere in the menu; a taxonomy
		// may also give categories letters, which work from the top.
		ci, ok := ix.catKey[text]
		if !ok {
			if m.menu.level < 0 && !key.Matches(ks, km.Menu.Category) {
				m.say(noticeWarn, "Open a category first (a digit), or / to search.")
			} else {
				m.say(noticeWarn, "No category "+text+".")
			}
			return nil
		}
		m.touch()
		m.menu = m.menu.open(ci)
	case key.Matches(ks, km.Menu.Reason):
		if m.menu.level < 0 {
			m.say(noticeWarn, "Open a category first (a digit), or / to search.")
		} else {
			m.say(noticeWarn, "No reason “"+text+"” in "+ix.cats[m.menu.level].Label(m.sh.locale)+".")
		}
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
		return m, m.pick(r)
	case key.Matches(ks, km.Search.Up):
		m.search.move(-1)
	case key.Matches(ks, km.Search.Down):
		m.search.move(+1)
	default:
		var cmd tea.Cmd
		cmd = m.search.update(msg, m.sh)
		return m, cmd
	}
	return m, nil
}

func (m *Model) handleFieldKey(msg tea.KeyPressMsg, ks keyText) (tea.Model, tea.Cmd) {
	km := &m.sh.keys
	switch {
	case key.Matches(ks, km.Field.Done), key.Matches(ks, km.Field.Leave):
		cmd := m.commitField()
		_ = m.card.focusField(FocusMenu)
		return m, cmd
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
	}
	return m, nil
}
