package tui

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// countingStore counts WAL checkpoints.
type countingStore struct {
	*flakyStore
	checkpoints atomic.Int32
}

func (c *countingStore) Checkpoint(ctx context.Context) error {
	c.checkpoints.Add(1)
	return c.flakyStore.Store.Checkpoint(ctx)
}

func TestIdleCheckpoint(t *testing.T) {
	cs := &countingStore{flakyStore: &flakyStore{Store: newStore(t)}}
	h := newHarness(t, cs)
	h.send(tickMsg{})
	if n := cs.checkpoints.Load(); n != 0 {
		t.Fatalf("checkpointed %d times with nothing written", n)
	}
	h.press("3", "f")
	h.now = h.now.Add(2 * time.Second)
	h.send(tickMsg{})
	if n := cs.checkpoints.Load(); n != 0 {
		t.Fatalf("checkpointed %d times 2 s after a write", n)
	}
	h.now = h.now.Add(4 * time.Second)
	h.send(tickMsg{})
	if n := cs.checkpoints.Load(); n != 1 {
		t.Fatalf("want 1 checkpoint after 6 s idle, got %d", n)
	}
	h.now = h.now.Add(10 * time.Second)
	h.send(tickMsg{})
	if n := cs.checkpoints.Load(); n != 1 {
		t.Fatalf("checkpointed again without new writes: %d", n)
	}

	t.Run("not while a write is failing", func(t *testing.T) {
		cs.failNext(1)
		h.press("R")
		h.now = h.now.Add(10 * time.Second)
		h.send(tickMsg{})
		if n := cs.checkpoints.Load(); n != 1 {
			t.Fatalf("checkpointed with a write pending: %d", n)
		}
	})
}

func TestSyncSlot(t *testing.T) {
	last := t0.Add(-10 * time.Minute)
	cases := []struct {
		name  string
		state SyncState
		err   error
		want  string
	}{
		{"all synced shows when", SyncState{LastSync: last}, nil, "✓ synced 13:55"},
		{"pending contacts are counted", SyncState{Pending: 3, LastSync: last}, nil, "sync · 3 pending"},
		{"a failing target is a warning", SyncState{Pending: 2, LastErr: "connection refused"}, nil, "⚠ sync failing · 2 pending"},
		{"an unreadable state says so", SyncState{}, errors.New("boom"), "⚠ sync unknown"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int32
			h := newHarness(t, newStore(t), func(o *Options) {
				o.SyncInterval = 30 * time.Second
				o.Sync = func(context.Context) (SyncState, error) {
					calls.Add(1)
					return tc.state, tc.err
				}
			})
			if !strings.Contains(strings.Split(h.screen(), "\n")[0], tc.want) {
				t.Fatalf("header does not show %q:\n%s", tc.want, strings.Split(h.screen(), "\n")[0])
			}
			h.fire(func(m tea.Msg) bool { _, ok := m.(syncDueMsg); return ok })
			if calls.Load() != 2 {
				t.Errorf("sync called %d times, want again after the interval", calls.Load())
			}
		})
	}
	t.Run("without a sync function the slot says sync off", func(t *testing.T) {
		h := newHarness(t, newStore(t))
		if !strings.Contains(strings.Split(h.screen(), "\n")[0], "sync off") {
			t.Fatalf("header: %s", strings.Split(h.screen(), "\n")[0])
		}
	})
}
