package store

import (
	"context"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/model"
)

func TestMarkMovedAndCleared(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	src := sources(t, s, 1)[0]
	const to = "https://new.example/feed.xml"
	if err := s.MarkMoved(ctx, src.ID, to); err != nil {
		t.Fatal(err)
	}
	if got := getSource(t, s, src.ID); got.MovedTo != to || got.State() != model.StateMoved {
		t.Errorf("after MarkMoved: moved_to %q, state %q; want %q, moved", got.MovedTo, got.State(), to)
	}
	if err := s.MarkMoved(ctx, src.ID, ""); err != nil {
		t.Fatal(err)
	}
	if got := getSource(t, s, src.ID); got.MovedTo != "" || got.State() != model.StateNew {
		t.Errorf("after clearing: moved_to %q, state %q; want empty, new (never polled)", got.MovedTo, got.State())
	}
	if err := s.MarkMoved(ctx, 999, to); err == nil {
		t.Error("MarkMoved of an unknown source: no error")
	}
}

func TestGoneSourceIsNeverDue(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	srcs := sources(t, s, 2)
	gone, other := srcs[0], srcs[1]
	err := s.MarkGone(ctx, gone.ID, Failure{CheckedAt: t0, NextCheck: t0.Add(time.Hour), Status: 410, Err: "http 410 Gone"})
	if err != nil {
		t.Fatal(err)
	}
	got := getSource(t, s, gone.ID)
	if !got.Gone || got.State() != model.StateGone || got.LastStatus != 410 || got.ErrorCount != 1 {
		t.Errorf("gone source = %+v; want gone, 410, one error", got)
	}
	// Far in the future: a scheduler sleeping until the next check must not spin.
	if !got.NextCheck.After(t0.AddDate(100, 0, 0)) {
		t.Errorf("gone source's next check %v; want beyond any schedule", got.NextCheck)
	}
	due, err := s.DueSources(ctx, maxTime)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 1 || due[0].ID != other.ID {
		t.Errorf("due sources = %v; want only %s", urls(due), other.URL)
	}

	// Removed from feeds.yaml and listed again: a fresh start.
	if _, err := s.SyncSources(ctx, []model.Source{other}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SyncSources(ctx, srcs); err != nil {
		t.Fatal(err)
	}
	if got := getSource(t, s, gone.ID); got.Gone || !got.NextCheck.IsZero() {
		t.Errorf("re-listed source: gone %v, next check %v; want polled again at once", got.Gone, got.NextCheck)
	}
	// A source that stays listed stays gone across syncs.
	if err := s.MarkGone(ctx, gone.ID, Failure{CheckedAt: t0, Status: 410}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SyncSources(ctx, srcs); err != nil {
		t.Fatal(err)
	}
	if got := getSource(t, s, gone.ID); !got.Gone {
		t.Error("a config sync while the source stays listed cleared gone")
	}
}

func TestEntriesBySource(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	srcs := sources(t, s, 3)
	save(t, s, srcs[0].ID, refresh(t0, post("a1", "https://a/1", "h1", t0), post("a2", "https://a/2", "h2", t0)))
	save(t, s, srcs[1].ID, refresh(t0, post("b1", "https://a/1", "h1", t0))) // an alternate, not an entry
	got, err := s.EntriesBySource(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[srcs[0].ID] != 2 {
		t.Errorf("EntriesBySource = %v; want {%d: 2}", got, srcs[0].ID)
	}
	// The kept counts follow every writer: here the original's source goes
	// and its entry passes to the copy's.
	if _, err := s.SyncSources(context.Background(), srcs[1:]); err != nil {
		t.Fatal(err)
	}
	got, err = s.EntriesBySource(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[srcs[0].ID] != 1 || got[srcs[1].ID] != 1 {
		t.Errorf("after the hand-over EntriesBySource = %v; want one entry each for %d and %d", got, srcs[0].ID, srcs[1].ID)
	}
}
