package store

import (
	"context"
	"errors"
	"log/slog"
	"sync"
)

// trouble reports what fails in the store's background work, where no
// caller hears of it: moving search keys into the large index between
// commits, and reading them into the filter. Both are tried again and
// leave lookups right, only slower; but a move that keeps failing (a full
// disk) lets the small table grow, and an operator must hear of it. Each
// kind of work is logged when it starts failing and when it works again,
// not at every try.
type trouble struct {
	mu      sync.Mutex
	log     *slog.Logger
	failing map[string]error // the work failing now, with its last error
}

// SetLogger has the store log its background work's failures to log,
// starting with those already failing: the first read of the search keys
// begins when the store opens, before a logger can be given.
func (s *Store) SetLogger(log *slog.Logger) {
	t := &s.trouble
	t.mu.Lock()
	defer t.mu.Unlock()
	t.log = log
	for work, err := range t.failing {
		warn(log, work, err)
	}
}

// report records how work last went: err, or nil when it worked.
func (t *trouble) report(work string, err error) {
	if errors.Is(err, context.Canceled) {
		return // the store is closing
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	_, was := t.failing[work]
	if err == nil {
		delete(t.failing, work)
	} else {
		if t.failing == nil {
			t.failing = map[string]error{}
		}
		t.failing[work] = err
	}
	switch {
	case t.log == nil:
	case err != nil && !was:
		warn(t.log, work, err)
	case err == nil && was:
		t.log.Info("store: " + work + " works again")
	}
}

func warn(log *slog.Logger, work string, err error) {
	log.Warn("store: "+work+" failed; trying again later", "error", err)
}
