package server

import (
	"context"
	"net/http"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// Pacer puts polling before answering. While busy says feeds are being
// parsed and stored, documents are answered at most Rate a second, each
// request waiting its turn; otherwise at once. On a machine of two cores,
// a hundred clients asking as fast as they are answered took as much CPU
// as the ingest itself and slowed it by half; held to a few hundred
// answers a second, they slow it by a few percent. A planet's readers ask
// a few times a second, and never wait. The health check and the metrics
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
	// A tenth of a second's worth at once: a reader's page and its
	// stylesheet and feed are not held behind each other.
	p.limiter.SetBurst(max(1, perSecond/10))
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

// wait returns when r may be answered, or the error of its context when
// the client went away first.
func (p *Pacer) wait(ctx context.Context) error {
	if p == nil || p.limiter.Limit() == rate.Inf || !p.busy() {
		return nil
	}
	start := time.Now()
	if err := p.limiter.Wait(ctx); err != nil {
		return err
	}
	if d := time.Since(start); d > time.Millisecond {
		p.held.Add(1)
		p.waited.Add(int64(d))
	}
	return nil
}

// paced wraps h so that it answers when p lets it.
func (p *Pacer) paced(h http.Handler) http.Handler {
	if p == nil {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p.wait(r.Context()) != nil {
			return // the client is gone: nobody to answer
		}
		h.ServeHTTP(w, r)
	})
}
