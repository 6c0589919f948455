package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// Pacer puts polling before answering. While busy says feeds are being
// parsed and stored, documents are answered at most Rate a second, each
// request waiting its turn; otherwise at once. On a machine of two cores,
// a hundred clients asking as fast as they are answered took as much CPU
// as the ingest itself and slowed it by half; held to 100 answers a
// second (the default), they slowed it by 6-9%. A planet's readers ask
// a few times a second, and seldom wait. The health check and the metrics
// are never held: a probe that times out during a cold start would have
// the daemon restarted.
type Pacer struct {
	busy    func() bool
	limiter *rate.Limiter
	held    atomic.Int64 // requests that waited, for metrics
	waited  atomic.Int64 // nanoseconds they waited in all
}

// NewPacer returns a Pacer that holds answers back while busy returns true,
// to perSecond a second; 0 never holds them.
func NewPacer(busy func() bool, perSecond int) *Pacer {
	p := &Pacer{busy: busy, limiter: rate.NewLimiter(rate.Inf, 1)}
	p.SetRate(perSecond)
	return p
}

// SetRate changes how many answers a second are given while busy; 0 never
// holds them. A reload of the configuration calls it.
func (p *Pacer) SetRate(perSecond int) {
	if perSecond <= 0 {
		p.limiter.SetLimit(rate.Inf)
		return
	}
	// A tenth of a second's worth at once, 10 at least: a reader's page
	// and its stylesheet, faces and feed are not held behind each other.
	p.limiter.SetBurst(max(10, perSecond/10))
	p.limiter.SetLimit(rate.Limit(perSecond))
}

// Rate is how many answers a second are given while busy; 0 for no limit.
func (p *Pacer) Rate() int {
	if l := p.limiter.Limit(); l != rate.Inf {
		return int(l)
	}
	return 0
}

// PaceStats is what the pacer has held back since it started.
type PaceStats struct {
	Held   int64         // requests that waited their turn
	Waited time.Duration // how long they waited, in all
}

// Stats reports what the pacer has held back.
func (p *Pacer) Stats() PaceStats {
	return PaceStats{Held: p.held.Load(), Waited: time.Duration(p.waited.Load())}
}

// recheck is how often a held request looks whether the ingest is over:
// then it is answered at once, not at the turn it was given.
const recheck = 100 * time.Millisecond

// maxHold is the longest turn a request is given. A flood that would wait
// longer is told to come back (503, Retry-After) rather than held until
// its connection times out, holding a connection slot meanwhile.
const maxHold = 10 * time.Second

// errFlooded says a request's turn would come too late.
var errFlooded = errors.New("too many requests while ingesting")

// wait returns when a request may be answered: at once unless busy, else
// at its turn or when the ingest ends, whichever comes first. It returns
// errFlooded when the turn is more than maxHold away, or the error of ctx
// when the client went away first.
func (p *Pacer) wait(ctx context.Context) error {
	if p == nil || p.limiter.Limit() == rate.Inf || !p.busy() {
		return nil
	}
	start := time.Now()
	turn := p.limiter.ReserveN(start, 1)
	delay := turn.DelayFrom(start)
	switch {
	case !turn.OK() || delay == 0:
		return nil
	case delay > maxHold:
		turn.Cancel()
		return errFlooded
	}
	defer func() {
		p.held.Add(1)
		p.waited.Add(int64(time.Since(start)))
	}()
	timer := time.NewTimer(delay)
	defer timer.Stop()
	tick := time.NewTicker(recheck)
	defer tick.Stop()
	for {
		select {
		case <-timer.C:
			return nil
		case <-tick.C:
			if !p.busy() {
				turn.Cancel()
				return nil
			}
		case <-ctx.Done():
			turn.Cancel()
			return ctx.Err()
		}
	}
}

// paced wraps h so that it answers when p lets it.
func (p *Pacer) paced(h http.Handler) http.Handler {
	if p == nil {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch err := p.wait(r.Context()); {
		case errors.Is(err, errFlooded):
			w.Header().Set("Retry-After", strconv.Itoa(int(maxHold/time.Second)))
			http.Error(w, "busy: try again later", http.StatusServiceUnavailable)
		case err != nil:
			// The client is gone: nobody to answer.
		default:
			h.ServeHTTP(w, r)
		}
	})
}
