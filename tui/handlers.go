package tui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"whycall/store"
	"whycall/taxonomy"
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
	case key.Matches(ks, km.Menu.Category):
		ci, ok := ix.catKey[text]
		if !ok {
			m.say(noticeWarn, "No category "+text+".")
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
		m.menu = m.menu.top()
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

// touch starts the contact's clock at its first keystroke.
func (m *Model) touch() {
	if m.card.slot.started.IsZero() {
		m.card.slot.started = m.clock
	}
}

// change applies one change to the contact on the card: it starts the
// contact in the store if this is its first write, records the state before
// it for undo, queues the write and shows the result at once. A saved
// contact being edited is changed in place (each change bumps its rev).
func (m *Model) change(o op, undoable bool) tea.Cmd {
	s := &m.card.slot
	t, start := m.ensureTrack()
	s.changed = true
	if undoable {
		s.undo = append(s.undo, undoEntry{seq: t.seq, shown: t.shown(), refTyped: s.refTyped})
		if len(s.undo) > maxUndo {
			s.undo = slices.Delete(s.undo, 0, len(s.undo)-maxUndo)
		}
	}
	cmd := m.w.push(t, o)
	m.refreshSlot()
	m.lastWrite, m.dirtyCkpt = m.clock, true
	return tea.Batch(start, cmd)
}

// ensureTrack returns the card contact's write track, opening it with a
// StartDraft write when the contact is not in the store yet.
func (m *Model) ensureTrack() (*track, tea.Cmd) {
	s := &m.card.slot
	if t := m.w.get(s.track); t != nil {
		return t, nil
	}
	m.touch()
	t := m.w.open(nil)
	s.track = t.key
	cmd := m.w.push(t, op{kind: opStart, draft: store.Draft{
		Agent: m.sh.agent, Team: m.sh.team, Site: m.sh.site, Channel: s.c.Channel,
		TaxonomyVersion: m.sh.tax.Version, StartedAt: s.started,
	}})
	m.refreshSlot()
	m.lastWrite, m.dirtyCkpt = m.clock, true
	return t, cmd
}

// refreshSlot shows the card's contact as its track now stands.
func (m *Model) refreshSlot() {
	s := &m.card.slot
	if t := m.w.get(s.track); t != nil {
		s.c = t.shown()
	}
	s.ver++
}

// pick adds reason r to the contact.
func (m *Model) pick(r *taxonomy.Reason) tea.Cmd {
	s := &m.card.slot
	l := m.sh.locale
	m.menu = m.menu.top()
	switch {
	case slices.Contains(s.c.Reasons, r.ID):
		m.say(noticeInfo, r.Label(l)+" is already tagged (tab to the reasons to remove it).")
		return nil
	case len(s.c.Reasons) >= store.MaxReasons:
		m.say(noticeWarn, "At most "+itoa(store.MaxReasons)+" reasons: tab to the reasons to remove one.")
		return nil
	}
	cmd := m.change(op{kind: opAddReason, reason: r.ID}, true)
	if len(s.c.Reasons) == 1 {
		m.say(noticeInfo, "Tagged "+r.Label(l)+" (primary). Outcome R/U/F/E, enter saves.")
	} else {
		m.say(noticeInfo, "Tagged "+r.Label(l)+" (reason "+itoa(len(s.c.Reasons))+").")
	}
	if r.CatchAll && needsNote(m.sh, &s.c) {
		var fc tea.Cmd
		fc = m.card.focusField(FocusNote)
		m.say(noticeWarn, "“"+r.Label(l)+"” needs a short note: type it, then enter.")
		return tea.Batch(cmd, fc)
	}
	return cmd
}

func (m *Model) setOutcome(o store.Outcome) tea.Cmd {
	if m.card.slot.c.Outcome == o {
		o = store.OutcomeUnknown
	}
	return m.change(op{kind: opOutcome, outcome: o}, true)
}

func (m *Model) cycleChannel() tea.Cmd {
	cur := m.card.slot.c.Channel
	next := store.Channels[0]
	for i, c := range store.Channels {
		if c == cur {
			next = store.Channels[(i+1)%len(store.Channels)]
		}
	}
	return m.change(op{kind: opChannel, channel: next}, true)
}

// fieldOrder is the tab order on the capture screen.
var fieldOrder = []Focus{FocusMenu, FocusReasons, FocusRef, FocusNote}

// nextField moves the focus dir steps along fieldOrder, writing the field
// being left and skipping the reasons list while it is empty.
func (m *Model) nextField(dir int) tea.Cmd {
	cmd := m.commitField()
	i := slices.Index(fieldOrder, m.card.focus)
	if i < 0 {
		i = 0
	}
	for {
		i = (i + dir + len(fieldOrder)) % len(fieldOrder)
		if fieldOrder[i] != FocusReasons || len(m.card.slot.c.Reasons) > 0 {
			break
		}
	}
	var fc tea.Cmd
	fc = m.card.focusField(fieldOrder[i])
	if fieldOrder[i] == FocusReasons {
		m.card.tagCur = 0
	}
	return tea.Batch(cmd, fc)
}

// commitField writes the focused text field if it changed; the first write
// of a visit to the field is one undo step.
func (m *Model) commitField() tea.Cmd {
	s := &m.card.slot
	undoable := !m.card.fieldUndo
	switch m.card.focus {
	case FocusRef:
		if !m.card.refDirt {
			return nil
		}
		v := strings.TrimSpace(m.card.ref.Value())
		m.card.refDirt = false
		if v == s.refTyped && (v != "" || s.c.CustomerRef == "") {
			return nil
		}
		m.card.fieldUndo = true
		cmd := m.change(op{kind: opRef, text: v}, undoable)
		s.refTyped = v
		s.ver++
		return cmd
	case FocusNote:
		v := strings.TrimSpace(m.card.note.Value())
		if v == s.c.Note {
			return nil
		}
		m.card.fieldUndo = true
		return m.change(op{kind: opNote, text: v}, undoable)
	}
	return nil
}

// save finishes the contact on the card and makes the next one ready.
func (m *Model) save() tea.Cmd {
	cmd := m.commitField()
	if m.card.focus != FocusMenu {
		_ = m.card.focusField(FocusMenu)
	}
	s := &m.card.slot
	l := m.sh.locale
	switch {
	case s.editing && !s.changed:
		m.endEdit()
		m.say(noticeInfo, "No changes to save.")
		return cmd
	case s.track == 0:
		m.say(noticeInfo, "Nothing to save yet: a digit opens a category, / searches.")
		return cmd
	case len(s.c.Reasons) == 0:
		m.say(noticeWarn, "Tag a reason before saving (D discards this contact).")
		return cmd
	case needsNote(m.sh, &s.c):
		for _, id := range s.c.Reasons {
			if m.sh.idx.catchAll(id) {
				m.say(noticeWarn, "“"+m.sh.idx.label(id, l)+"” needs a short note before saving: type it, then enter.")
				break
			}
		}
		var fc tea.Cmd
		fc = m.card.focusField(FocusNote)
		return tea.Batch(cmd, fc)
	}
	t := m.w.get(s.track)
	cmds := []tea.Cmd{cmd}
	if s.editing {
		// Every change is stored already (or queued); the edit is done.
		m.labels[t.key] = "Saved the edit of " + m.describe(&s.c)
	} else {
		m.labels[t.key] = "Saved " + m.describe(&s.c)
		cmds = append(cmds, m.w.push(t, op{kind: opFinish, at: m.clock}))
		m.lastWrite, m.dirtyCkpt = m.clock, true
	}
	t.closed = true
	if t.idle() {
		m.announce(t)
		cmds = append(cmds, loadRecent(m.sh.ctx, m.sh.store, m.sh.agent, m.today()))
	} else {
		m.say(noticeInfo, "Saving "+m.describe(&s.c)+"…")
	}
	m.nextSlot()
	return tea.Batch(cmds...)
}

// describe names a contact in notices: start time and primary reason.
func (m *Model) describe(c *store.Contact) string {
	d := c.StartedAt
	if d.IsZero() {
		d = m.card.slot.started
	}
	s := d.In(m.sh.loc).Format("15:04")
	if p := c.Primary(); p != "" {
		s += " " + m.sh.idx.label(p, m.sh.locale)
	}
	return s
}

// nextSlot puts the next contact on the card: the one set aside for an
// edit, else the next unfinished draft, else a fresh one.
func (m *Model) nextSlot() {
	switch {
	case m.card.parked != nil:
		m.card.slot = *m.card.parked
		m.card.parked = nil
		m.card.slot.ver++
	case len(m.card.backlog) > 0:
		m.card.slot = m.resumeSlot(m.card.backlog[0])
		m.card.backlog = m.card.backlog[1:]
	default:
		m.card.slot = freshSlot()
	}
	m.menu = m.menu.top()
	_ = m.card.focusField(FocusMenu)
	m.card.tagCur = 0
}

// resumeSlot makes a stored draft the card's contact.
func (m *Model) resumeSlot(d store.Contact) slot {
	t := m.w.open(&d)
	return slot{track: t.key, c: d, started: d.StartedAt, resumed: true}
}

// endEdit leaves an edit and brings back the contact set aside for it.
func (m *Model) endEdit() {
	if t := m.w.get(m.card.slot.track); t != nil {
		t.closed = true
		m.w.dropIfDone(t)
	}
	m.nextSlot()
}

func (m *Model) undo() tea.Cmd {
	s := &m.card.slot
	if len(s.undo) == 0 {
		m.say(noticeInfo, "Nothing to undo on this contact.")
		return nil
	}
	e := s.undo[len(s.undo)-1]
	s.undo = s.undo[:len(s.undo)-1]
	s.refTyped = e.refTyped
	m.say(noticeInfo, "Undone.")
	return m.change(op{kind: opRestore, toSeq: e.seq, shown: e.shown}, false)
}

// discard deletes the contact on the card (asking first when it holds
// anything).
func (m *Model) discard() tea.Cmd {
	s := &m.card.slot
	if s.editing {
		c := s.c
		m.confirm = &confirmation{
			prompt: "Delete the saved contact " + m.describe(&c) + "? It leaves today's list.",
			yes: func(m *Model) tea.Cmd {
				t := m.w.get(m.card.slot.track)
				m.labels[t.key] = "Deleted " + m.describe(&m.card.slot.c)
				cmd := m.w.push(t, op{kind: opDelete})
				t.closed = true
				m.nextSlot()
				return cmd
			},
		}
		return nil
	}
	drop := func(m *Model) tea.Cmd {
		var cmd tea.Cmd
		if t := m.w.get(m.card.slot.track); t != nil {
			m.labels[t.key] = "Discarded " + m.describe(&m.card.slot.c)
			cmd = m.w.push(t, op{kind: opDelete})
			t.closed = true
		}
		m.nextSlot()
		m.say(noticeInfo, "Contact discarded.")
		return cmd
	}
	if !s.hasContent() {
		return drop(m)
	}
	m.confirm = &confirmation{
		prompt: "Discard this contact (" + plural(len(s.c.Reasons), "reason") + ")? It is deleted, not saved.",
		yes:    drop,
	}
	return nil
}

// newContact starts the clock for a call just picked up.
func (m *Model) newContact() tea.Cmd {
	s := &m.card.slot
	switch {
	case s.editing:
		m.say(noticeWarn, "Finish this edit first: enter saves it, esc leaves it.")
		return nil
	case s.hasContent():
		m.say(noticeWarn, "Save this contact (enter) or discard it (D) first.")
		return nil
	}
	var cmd tea.Cmd
	if t := m.w.get(s.track); t != nil {
		// An empty contact already started: start over with a new one.
		cmd = m.w.push(t, op{kind: opDelete})
		t.closed = true
	}
	*s = freshSlot()
	s.started = m.clock
	m.say(noticeInfo, "New contact started "+m.clock.In(m.sh.loc).Format("15:04:05")+".")
	_, start := m.ensureTrack()
	return tea.Batch(cmd, start)
}

func (m *Model) openRecent() tea.Cmd {
	if m.card.slot.editing {
		m.say(noticeWarn, "Finish this edit first: enter saves it, esc leaves it.")
		return nil
	}
	cmd := m.commitField()
	_ = m.card.focusField(FocusMenu)
	m.screen = ScreenRecent
	m.recent.cur, m.recent.off = 0, 0 // the newest first: usually the one to fix
	return tea.Batch(cmd, loadRecent(m.sh.ctx, m.sh.store, m.sh.agent, m.today()))
}

// edit brings a saved contact back to the card, setting the current one
// aside until the edit is saved or left.
func (m *Model) edit(c store.Contact) tea.Cmd {
	parked := m.card.slot
	m.card.parked = &parked
	t := m.w.open(&c)
	m.card.slot = slot{track: t.key, c: c, started: c.StartedAt, editing: true}
	m.screen = ScreenCapture
	m.menu = m.menu.top()
	_ = m.card.focusField(FocusMenu)
	m.say(noticeInfo, "Editing "+m.describe(&c)+": changes are stored as you make them; enter or esc ends the edit.")
	return nil
}

func (m *Model) askDelete(c store.Contact) {
	m.confirm = &confirmation{
		prompt: "Delete the contact " + m.describe(&c) + "? It leaves today's list.",
		yes: func(m *Model) tea.Cmd {
			t := m.w.open(&c)
			m.labels[t.key] = "Deleted " + m.describe(&c)
			cmd := m.w.push(t, op{kind: opDelete})
			t.closed = true
			m.recent.items = slices.DeleteFunc(slices.Clone(m.recent.items), func(x store.Contact) bool { return x.ID == c.ID })
			m.recent = m.recent.move(0)
			m.lastWrite, m.dirtyCkpt = m.clock, true
			return cmd
		},
	}
}

// quit leaves, keeping any unfinished contact: it writes the field being
// typed in and waits for queued writes (a second ctrl+c quits at once).
func (m *Model) quit() (tea.Model, tea.Cmd) {
	if m.quitting {
		return m, tea.Quit
	}
	cmd := m.commitField()
	if m.w.pending() == 0 {
		return m, tea.Quit
	}
	m.quitting = true
	return m, cmd
}
