package daemon

import (
	"sync"
	"time"
)

// claims keeps a source from being polled twice at once, or twice for one
// due time: a poll that ends after the scheduler read the sources leaves a
// stale row in what it read (the row still says "due"), and polling it again
// would refetch the whole feed without its new validators.
type claims struct {
	mu     sync.Mutex
	ends   map[int64]time.Time // source ID -> when its last poll ended; zero while one runs
	rounds map[int64]time.Time // source ID -> the listing its running poll was claimed from
}

func newClaims() *claims {
	return &claims{ends: map[int64]time.Time{}, rounds: map[int64]time.Time{}}
}

// claim marks source id as being polled, unless it is, or its last poll
// ended after listed, the time the caller began reading the source's row.
func (c *claims) claim(id int64, listed time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if end, ok := c.ends[id]; ok && (end.IsZero() || end.After(listed)) {
		return false
	}
	c.ends[id], c.rounds[id] = time.Time{}, listed
	return true
}

// round is when the listing began that the running poll of id was claimed
// from: the sources found due together are one poll round (on a cold
// start, all of them; see store.Refresh.Round).
func (c *claims) round(id int64) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rounds[id]
}

// done marks the poll of id ended at t.
func (c *claims) done(id int64, t time.Time) {
	c.mu.Lock()
	c.ends[id] = t
	c.mu.Unlock()
}

// settled reports whether a row of id read from listed on says when it is
// due: no poll of it runs, and none ended after listed (whose row may
// still say it is due now).
func (c *claims) settled(id int64, listed time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	end, ok := c.ends[id]
	return !ok || (!end.IsZero() && !end.After(listed))
}
