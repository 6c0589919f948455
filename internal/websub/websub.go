// Package websub tells a WebSub hub that feeds changed, so that subscribers get new posts pushed within seconds instead of at their next poll.
package websub

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// Options configure a Publisher.
type Options struct {
	Client *http.Client // default: a client with a 30s timeout
	Logger *slog.Logger
	// Attempts is how many times one ping is tried; default 5.
	Attempts int
	// Backoff is the wait before retry n (1, 2, ...); default 2s doubling
	// to 5 minutes at most.
	Backoff func(n int) time.Duration
	// Done, when set, is told the outcome of every ping (tests wait on it).
	Done func(topic string, err error)
}

// StatusError is a hub's answer other than 2xx.
type StatusError struct{ Code int }

func (e *StatusError) Error() string { return fmt.Sprintf("hub answered %d", e.Code) }

// Publisher pings a hub in the background: Notify never blocks, topics
// notified again while waiting are pinged once, and a failing topic waits
// for its retry in the queue, not in a ping, so it never holds up the
// others.
type Publisher struct {
	opts Options

	mu      sync.Mutex
	pending map[string]*job // by topic: waiting for their time
	wake    chan struct{}
}

// job is one topic to ping: its hub, the attempts made and when the next
// may start.
type job struct {
	hub, topic string
	attempt    int
	due        time.Time
}

// workers is how many pings run at once: a hub that hangs on one topic
// until the client's timeout leaves the others room.
const workers = 4

// New returns a Publisher; call Run to start it.
func New(opts Options) *Publisher {
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: 30 * time.Second}
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Attempts <= 0 {
		opts.Attempts = 5
	}
	if opts.Backoff == nil {
		opts.Backoff = Backoff
	}
	if opts.Done == nil {
		opts.Done = func(string, error) {}
	}
	return &Publisher{opts: opts, pending: map[string]*job{}, wake: make(chan struct{}, 1)}
}

// Backoff is the default pause before retry n: 2s, 4s, 8s, ... at most 5m.
func Backoff(n int) time.Duration {
	d := 2 * time.Second << min(n-1, 8)
	return min(d, 5*time.Minute)
}

// Notify queues a ping of hub for each topic (a feed's public URL). A topic
// already waiting keeps its place (and its backoff) with the new hub.
func (p *Publisher) Notify(hub string, topics ...string) {
	if hub == "" || len(topics) == 0 {
		return
	}
	now := time.Now()
	p.mu.Lock()
	for _, t := range topics {
		if j, ok := p.pending[t]; ok {
			j.hub = hub
			continue
		}
		p.pending[t] = &job{hub: hub, topic: t, due: now}
	}
	p.mu.Unlock()
	p.poke()
}

func (p *Publisher) poke() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Run pings queued topics until ctx is cancelled, a few at a time: hubs
// are shared services, and a planet's changes come in bursts that Notify
// has already merged.
func (p *Publisher) Run(ctx context.Context) {
	slots := make(chan struct{}, workers)
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		jobs, next := p.take(time.Now())
		for _, j := range jobs {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			wg.Go(func() {
				defer func() { <-slots }()
				p.run(ctx, j)
			})
		}
		if !p.wait(ctx, next) {
			return
		}
	}
}

// wait waits for a Notify, a retry or, when next is not zero, until next;
// false when ctx is done.
func (p *Publisher) wait(ctx context.Context, next time.Time) bool {
	var timer <-chan time.Time
	if !next.IsZero() {
		t := time.NewTimer(time.Until(next))
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-ctx.Done():
		return false
	case <-p.wake:
	case <-timer:
	}
	return true
}

// run makes one attempt at j, and puts it back in the queue for later when
// it failed and may pass on a retry.
func (p *Publisher) run(ctx context.Context, j *job) {
	j.attempt++
	err := Ping(ctx, p.opts.Client, j.hub, j.topic)
	if ctx.Err() != nil {
		return
	}
	if err != nil && j.attempt < p.opts.Attempts && retryable(err) {
		j.due = time.Now().Add(p.opts.Backoff(j.attempt))
		p.mu.Lock()
		if _, ok := p.pending[j.topic]; !ok { // else notified again: that ping will do
			p.pending[j.topic] = j
		}
		p.mu.Unlock()
		p.poke()
		return
	}
	if err != nil {
		p.opts.Logger.Warn("websub ping failed", "hub", j.hub, "topic", j.topic, "attempts", j.attempt, "error", err)
	}
	p.opts.Done(j.topic, err)
}

// take removes the jobs due at now from the queue, in a stable order, and
// returns when the next of the others is due (zero when none).
func (p *Publisher) take(now time.Time) (due []*job, next time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for topic, j := range p.pending {
		if j.due.After(now) {
			if next.IsZero() || j.due.Before(next) {
				next = j.due
			}
			continue
		}
		due = append(due, j)
		delete(p.pending, topic)
	}
	slices.SortFunc(due, func(a, b *job) int { return strings.Compare(a.topic, b.topic) })
	return due, next
}

// retryable reports whether trying again may help: network errors and 5xx
// or 429 answers may pass; other 4xx answers will not, nor an error that
// says it is permanent (a hub on an address the client refuses).
func retryable(err error) bool {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Code >= 500 || se.Code == http.StatusTooManyRequests
	}
	var pe interface{ Permanent() bool }
	return !errors.As(err, &pe) || !pe.Permanent()
}

// Ping sends one publish notification: a form POST of hub.mode=publish and
// hub.url=topic, the form hubs have accepted since PubSubHubbub 0.3.
func Ping(ctx context.Context, c *http.Client, hub, topic string) error {
	form := url.Values{"hub.mode": {"publish"}, "hub.url": {topic}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hub, strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("websub ping: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Do(req)
	if err != nil {
		return fmt.Errorf("websub ping: %w", err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) //nolint:errcheck // draining to reuse the connection
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("websub ping %s: %w", topic, &StatusError{Code: resp.StatusCode})
	}
	return nil
}
