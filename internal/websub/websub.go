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
// notified again while waiting are pinged once, and a failing hub is
// retried with growing pauses without holding up the others.
type Publisher struct {
	opts Options

	mu      sync.Mutex
	pending map[string]string // topic -> hub
	wake    chan struct{}
}

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
	return &Publisher{opts: opts, pending: map[string]string{}, wake: make(chan struct{}, 1)}
}

// Backoff is the default pause before retry n: 2s, 4s, 8s, ... at most 5m.
func Backoff(n int) time.Duration {
	d := 2 * time.Second << min(n-1, 8)
	return min(d, 5*time.Minute)
}

// Notify queues a ping of hub for each topic (a feed's public URL).
func (p *Publisher) Notify(hub string, topics ...string) {
	if hub == "" || len(topics) == 0 {
		return
	}
	p.mu.Lock()
	for _, t := range topics {
		p.pending[t] = hub
	}
	p.mu.Unlock()
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Run pings queued topics until ctx is cancelled, one topic at a time:
// hubs are shared services, and a planet's changes come in bursts that
// Notify has already merged.
func (p *Publisher) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.wake:
		}
		for _, job := range p.take() {
			err := p.ping(ctx, job[0], job[1])
			if ctx.Err() != nil {
				return
			}
			if err != nil {
				p.opts.Logger.Warn("websub ping failed", "hub", job[0], "topic", job[1], "error", err)
			}
			p.opts.Done(job[1], err)
		}
	}
}

// take empties the queue, in a stable order.
func (p *Publisher) take() [][2]string {
	p.mu.Lock()
	defer p.mu.Unlock()
	jobs := make([][2]string, 0, len(p.pending))
	for topic, hub := range p.pending {
		jobs = append(jobs, [2]string{hub, topic})
	}
	clear(p.pending)
	slices.SortFunc(jobs, func(a, b [2]string) int { return strings.Compare(a[1], b[1]) })
	return jobs
}

// ping publishes topic to hub, retrying failures up to Attempts times.
func (p *Publisher) ping(ctx context.Context, hub, topic string) error {
	var err error
	for n := 1; ; n++ {
		if err = Ping(ctx, p.opts.Client, hub, topic); err == nil || n >= p.opts.Attempts || !retryable(err) {
			return err
		}
		t := time.NewTimer(p.opts.Backoff(n))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// retryable reports whether trying again may help: network errors and 5xx
// or 429 answers may pass; other 4xx answers will not.
func retryable(err error) bool {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Code >= 500 || se.Code == http.StatusTooManyRequests
	}
	return true
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
