package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// handleLoaded puts the unfinished contacts found at start-up on the card
// and replays the keys typed while they were being read.
func (m *Model) handleLoaded(msg loadedMsg) (tea.Model, tea.Cmd) {
	first := !m.loaded
	m.loaded = true
	var cmds []tea.Cmd
	switch {
	case msg.err != nil:
		m.sh.log.Error("read unfinished contacts", "err", msg.err)
		m.say(noticeError, "⚠ Could not read unfinished contacts ("+msg.err.Error()+"); trying again.")
		cmds = append(cmds, m.sh.after(5*time.Second, loadRetryMsg{}))
	case len(msg.drafts) > 0:
		drafts := msg.drafts
		s := &m.card.slot
		if s.track == 0 && !s.editing {
			*s = m.resumeSlot(drafts[0])
			drafts = drafts[1:]
			if s.stale {
				m.say(noticeWarn, "↺ Resumed a contact idle since "+m.sh.when(s.endAt)+": saving ends it then, not now.")
			} else {
				m.say(noticeWarn, "↺ Resumed your unfinished contact from "+m.describe(&s.c)+".")
			}
			m.sh.log.Info("resumed draft", "id", s.c.ID, "reasons", len(s.c.Reasons))
		}
		for _, d := range drafts {
			if !m.known(d.ID) {
				m.card.backlog = append(m.card.backlog, d)
			}
		}
	}
	if first {
		early := m.early
		m.early = nil
		for _, k := range early {
			_, cmd := m.handleKey(k)
			cmds = append(cmds, cmd)
		}
	}
	return m, tea.Batch(cmds...)
}

// known reports whether contact id is on the card already (or set aside,
// or waiting in the backlog).
func (m *Model) known(id string) bool {
	if m.card.slot.c.ID == id || (m.card.parked != nil && m.card.parked.c.ID == id) {
		return true
	}
	for _, d := range m.card.backlog {
		if d.ID == id {
			return true
		}
	}
	return false
}

// handleWriteDone reconciles the screen with what the store returned.
func (m *Model) handleWriteDone(msg writeDoneMsg) (tea.Model, tea.Cmd) {
	r, cmd, ok := m.w.done(msg)
	if !ok {
		return m, nil
	}
	if d := m.deleted; d != nil && d.track == r.t.key && r.o.kind == opDelete {
		switch {
		case r.stored:
			d.tomb = r.t.confirmed
		case r.refused != nil:
			m.deleted = nil
		}
	}
	if m.card.slot.track == r.t.key {
		m.refreshSlot()
	}
	if p := m.card.parked; p != nil && p.track == r.t.key {
		p.c = r.t.shown()
		p.ver++
	}
	cmds := []tea.Cmd{cmd}
	if r.recovered && m.w.failing() == nil {
		m.say(noticeOK, "✓ Stored after all; nothing was lost.")
	}
	switch {
	case r.failed != nil:
		m.sh.log.Warn("write failed; will retry", "op", r.o.kind.String(), "contact", r.t.id,
			"attempt", r.t.failures, "retry_in", r.retryIn, "err", r.failed)
	case r.refused != nil:
		m.sh.log.Error("write refused", "op", r.o.kind.String(), "contact", r.t.id, "err", r.refused)
		m.say(noticeError, "⚠ Could not "+r.o.kind.String()+": "+r.refused.Error()+".")
	case r.t.closed && r.t.idle():
		if m.announce(r.t) {
			cmds = append(cmds, loadRecent(m.sh.ctx, m.sh.store, m.sh.agent, m.today()))
		}
	}
	if m.quitting && m.w.pending() == 0 {
		return m, tea.Quit
	}
	return m, tea.Batch(cmds...)
}

func (m *Model) handleRecent(msg recentMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		m.sh.log.Error("read today's contacts", "err", msg.err)
		m.recent.err = msg.err
		return m, nil
	}
	m.recent = m.recent.set(msg.items)
	return m, nil
}

// handleTick moves the clock and, when the screen has been idle for a
// while after writes, checkpoints the WAL in the background.
func (m *Model) handleTick() (tea.Model, tea.Cmd) {
	m.clock = m.sh.now()
	cmds := []tea.Cmd{m.tick()}
	if cp, ok := m.sh.store.(Checkpointer); ok && m.dirtyCkpt && !m.checkpointing &&
		m.w.pending() == 0 && m.clock.Sub(m.lastWrite) >= idleCheckpoint {
		m.checkpointing, m.dirtyCkpt = true, false
		ctx := m.sh.ctx
		cmds = append(cmds, func() tea.Msg { return checkpointDoneMsg{err: cp.Checkpoint(ctx)} })
	}
	return m, tea.Batch(cmds...)
}

func (m *Model) handleCheckpoint(msg checkpointDoneMsg) (tea.Model, tea.Cmd) {
	m.checkpointing = false
	if msg.err != nil {
		m.dirtyCkpt = true
		m.sh.log.Warn("wal checkpoint", "err", msg.err)
	}
	return m, nil
}

func (m *Model) handleSync(msg syncMsg) (tea.Model, tea.Cmd) {
	m.sync = syncSlot{state: msg.state, err: msg.err, has: true}
	if msg.err != nil {
		m.sh.log.Warn("sync status", "err", msg.err)
	} else if msg.state.LastErr != "" {
		m.sh.log.Warn("sync", "pending", msg.state.Pending, "err", msg.state.LastErr)
	}
	return m, m.sh.after(m.interval, syncDueMsg{})
}

// announce says that a closed track's last write is stored ("✓ Saved …"),
// once; it reports whether there was something to announce.
func (m *Model) announce(t *track) bool {
	l, ok := m.labels[t.key]
	if !ok {
		return false
	}
	delete(m.labels, t.key)
	m.say(noticeOK, "✓ "+l+".")
	m.w.dropIfDone(t)
	return true
}
