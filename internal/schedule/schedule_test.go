package schedule

import (
	"math"
	"testing"
	"time"
)

func constant(f float64) func() float64 { return func() float64 { return f } }

func TestNext(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	hour := Policy{Interval: time.Hour}
	almostOne := math.Nextafter(1, 0)
	tests := []struct {
		name   string
		policy Policy
		errors int
		hints  Hints
		rnd    float64
		want   time.Duration // after now
	}{
		{"success", hour, 0, Hints{}, 0, time.Hour},
		{"negative error count is a success", hour, -1, Hints{}, 0, time.Hour},
		{"max-age longer than interval", hour, 0, Hints{MaxAge: 3 * time.Hour}, 0, 3 * time.Hour},
		{"max-age shorter than interval", hour, 0, Hints{MaxAge: time.Minute}, 0, time.Hour},
		{"retry-after on success", hour, 0, Hints{RetryAfter: 2 * time.Hour}, 0, 2 * time.Hour},
		{"largest hint wins", hour, 0, Hints{RetryAfter: 2 * time.Hour, MaxAge: 5 * time.Hour}, 0, 5 * time.Hour},
		{"hint capped by default MaxDelay", hour, 0, Hints{MaxAge: 30 * 24 * time.Hour}, 0, 24 * time.Hour},
		{"hint capped by MaxDelay", Policy{Interval: time.Hour, MaxDelay: 6 * time.Hour}, 0, Hints{MaxAge: 12 * time.Hour}, 0, 6 * time.Hour},
		{"negative hint ignored", hour, 0, Hints{MaxAge: -time.Hour, RetryAfter: -time.Hour}, 0, time.Hour},

		{"first failure retries in a minute", hour, 1, Hints{}, 0, time.Minute},
		{"second failure", hour, 2, Hints{}, 0, 2 * time.Minute},
		{"third failure", hour, 3, Hints{}, 0, 4 * time.Minute},
		{"seventh failure passes the interval", hour, 7, Hints{}, 0, 64 * time.Minute},
		{"twelfth failure hits the default cap", hour, 12, Hints{}, 0, 24 * time.Hour},
		{"long streak stays capped", hour, 1000, Hints{}, 0, 24 * time.Hour},
		{"custom first retry", Policy{Interval: time.Hour, FirstRetry: 5 * time.Minute}, 2, Hints{}, 0, 10 * time.Minute},
		{"first retry never above interval", Policy{Interval: 2 * time.Minute, FirstRetry: time.Hour}, 1, Hints{}, 0, 2 * time.Minute},
		{"custom cap", Policy{Interval: time.Hour, MaxBackoff: 3 * time.Hour}, 9, Hints{}, 0, 3 * time.Hour},
		{"cap below interval", Policy{Interval: 48 * time.Hour}, 13, Hints{}, 0, 48 * time.Hour},
		{"huge cap cannot overflow", Policy{Interval: time.Hour, MaxBackoff: math.MaxInt64}, 1000, Hints{}, 0, math.MaxInt64},
		{"max-age ignored on failure", hour, 1, Hints{MaxAge: 5 * time.Hour}, 0, time.Minute},
		{"retry-after wins over short backoff", hour, 2, Hints{RetryAfter: 6 * time.Hour}, 0, 6 * time.Hour},
		{"backoff wins over short retry-after", hour, 8, Hints{RetryAfter: 30 * time.Minute}, 0, 128 * time.Minute},
		{"retry-after capped by MaxDelay", Policy{Interval: time.Hour, MaxDelay: 2 * time.Hour}, 1, Hints{RetryAfter: 48 * time.Hour}, 0, 2 * time.Hour},
		{"429 without retry-after backs off from the interval", hour, 1, Hints{Throttled: true}, 0, time.Hour},
		{"429 streak doubles the interval", hour, 2, Hints{Throttled: true}, 0, 2 * time.Hour},
		{"429 with retry-after obeys it", hour, 1, Hints{Throttled: true, RetryAfter: 90 * time.Second}, 0, 90 * time.Second},

		{"zero interval raised to minimum", Policy{}, 0, Hints{}, 0, MinInterval},
		{"jitter at rnd 0", hour, 0, Hints{}, 0, time.Hour},
		{"jitter at rnd 0.5", hour, 0, Hints{}, 0.5, time.Hour + 3*time.Minute},
		{"jitter just under 1", hour, 0, Hints{}, almostOne, time.Hour + 6*time.Minute - 1},
		{"jitter on top of backoff cap", hour, 100, Hints{}, 0.5, 24*time.Hour + 3*time.Minute},
		{"jitter of a first retry is a share of the retry", hour, 1, Hints{}, 0.5, time.Minute + 3*time.Second},
		{"jitter on top of retry-after", hour, 1, Hints{RetryAfter: 2 * time.Hour}, 0.5, 2*time.Hour + 3*time.Minute},
		{"out of range rnd clamped", hour, 0, Hints{}, 7, time.Hour + 6*time.Minute - 1},
		{"negative rnd clamped", hour, 0, Hints{}, -1, time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.policy.Next(now, tt.errors, tt.hints, constant(tt.rnd))
			if wait := got.Sub(now); wait != tt.want {
				t.Errorf("Next waits %v, want %v", wait, tt.want)
			}
		})
	}
}

// TestJitterBounds checks that any rnd in [0,1) keeps the jitter inside
// [0, 10% of Interval) for every kind of outcome.
func TestJitterBounds(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	p := Policy{Interval: 30 * time.Minute}
	almostOne := math.Nextafter(1, 0)
	for _, errors := range []int{0, 1, 3, 50} {
		lo := p.Next(now, errors, Hints{}, constant(0))
		hi := p.Next(now, errors, Hints{}, constant(almostOne))
		if spread := hi.Sub(lo); spread < 0 || spread >= 3*time.Minute {
			t.Errorf("errors=%d: jitter spread %v, want within [0, 3m)", errors, spread)
		}
	}
	// A nil rnd falls back to math/rand and stays in bounds.
	base := p.Next(now, 0, Hints{}, constant(0))
	if got := p.Next(now, 0, Hints{}, nil); got.Before(base) || !got.Before(base.Add(3*time.Minute)) {
		t.Errorf("nil rnd: %v outside [%v, +3m)", got, base)
	}
}

// TestBlipHealsWithinMinutes follows a source through a network blip at
// boot, with an injected clock: the first polls fail, then the network is
// back. The retries come within minutes, not a whole interval later.
func TestBlipHealsWithinMinutes(t *testing.T) {
	boot := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	p := Policy{Interval: 30 * time.Minute}
	clock := boot
	failures := 0
	for range 3 { // the network is down for the first three polls
		failures++
		clock = p.Next(clock, failures, Hints{}, nil)
	}
	// A fourth poll succeeds: it happens 1+2+4 minutes (plus jitter) after boot.
	if healed := clock.Sub(boot); healed > 8*time.Minute {
		t.Errorf("the fourth poll comes %v after boot; want within 8m", healed)
	}
	next := p.Next(clock, 0, Hints{}, constant(0))
	if got := next.Sub(clock); got != 30*time.Minute {
		t.Errorf("after the success the wait is %v, want the interval", got)
	}
}
