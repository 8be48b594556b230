package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"whycall/store"
	"whycall/store/storetest"
	"whycall/taxonomy"
)

var oslo = mustLoc("Europe/Oslo")

func mustLoc(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// t0 is the fixed start of every test's clock: a Monday afternoon in Oslo.
var t0 = time.Date(2026, 3, 2, 14, 5, 0, 0, oslo)

// testTax is the taxonomy the tests tag with: the embedded default.
func testTax(tb testing.TB) *taxonomy.Taxonomy {
	tb.Helper()
	t := taxonomy.Default()
	if t == nil {
		tb.Fatal("no embedded default taxonomy")
	}
	return t

}

// timer is one delayed message the model asked for.
type timer struct {
	d   time.Duration
	msg tea.Msg
}

// harness drives a Model the way the Bubble Tea runtime would, but
// synchronously: commands run at once, one after the other, and timers are
// recorded so the test fires them when it wants (no sleeping).
type harness struct {
	t      *testing.T
	m      *Model
	now    time.Time
	timers []timer
	quit   bool
	store  Store
}

type harnessOpt func(*Options)

func newHarness(t *testing.T, st Store, opts ...harnessOpt) *harness {
	t.Helper()
	h := &harness{t: t, now: t0, store: st}
	o := Options{
		Store: st, Taxonomy: testTax(t), Locale: "en", Agent: "kari", Team: "Nord",
		Location: oslo, Now: func() time.Time { return h.now }, Dark: true,
	}
	for _, f := range opts {
		f(&o)
	}
	m, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	m.setAfter(h.after)
	h.m = m
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.run(h.m.Init())
	return h
}

func (h *harness) after(d time.Duration, msg tea.Msg) tea.Cmd {
	h.timers = append(h.timers, timer{d, msg})
	return nil
}

// send delivers msg and runs every command that follows from it.
func (h *harness) send(msg tea.Msg) {
	h.t.Helper()
	next, cmd := h.m.Update(msg)
	h.m = next.(*Model)
	h.run(cmd)
}

func (h *harness) run(cmd tea.Cmd) {
	h.t.Helper()
	runCmds(cmd, func(msg tea.Msg) tea.Cmd {
		if _, ok := msg.(tea.QuitMsg); ok {
			h.quit = true
			return nil
		}
		next, cmd := h.m.Update(msg)
		h.m = next.(*Model)
		return cmd
	})
}

// runCmds runs cmd and the commands that follow from it one after the
// other, batches opened up, handing each message to handle.
func runCmds(cmd tea.Cmd, handle func(tea.Msg) tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		default:
			queue = append(queue, handle(msg))
		}
	}
}

// fire delivers the recorded timers whose message matches, in order.
func (h *harness) fire(match func(tea.Msg) bool) int {
	h.t.Helper()
	var keep, due []timer
	for _, tm := range h.timers {
		if match(tm.msg) {
			due = append(due, tm)
		} else {
			keep = append(keep, tm)
		}
	}
	h.timers = keep
	for _, tm := range due {
		h.now = h.now.Add(tm.d)
		h.send(tm.msg)
	}
	return len(due)
}

func isRetry(msg tea.Msg) bool { _, ok := msg.(retryMsg); return ok }

// keyMsg turns a key name ("3", "R", "enter", "ctrl+z", "shift+tab") into
// the key press a terminal would send.
func keyMsg(name string) tea.KeyPressMsg {
	special := map[string]tea.Key{
		"enter":     {Code: tea.KeyEnter},
		"esc":       {Code: tea.KeyEscape},
		"tab":       {Code: tea.KeyTab},
		"shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift},
		"up":        {Code: tea.KeyUp},
		"down":      {Code: tea.KeyDown},
		"left":      {Code: tea.KeyLeft},
		"right":     {Code: tea.KeyRight},
		"pgdown":    {Code: tea.KeyPgDown},
		"pgup":      {Code: tea.KeyPgUp},
		"home":      {Code: tea.KeyHome},
		"end":       {Code: tea.KeyEnd},
		"space":     {Code: tea.KeySpace, Text: " "},
		"backspace": {Code: tea.KeyBackspace},
		"delete":    {Code: tea.KeyDelete},
		"ctrl+z":    {Code: 'z', Mod: tea.ModCtrl},
		"ctrl+c":    {Code: 'c', Mod: tea.ModCtrl},
	}
	if k, ok := special[name]; ok {
		return tea.KeyPressMsg(k)
	}
	r := []rune(name)
	if len(r) != 1 {
		panic("unknown key " + name)
	}
	return tea.KeyPressMsg(tea.Key{Code: r[0], Text: name})
}

// press sends each key in turn.
func (h *harness) press(keys ...string) {
	h.t.Helper()
	for _, k := range keys {
		h.send(keyMsg(k))
	}
}

// answer presses key after reading the question on screen for a moment.
func (h *harness) answer(key string) {
	h.t.Helper()
	h.now = h.now.Add(readDelay)
	h.press(key)
}

// typeText types s one rune at a time.
func (h *harness) typeText(s string) {
	h.t.Helper()
	for _, r := range s {
		h.send(tea.KeyPressMsg(tea.Key{Code: r, Text: string(r)}))
	}
}

// screen is the current frame without ANSI styles.
func (h *harness) screen() string {
	return ansi.Strip(h.m.View().Content)
}

// status is the status line of the current frame.
func (h *harness) status() string {
	lines := strings.Split(h.screen(), "\n")
	return strings.TrimSpace(lines[len(lines)-2])
}

// contacts returns every contact of the store, tombstones included.
func contacts(t *testing.T, s *store.Store) []store.Contact {
	t.Helper()
	rows, err := s.DB().Query(`SELECT id FROM contacts ORDER BY started_at, id`)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	var out []store.Contact
	for _, id := range ids {
		c, err := s.Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// only returns the store's single contact, failing unless there is exactly one.
func only(t *testing.T, s *store.Store) store.Contact {
	t.Helper()
	cs := contacts(t, s)
	if len(cs) != 1 {
		t.Fatalf("want exactly 1 contact in the store, got %d: %+v", len(cs), cs)
	}
	return cs[0]
}

// newStore opens a real store on a temporary file with a fixed ref secret.
func newStore(t *testing.T) *store.Store {
	t.Helper()
	h, err := store.NewRefHasher([]byte("0123456789abcdef-test-secret"))
	if err != nil {
		t.Fatal(err)
	}
	return storetest.MustOpen(t, store.Options{Location: oslo, Refs: h})
}

// errDiskFull is the failure flakyStore injects.
var errDiskFull = errors.New("disk I/O error: disk full")

// flakyStore is a real store whose next writes can be made to fail, as a
// full disk or a locked database would.
type flakyStore struct {
	*store.Store
	mu    sync.Mutex
	fails int
	calls []string
}

// failNext makes the next n writes fail.
func (f *flakyStore) failNext(n int) {
	f.mu.Lock()
	f.fails = n
	f.mu.Unlock()
}

func (f *flakyStore) check(op string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, op)
	if f.fails > 0 {
		f.fails--
		return fmt.Errorf("%s: %w", op, errDiskFull)
	}
	return nil
}

func (f *flakyStore) StartDraft(ctx context.Context, d store.Draft) (store.Contact, error) {
	if err := f.check("StartDraft"); err != nil {
		return store.Contact{}, err
	}
	return f.Store.StartDraft(ctx, d)
}

func (f *flakyStore) AddReason(ctx context.Context, id, r string) (store.Contact, error) {
	if err := f.check("AddReason"); err != nil {
		return store.Contact{}, err
	}
	return f.Store.AddReason(ctx, id, r)
}

func (f *flakyStore) SetOutcome(ctx context.Context, id string, o store.Outcome) (store.Contact, error) {
	if err := f.check("SetOutcome"); err != nil {
		return store.Contact{}, err
	}
	return f.Store.SetOutcome(ctx, id, o)
}

func (f *flakyStore) Finish(ctx context.Context, id string, at time.Time) (store.Contact, error) {
	if err := f.check("Finish"); err != nil {
		return store.Contact{}, err
	}
	return f.Store.Finish(ctx, id, at)
}

func ansiWidth(s string) int { return ansi.StringWidth(s) }

func (f *flakyStore) Delete(ctx context.Context, id string) (store.Contact, error) {
	if err := f.check("Delete"); err != nil {
		return store.Contact{}, err
	}
	return f.Store.Delete(ctx, id)
}

func (f *flakyStore) Restore(ctx context.Context, c store.Contact) (store.Contact, error) {
	if err := f.check("Restore"); err != nil {
		return store.Contact{}, err
	}
	return f.Store.Restore(ctx, c)
}
