package tui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"whycall/store"
)

// slot is the contact on the capture screen: what it shows, and the write
// track that makes it durable.
type slot struct {
	// track is the writer's track for this contact; 0 until its first write.
	track int
	// c is the contact as shown: as stored plus the writes still queued.
	c store.Contact
	// started is when the contact began (first keystroke for it, N, or the
	// stored start of a resumed draft); zero while the screen is ready for
	// the next call.
	started time.Time
	// editing marks a saved contact brought back from today's list; it is
	// changed in place, keeping its end time.
	editing bool
	// changed is set by the first change made on the card.
	changed bool
	// refTyped is the customer ref the agent typed this session. Stored refs
	// are hashed, so a ref from the database shows only as "ref ✓".
	refTyped string
	undo     []undoEntry
	// resumed marks a draft found unfinished at start-up.
	resumed bool
	// stale marks a resumed draft nobody had touched for staleDraft: the
	// call is long over, so saving ends it at endAt, its last change, and
	// not at the time of saving.
	stale bool
	endAt time.Time
	// ver changes whenever c changes, for the card cache.
	ver int
}

// undoEntry is the state before one change: seq is the write after which
// the store held it, shown is how it looked.
type undoEntry struct {
	seq      int
	shown    store.Contact
	refTyped string
}

// maxUndo bounds the undo history of one contact.
const maxUndo = 50

// hasContent reports whether the contact holds anything worth keeping.
func (s *slot) hasContent() bool {
	c := &s.c
	return len(c.Reasons) > 0 || (c.Outcome != "" && c.Outcome != store.OutcomeUnknown) ||
		c.CustomerRef != "" || c.Note != "" || (c.Channel != "" && c.Channel != store.ChannelPhone)
}

// card is the right-hand pane: the contact being built, its text fields and
// the focus within it.
type card struct {
	slot    slot
	ref     textinput.Model
	note    textinput.Model
	focus   Focus
	tagCur  int
	refDirt bool // the ref field was typed in since it got focus
	// fieldUndo is set once the current field session pushed its undo entry.
	fieldUndo bool
	// fieldGen tells a debounced field write whether it is still current.
	fieldGen int
	// backlog holds further unfinished drafts found at start-up.
	backlog []store.Contact
	// parked is the new contact set aside while a saved one is edited.
	parked *slot
	w, h   int
	cache  *cardCache
}

func newCard(st *Styles) card {
	mk := func(placeholder string, limit int) textinput.Model {
		in := textinput.New()
		in.Prompt = ""
		in.Placeholder = placeholder
		in.CharLimit = limit
		in.SetStyles(st.Input)
		return in
	}
	return card{
		ref:   mk("customer or order number", 64),
		note:  mk("one line", 500),
		cache: &cardCache{},
	}
}

// fieldWidth is the width of the ref and note inputs.
func (c *card) fieldWidth() int { return max(4, c.w-cardLabelW-1) }

const cardLabelW = 10

// cardKey is everything the card's picture depends on besides a focused
// text field.
type cardKey struct {
	ver, focus, tagCur, w, h, gen, today, backlog int
	state                                         durability
	started                                       time.Time
	editing, resumed, needNote, stale             bool
}

type cardCache struct {
	key   cardKey
	lines []string
	valid bool
}

// durability says whether the contact on the card is safely stored.
type durability int

const (
	durNone    durability = iota // nothing to store yet
	durStored                    // every change is on disk
	durWriting                   // a write is in flight
	durFailing                   // a write failed and is being retried
)

// view returns the card as c.h lines of c.w columns.
func (c *card) view(sh *shared, state durability, today int) []string {
	s := &c.slot
	k := cardKey{ver: s.ver, focus: int(c.focus), tagCur: c.tagCur, w: c.w, h: c.h, gen: sh.gen,
		today: today, backlog: len(c.backlog), state: state, started: s.started,
		editing: s.editing, resumed: s.resumed, needNote: needsNote(sh, &s.c), stale: s.stale}
	typing := c.focus == FocusRef || c.focus == FocusNote
	if !typing && c.cache.valid && c.cache.key == k {
		return c.cache.lines
	}
	st, l := sh.styles, sh.locale
	lines := c.cache.lines[:0]
	add := func(s string) {
		if len(lines) < c.h {
			lines = append(lines, fit(s, c.w))
		}
	}
	title := "CONTACT"
	if s.editing {
		title = "EDITING " + s.c.StartedAt.In(sh.loc).Format("15:04")
	}
	var right string
	switch state {
	case durStored:
		right = paint(st.ink.OK, "✓ on disk")
	case durWriting:
		right = paint(st.ink.Dim, "writing…")
	case durFailing:
		right = paint(st.ink.Error, "⚠ NOT SAVED")
	default:
		if !s.started.IsZero() {
			right = paint(st.ink.Dim, "nothing tagged")
		}
	}
	add(spread(paint(st.ink.PaneTitle, title), right, c.w))
	switch {
	case s.stale:
		add(paint(st.ink.Dim, "started "+sh.when(s.started)+" (resumed)"))
		add(paint(st.ink.Warn, "ends "+sh.when(s.endAt)+" (last change)"))
	case !s.started.IsZero():
		note := ""
		if s.resumed {
			note = " (resumed)"
		}
		add(paint(st.ink.Dim, "started "+s.started.In(sh.loc).Format("15:04:05")+note))
	default:
		add(paint(st.ink.Dim, "starts at your first key (or N)"))
	}
	add("")
	add(c.label(st, "Reasons", FocusReasons))
	if len(s.c.Reasons) == 0 {
		add(paint(st.ink.Dim, "  none yet"))
	}
	for i, id := range s.c.Reasons {
		star := "  "
		if i == 0 {
			star = "★ "
		}
		if c.focus == FocusReasons && i == c.tagCur {
			add(paint(st.ink.Selected, fit("▸"+itoa(i+1)+" "+star+sh.idx.label(id, l), c.w)))
			continue
		}
		text := paint(st.ink.Value, sh.idx.label(id, l))
		if sh.idx.catchAll(id) {
			text += paint(st.ink.Dim, " +note")
		}
		add(" " + itoa(i+1) + " " + paint(st.ink.Primary, star) + text)
	}
	add("")
	add(c.label(st, "Outcome", -1) + outcomeText(st, s.c.Outcome))
	add(c.label(st, "Channel", -1) + paint(st.ink.Value, channelText(s.c.Channel)))
	switch {
	case c.focus == FocusRef:
		add(c.label(st, "Ref", FocusRef) + c.ref.View())
	case s.refTyped != "":
		add(c.label(st, "Ref", FocusRef) + paint(st.ink.Value, s.refTyped) + paint(st.ink.OK, " ✓"))
	case s.c.CustomerRef != "":
		add(c.label(st, "Ref", FocusRef) + paint(st.ink.OK, "ref ✓"))
	default:
		add(c.label(st, "Ref", FocusRef) + paint(st.ink.Dim, "—"))
	}
	switch {
	case c.focus == FocusNote:
		add(c.label(st, "Note", FocusNote) + c.note.View())
	case k.needNote:
		add(c.label(st, "Note", FocusNote) + paint(st.ink.Warn, "needed (tab to it)"))
	case s.c.Note != "":
		add(c.label(st, "Note", FocusNote) + paint(st.ink.Value, s.c.Note))
	default:
		add(c.label(st, "Note", FocusNote) + paint(st.ink.Dim, "—"))
	}
	add("")
	add(paint(st.ink.Dim, "today: "+plural(today, "contact")+" saved"))
	if n := len(c.backlog); n > 0 {
		add(paint(st.ink.Warn, plural(n, "more unfinished contact")+" after this one"))
	}
	for len(lines) < c.h {
		lines = append(lines, spaces(c.w))
	}
	if !typing {
		c.cache.key, c.cache.valid = k, true
	} else {
		c.cache.valid = false
	}
	c.cache.lines = lines
	return lines
}

// label renders a field name, marked when the field has focus.
func (c *card) label(st *Styles, name string, f Focus) string {
	if c.focus == f {
		return paint(st.ink.Focused, "▸"+name) + spaces(cardLabelW-1-len(name))
	}
	return " " + paint(st.ink.Label, name) + spaces(cardLabelW-1-len(name))
}

func outcomeText(st *Styles, o store.Outcome) string {
	switch o {
	case store.OutcomeResolved:
		return paint(st.ink.OK, "resolved")
	case store.OutcomeUnresolved:
		return paint(st.ink.Warn, "unresolved")
	case store.OutcomeFollowUp:
		return paint(st.ink.Value, "follow-up")
	case store.OutcomeEscalated:
		return paint(st.ink.Warn, "escalated")
	}
	return paint(st.ink.Dim, "— (R U F E)")
}

func channelText(c store.Channel) string {
	if c == "" {
		return string(store.ChannelPhone)
	}
	return string(c)
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return itoa(n) + " " + what + "s"
}

// needsNote reports whether c carries a catch-all reason but no note yet.
func needsNote(sh *shared, c *store.Contact) bool {
	if strings.TrimSpace(c.Note) != "" {
		return false
	}
	for _, id := range c.Reasons {
		if sh.idx.catchAll(id) {
			return true
		}
	}
	return false
}

// focusField moves the focus to f, focusing or blurring the text inputs.
func (c *card) focusField(f Focus) tea.Cmd {
	c.ref.Blur()
	c.note.Blur()
	c.focus = f
	c.fieldUndo, c.refDirt = false, false
	c.fieldGen++
	switch f {
	case FocusRef:
		c.ref.SetValue(c.slot.refTyped)
		c.ref.CursorEnd()
		return c.ref.Focus()
	case FocusNote:
		c.note.SetValue(c.slot.c.Note)
		c.note.CursorEnd()
		return c.note.Focus()
	case FocusReasons:
		c.tagCur = clampInt(c.tagCur, 0, len(c.slot.c.Reasons)-1)
	}
	return nil
}
