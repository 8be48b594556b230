package tui

import (
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"whycall/store"
	"whycall/taxonomy"
)

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
	m.deleted = nil // undo now means this change
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
	m.menu = m.menu.top(m.sh.idx)
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
		m.say(noticeWarn, "“"+r.Label(l)+"” needs a note: type it, then enter.")
		return tea.Batch(cmd, fc)
	}
	return cmd
}

func (m *Model) setOutcome(o store.Outcome) tea.Cmd {
	if m.card.slot.c.Outcome == o {
		o = store.OutcomeUnknown
	}
	m.say(noticeInfo, "Outcome: "+outcomeWord(o)+".")
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
	m.say(noticeInfo, "Channel: "+string(next)+".")
	return m.change(op{kind: opChannel, channel: next}, true)
}

// fieldOrder is the tab order on the capture screen.
var fieldOrder = []Focus{FocusMenu, FocusReasons, FocusRef, FocusNote}

// nextField moves the focus dir steps along fieldOrder, writing the field
// being left and skipping the reasons list while it is empty.
func (m *Model) nextField(dir int) tea.Cmd {
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
	cmd := m.leaveField(fieldOrder[i])
	if fieldOrder[i] == FocusReasons {
		m.card.tagCur = 0
	}
	return cmd
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
	m.deleted = nil
	cmd := m.commitField()
	if m.card.focus != FocusMenu {
		_ = m.card.focusField(FocusMenu)
	}
	s := &m.card.slot
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
		m.say(noticeWarn, "“"+m.catchAllLabel()+"” needs a note before saving: type it, then enter.")
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
		at := m.clock
		m.labels[t.key] = "Saved " + m.describe(&s.c)
		if s.stale {
			at = s.endAt
			m.labels[t.key] += ", ended " + m.sh.when(at) + " (its last change)"
		}
		cmds = append(cmds, m.w.push(t, op{kind: opFinish, at: at}))
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
	m.menu = m.menu.top(m.sh.idx)
	_ = m.card.focusField(FocusMenu)
	m.card.tagCur = 0
}

// staleDraft is how long an unfinished contact may go untouched before it
// is taken for one left behind (by a crash, a closed terminal, a power cut)
// rather than a call still going on.
const staleDraft = 30 * time.Minute

// resumeSlot makes a stored draft the card's contact. A stale one keeps
// its last change as its end, so a crash overnight does not turn into a
// call of many hours.
func (m *Model) resumeSlot(d store.Contact) slot {
	t := m.w.open(&d)
	s := slot{track: t.key, c: d, started: d.StartedAt, resumed: true}
	if last := d.UpdatedAt; !last.IsZero() && m.sh.now().Sub(last) >= staleDraft {
		s.stale = true
		s.endAt = last
		if last.Before(d.StartedAt) {
			s.endAt = d.StartedAt
		}
	}
	return s
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
	if m.deleted != nil {
		// Deleting a saved contact was the last thing done.
		return m.undoDelete()
	}
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
		m.ask("Delete the saved contact "+m.describe(&c)+"? It leaves today's list.",
			func(m *Model) tea.Cmd {
				t := m.w.get(m.card.slot.track)
				shown := m.card.slot.c
				m.labels[t.key] = "Deleted " + m.describe(&shown) + " (ctrl+z brings it back)"
				cmd := m.w.push(t, op{kind: opDelete})
				t.closed = true
				m.nextSlot()
				m.deleted = &deletion{track: t.key, shown: shown}
				return cmd
			})
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
	m.ask("Discard this contact ("+plural(len(s.c.Reasons), "reason")+")? It is deleted, not saved.", drop)
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
	m.menu = m.menu.top(m.sh.idx)
	_ = m.card.focusField(FocusMenu)
	m.say(noticeInfo, "Editing "+m.describe(&c)+": changes are stored as you make them; enter or esc ends the edit.")
	return nil
}

func (m *Model) askDelete(c store.Contact) {
	m.ask("Delete the contact "+m.describe(&c)+"? It leaves today's list.",
		func(m *Model) tea.Cmd {
			t := m.w.open(&c)
			m.labels[t.key] = "Deleted " + m.describe(&c) + " (ctrl+z brings it back)"
			cmd := m.w.push(t, op{kind: opDelete})
			t.closed = true
			m.recent.items = slices.DeleteFunc(slices.Clone(m.recent.items), func(x store.Contact) bool { return x.ID == c.ID })
			m.recent = m.recent.move(0)
			m.lastWrite, m.dirtyCkpt = m.clock, true
			m.deleted = &deletion{track: t.key, shown: c}
			return cmd
		})
}

// deletion is the saved contact deleted last, which ctrl+z brings back as
// long as nothing else was changed since.
type deletion struct {
	// track is the write track that deletes it.
	track int
	// shown is the contact as it was; tomb is the tombstone as stored, once
	// the delete is.
	shown, tomb store.Contact
}

// undoDelete brings back the contact deleted last: the store restores its
// tombstone as a new revision, and today's list shows it again at once.
func (m *Model) undoDelete() tea.Cmd {
	d := m.deleted
	m.deleted = nil
	t := m.w.get(d.track)
	if t == nil {
		// The delete is stored and its track is gone: start one from the
		// tombstone.
		t = m.w.open(&d.tomb)
		t.closed = true
	}
	m.labels[t.key] = "Brought back " + m.describe(&d.shown)
	cmd := m.w.push(t, op{kind: opUndelete})
	items := slices.DeleteFunc(slices.Clone(m.recent.items), func(x store.Contact) bool { return x.ID == d.shown.ID })
	i, _ := slices.BinarySearchFunc(items, d.shown, func(a, b store.Contact) int { return b.StartedAt.Compare(a.StartedAt) })
	m.recent.items = slices.Insert(items, i, d.shown)
	m.recent.cur = i
	m.recent = m.recent.move(0)
	m.lastWrite, m.dirtyCkpt = m.clock, true
	m.say(noticeInfo, "Bringing back "+m.describe(&d.shown)+"…")
	return cmd
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
