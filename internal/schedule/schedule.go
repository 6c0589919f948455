// Package schedule decides when to poll a source next, from its interval, its
// failures and the server's hints; pure functions, no clock and no I/O.
package schedule

import (
	"math/rand/v2"
	"time"
)

const (
	// DefaultMax is the cap on backoff and on server hints when the Policy
	// leaves them zero: a source is checked at least once a day.
	DefaultMax = 24 * time.Hour

	// DefaultFirstRetry is the wait after a first failure when the Policy
	// leaves FirstRetry zero. Most failures are blips (a restart, a network
	// hiccup at boot): a minute later the feed usually answers again.
	DefaultFirstRetry = time.Minute

	// MinInterval guards against a zero or tiny Interval turning the daemon
	// into a busy loop against one server.
	MinInterval = time.Minute

	// jitterShare bounds the jitter as a share of the wait.
	jitterShare = 0.1
)

// Policy is how one source is polled.
type Policy struct {
	Interval   time.Duration // the source's normal interval; raised to MinInterval
	FirstRetry time.Duration // wait after a first failure; DefaultFirstRetry when 0, never above Interval
	MaxBackoff time.Duration // cap on failure backoff; DefaultMax when 0, never below Interval
	MaxDelay   time.Duration // cap on server hints (Retry-After, max-age); DefaultMax when 0
}

// Hints are what the server said about when to come back.
type Hints struct {
	RetryAfter time.Duration // Retry-After
	MaxAge     time.Duration // Cache-Control max-age or Expires
	// Throttled is set when the server said "too many requests" (429):
	// without a Retry-After, the backoff then starts at Interval, not at
	// FirstRetry, since coming back a minute later is what it asked us not
	// to do.
	Throttled bool
}

// Next returns when to check the source again. errorCount is the number of
// consecutive failures including this one, 0 after a success. rnd returns a
// value in [0,1) for the jitter (math/rand/v2.Float64 when nil); tests inject
// a constant.
//
// After a success the wait is the largest of Interval, MaxAge and RetryAfter,
// hints capped by MaxDelay. After a failure it is FirstRetry*2^(errorCount-1)
// (1m, 2m, 4m, ... past Interval), capped by MaxBackoff, but never shorter
// than RetryAfter (capped by MaxDelay): a server that asked for an hour gets
// an hour. Either way up to 10% of the wait (at most 10% of Interval) is
// added on top, so sources added together drift apart instead of hitting the
// network in one burst every round.
func (p Policy) Next(now time.Time, errorCount int, h Hints, rnd func() float64) time.Time {
	p = p.withDefaults()
	retry := p.hint(h.RetryAfter)
	var wait time.Duration
	switch {
	case errorCount <= 0:
		wait = max(p.Interval, p.hint(h.MaxAge), retry)
	case h.Throttled && retry == 0:
		wait = p.backoff(p.Interval, errorCount)
	default:
		wait = max(p.backoff(p.FirstRetry, errorCount), retry)
	}
	return now.Add(wait + p.jitter(min(wait, p.Interval), rnd))
}

func (p Policy) withDefaults() Policy {
	p.Interval = max(p.Interval, MinInterval)
	if p.FirstRetry <= 0 {
		p.FirstRetry = DefaultFirstRetry
	}
	// The first retry never waits longer than a healthy poll would.
	p.FirstRetry = min(p.FirstRetry, p.Interval)
	if p.MaxBackoff <= 0 {
		p.MaxBackoff = DefaultMax
	}
	// A long failure streak ends up polled no more often than a healthy source.
	p.MaxBackoff = max(p.MaxBackoff, p.Interval)
	if p.MaxDelay <= 0 {
		p.MaxDelay = DefaultMax
	}
	return p
}

// hint clamps a server hint to [0, MaxDelay].
func (p Policy) hint(d time.Duration) time.Duration {
	return max(0, min(d, p.MaxDelay))
}

// backoff is first*2^(errors-1) capped by MaxBackoff, doubling step by step
// so that a long failure streak cannot overflow.
func (p Policy) backoff(first time.Duration, errors int) time.Duration {
	d := first
	for i := 1; i < errors && d < p.MaxBackoff; i++ {
		if d > p.MaxBackoff/2 {
			return p.MaxBackoff
		}
		d *= 2
	}
	return min(d, p.MaxBackoff)
}

// jitter is in [0, base/10): half-open, so rnd near 1 cannot round up to
// the bound in float arithmetic.
func (p Policy) jitter(base time.Duration, rnd func() float64) time.Duration {
	if rnd == nil {
		rnd = rand.Float64
	}
	bound := time.Duration(jitterShare * float64(base))
	if bound <= 0 {
		return 0
	}
	j := time.Duration(max(rnd(), 0) * float64(bound))
	return min(j, bound-1)
}
