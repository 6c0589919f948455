package store

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
)

// trouble reports what fails in the store's background work, where no
// caller hears of it: moving search keys into the large index between
// commits, and reading them into the filter. Both are tried again and
// leave lookups right, only slower; but a move that keeps failing (a full
// disk) lets the small table grow, and an operator must hear of it. Each
// kind of work is logged when it starts failing and when it works again,
// not at every try.
type trouble struct {
	log     atomic.Pointer[slog.Logger]
	mu      sync.Mutex
	failing map[string]bool
}

// SetLogger has the store log its background work's failures to log.
// Until it is called they are not logged.
func (s *Store) SetLogger(log *slog.Logger) { s.trouble.log.Store(log) }

// report records how work last went: err, or nil when it worked.
func (t *trouble) report(work string, err error) {
	log := t.log.Load()
	if log == nil || errors.Is(err, context.Canceled) {
		return // nobody to tell, or the store is closing
	}
	t.mu.Lock()
	was := t.failing[work]
	if t.failing == nil {
		t.failing = map[string]bool{}
	}
	t.failing[work] = err != nil
	t.mu.Unlock()
	switch {
	case err != nil && !was:
		log.Warn("store: "+work+" failed; trying again later", "error", err)
	case err == nil && was:
		log.Info("store: " + work + " works again")
	}
}
