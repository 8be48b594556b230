// Package tui is whycall's terminal interface, built on Bubble Tea v2: the
// agent's capture screen, where a live call is tagged with its cause in two
// keystrokes (category digit, reason letter), with the outcome, channel, an
// optional customer reference and note, today's list to fix a contact, and
// undo.
//
// Every change is written to the store at once, in a tea.Cmd, so the screen
// never waits on the disk; writes to one contact are queued and applied in
// order, failed writes are shown and retried, and an unfinished contact is
// resumed at the next start. The root Model holds a small shared context
// (size, styles, keys, clock, store) and delegates to its children: the menu,
// the search, the contact card, today's list and the help screen.
package tui

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"time"

	tea "charm.land/bubbletea/v2"

	"whycall/store"
	"whycall/taxonomy"
)

// Options configure the capture screen. Store, Taxonomy and Agent are
// required.
type Options struct {
	// Store is where contacts are written.
	Store Store
	// Taxonomy is the reason tree offered to the agent.
	Taxonomy *taxonomy.Taxonomy
	// Locale is the language of reason labels: nb, sv or en.
	Locale string
	// Agent, Team and Site are recorded on every new contact.
	Agent, Team, Site string
	// Location is the time zone of the clock and of "today" (nil: Europe/Oslo).
	Location *time.Location
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// Keys are the key bindings (nil: DefaultKeyMap()).
	Keys *KeyMap
	// Dark is the background assumed until the terminal reports its own.
	Dark bool
	// Sync, when set, fills the header's sync slot; nil shows "sync off".
	Sync SyncFunc
	// Summary, when set, computes the team lead's summary screen (S); nil
	// leaves the screen out.
	Summary SummarySource
	// SyncInterval is the pause between Sync calls (default 1 minute).
	SyncInterval time.Duration
	// Logger receives diagnostics (nil: discarded). Never the terminal.
	Logger *slog.Logger
	// Context bounds the store and sync calls (nil: context.Background()).
	Context context.Context
}

// Sizes below which the screen asks for a larger window.
const (
	MinWidth  = 70
	MinHeight = 20
)

// idleCheckpoint is how long the screen waits after the last write before
// it checkpoints the WAL in the background.
const idleCheckpoint = 5 * time.Second

// fieldIdle is how long typing in the ref or note field may pause before
// the text is written.
const fieldIdle = 700 * time.Millisecond

// shared is the context every child reads: size, styles, keys, clock, store
// and the taxonomy. It is set up once and changed only by the root.
type shared struct {
	w, h   int
	styles *Styles
	keys   KeyMap
	now    func() time.Time
	loc    *time.Location
	store  Store
	tax    *taxonomy.Taxonomy
	idx    *menuIndex
	locale string
	agent  string
	team   string
	site   string
	after  afterFunc
	log    *slog.Logger
	ctx    context.Context
	// gen changes when the size or the styles change; render caches key on it.
	gen int
}

// noticeLevel says how a status line message is shown.
type noticeLevel int

const (
	noticeInfo noticeLevel = iota
	noticeOK
	noticeWarn
	noticeError
)

// notice is the last message for the status line.
type notice struct {
	level noticeLevel
	text  string
	ver   int
}

// confirmation is a pending yes/no question.
type confirmation struct {
	prompt string
	yes    func(m *Model) tea.Cmd
	// at is when it was asked: a yes faster than anyone reads the question
	// is a key typed on, not an answer.
	at time.Time
}

// readDelay is how long a question stands before y answers it.
const readDelay = 400 * time.Millisecond

// ask puts a yes/no question on the status line.
func (m *Model) ask(prompt string, yes func(m *Model) tea.Cmd) {
	m.confirm = &confirmation{prompt: prompt, yes: yes, at: m.clock}
}

// syncSlot is what the header shows about sync.
type syncSlot struct {
	state SyncState
	err   error
	has   bool
}

// Model is the root of the app: it routes messages to the children and owns
// the write queues. It is used through a pointer: a text input alone is
// 8 KB, and copying the model on every message and in every View helper
// cost more than the whole frame is allowed to (DESIGN §8).
type Model struct {
	sh       *shared
	w        *writer
	screen   Screen
	back     Screen
	menu     menu
	search   search
	card     card
	recent   recentList
	sum      summaryView
	confirm  *confirmation
	guard    typingGuard
	deleted  *deletion
	notice   notice
	sync     syncSlot
	interval time.Duration
	syncFn   SyncFunc
	clock    time.Time

	loaded   bool
	early    []tea.KeyPressMsg
	quitting bool

	lastWrite     time.Time
	dirtyCkpt     bool
	checkpointing bool

	// labels name what a closing track saves or deletes, for its notice.
	labels map[int]string
	cache  *renderCache
}

// Messages the model sends itself.
type (
	loadedMsg struct {
		drafts []store.Contact
		err    error
	}
	tickMsg struct{}
	syncMsg struct {
		state SyncState
		err   error
	}
	syncDueMsg        struct{}
	fieldIdleMsg      struct{ gen int }
	checkpointDoneMsg struct{ err error }
	loadRetryMsg      struct{}
)

// New returns the capture screen's model. It does no I/O: the unfinished
// contacts and today's list are read by commands started in Init.
func New(o Options) (*Model, error) {
	switch {
	case o.Store == nil:
		return nil, errors.New("tui: no store")
	case o.Taxonomy == nil:
		return nil, errors.New("tui: no taxonomy")
	case o.Agent == "":
		return nil, errors.New("tui: no agent")
	}
	sh := &shared{
		keys: DefaultKeyMap(), now: o.Now, loc: o.Location, store: o.Store, tax: o.Taxonomy,
		idx: newMenuIndex(o.Taxonomy), locale: o.Locale, agent: o.Agent, team: o.Team, site: o.Site,
		after: teaAfter, log: o.Logger, ctx: o.Context,
	}
	if o.Keys != nil {
		sh.keys = *o.Keys
	}
	if sh.now == nil {
		sh.now = time.Now
	}
	if sh.loc == nil {
		loc, err := time.LoadLocation("Europe/Oslo")
		if err != nil {
			loc = time.UTC
		}
		sh.loc = loc
	}
	if sh.locale == "" {
		sh.locale = o.Taxonomy.DefaultLocale
	}
	if sh.log == nil {
		sh.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if sh.ctx == nil {
		sh.ctx = context.Background()
	}
	sh.styles = NewStyles(o.Dark)
	m := &Model{
		sh:       sh,
		w:        newWriter(sh.ctx, o.Store, sh.after),
		menu:     newMenu(),
		search:   newSearch(sh.styles),
		card:     newCard(sh.styles),
		sum:      newSummaryView(o.Summary),
		syncFn:   o.Sync,
		interval: o.SyncInterval,
		labels:   map[int]string{},
		cache:    newRenderCache(),
	}
	if m.interval <= 0 {
		m.interval = time.Minute
	}
	m.clock = sh.now()
	m.card.slot = freshSlot()
	m.say(noticeInfo, "Ready. Tag why the customer calls: a category digit, then a reason letter.")
	return m, nil
}

// setAfter replaces the timer used for ticks, retries and debouncing (tests
// record timers instead of sleeping).
func (m *Model) setAfter(f afterFunc) {
	m.sh.after = f
	m.w.after = f
}

// Init reads the unfinished contacts and today's list, asks the terminal
// for its background and starts the clock and sync.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(
		m.loadDrafts(),
		loadRecent(m.sh.ctx, m.sh.store, m.sh.agent, m.today()),
		tea.RequestBackgroundColor,
		m.tick(),
		m.syncCmd(),
	)
}

// Update routes one message.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg.Width, msg.Height)
		return m, nil
	case tea.BackgroundColorMsg:
		m.setStyles(NewStyles(msg.IsDark()))
		return m, nil
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	case tea.PasteMsg:
		return m.handlePaste(msg)
	case loadedMsg:
		return m.handleLoaded(msg)
	case writeDoneMsg:
		return m.handleWriteDone(msg)
	case retryMsg:
		return m, m.w.retry(msg)
	case recentMsg:
		return m.handleRecent(msg)
	case tickMsg:
		return m.handleTick()
	case syncMsg:
		return m.handleSync(msg)
	case syncDueMsg:
		return m, m.syncCmd()
	case fieldIdleMsg:
		return m.handleFieldIdle(msg)
	case checkpointDoneMsg:
		return m.handleCheckpoint(msg)
	case loadRetryMsg:
		return m, m.loadDrafts()
	case summaryMsg:
		return m.handleSummary(msg)
	case notesMsg:
		return m.handleNotes(msg)
	}
	return m, nil
}

// View draws the whole screen.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "whycall"
	return v
}

// Screen is what the body shows now.
func (m *Model) Screen() Screen { return m.screen }

// Focus is the part of the capture screen that receives keys.
func (m *Model) Focus() Focus { return m.card.focus }

// Contact returns the contact on the capture screen as shown (stored state
// plus the writes still queued).
func (m *Model) Contact() store.Contact { return m.card.slot.c }

// PendingWrites counts the changes not yet stored.
func (m *Model) PendingWrites() int { return m.w.pending() }

func (m *Model) resize(w, h int) {
	m.sh.w, m.sh.h = w, h
	m.sh.gen++
	body := max(1, h-6)
	left := clampInt(w*56/100, 36, 50)
	right := max(10, w-left-3)
	m.menu.w, m.menu.h = left, body
	m.menu = m.menu.move(m.sh.idx, 0)
	m.search.w, m.search.h = left, body
	m.search.input.SetWidth(max(4, left-4))
	m.card.w, m.card.h = right, body
	m.card.ref.SetWidth(m.card.fieldWidth())
	m.card.note.SetWidth(m.card.fieldWidth())
	m.recent.w, m.recent.h = w, body
	m.recent = m.recent.move(0)
	m.sum.setSize(w, body)
	m.sum.relayout(m.sh)
}

func (m *Model) setStyles(st *Styles) {
	m.sh.styles = st
	m.sh.gen++
	m.search.input.SetStyles(st.Input)
	m.card.ref.SetStyles(st.Input)
	m.card.note.SetStyles(st.Input)
	m.sum.relayout(m.sh)
}

// tooSmall reports whether the window cannot show the screen.
func (m *Model) tooSmall() bool {
	return m.sh.w > 0 && (m.sh.w < MinWidth || m.sh.h < MinHeight)
}

// today is the start of the local calendar day.
func (m *Model) today() time.Time {
	t := m.sh.now().In(m.sh.loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, m.sh.loc)
}

// when formats a time for a notice: the clock time today, with the date
// before that.
func (sh *shared) when(t time.Time) string {
	t = t.In(sh.loc)
	n := sh.now().In(sh.loc)
	if t.Year() == n.Year() && t.YearDay() == n.YearDay() {
		return t.Format("15:04")
	}
	return t.Format("02.01 15:04")
}

func (m *Model) say(level noticeLevel, text string) {
	m.notice = notice{level: level, text: text, ver: m.notice.ver + 1}
}

func freshSlot() slot {
	return slot{c: store.Contact{Channel: store.ChannelPhone, Outcome: store.OutcomeUnknown}}
}

// tick asks for a tickMsg at the next whole second (header clock, timer).
func (m *Model) tick() tea.Cmd {
	now := m.sh.now()
	d := now.Truncate(time.Second).Add(time.Second).Sub(now)
	return m.sh.after(d, tickMsg{})
}

func (m *Model) loadDrafts() tea.Cmd {
	ctx, s, agent := m.sh.ctx, m.sh.store, m.sh.agent
	return func() tea.Msg {
		d, err := s.Drafts(ctx, agent)
		return loadedMsg{drafts: d, err: err}
	}
}

func (m *Model) syncCmd() tea.Cmd {
	if m.syncFn == nil {
		return nil
	}
	ctx, f := m.sh.ctx, m.syncFn
	return func() tea.Msg {
		st, err := f(ctx)
		return syncMsg{state: st, err: err}
	}
}
