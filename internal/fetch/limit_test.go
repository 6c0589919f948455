package fetch

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// backstop bounds tests whose failure mode would be a hang. It is far above
// any limit under test, so it never decides a passing test.
const backstop = 20 * time.Second

var errBackstop = errors.New("test backstop expired")

// blockingServer answers only when told to: each request reports on entered
// and then waits for a value on release (or for the client to go away).
type blockingServer struct {
	url      string
	entered  chan int32 // in-flight count seen on entry
	release  chan struct{}
	inflight atomic.Int32
	peak     atomic.Int32
	total    atomic.Int32
}

func newBlockingServer(t *testing.T) *blockingServer {
	t.Helper()
	b := &blockingServer{entered: make(chan int32, 100), release: make(chan struct{})}
	done := make(chan struct{})
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		n := b.inflight.Add(1)
		defer b.inflight.Add(-1)
		b.total.Add(1)
		for p := b.peak.Load(); n > p && !b.peak.CompareAndSwap(p, n); p = b.peak.Load() {
		}
		b.entered <- n
		select {
		case <-b.release:
		case <-r.Context().Done():
		case <-done:
		}
	})
	t.Cleanup(func() { close(done) }) // runs before srv.Close
	b.url = srv.URL
	return b
}

func TestPerHostLimit(t *testing.T) {
	const requests = 6
	slow := newBlockingServer(t)
	fast := serve(t, func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) })

	// TestLimiterQueuesOnHostFirst covers global slots; here there are plenty,
	// so a broken per-host limit shows as a peak above 2 rather than a hang.
	c := New(Options{MaxPerHost: 2, MaxConcurrent: requests + 2, Timeout: backstop})
	var wg sync.WaitGroup
	errs := make(chan error, requests)
	for range requests {
		wg.Go(func() {
			_, err := c.Get(context.Background(), Request{URL: slow.url})
			errs <- err
		})
	}
	<-slow.entered
	<-slow.entered

	resp, err := c.Get(context.Background(), Request{URL: fast.URL})
	if err != nil || string(resp.Body) != "ok" {
		t.Fatalf("other host while one is saturated: %v", err)
	}

	// Release one at a time; each release lets exactly one queued request in.
	for range requests - 2 {
		slow.release <- struct{}{}
		if n := <-slow.entered; n > 2 {
			t.Errorf("server saw %d concurrent requests, want at most 2", n)
		}
	}
	slow.release <- struct{}{}
	slow.release <- struct{}{}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if p, n := slow.peak.Load(), slow.total.Load(); p != 2 || n != requests {
		t.Errorf("peak %d of %d requests, want peak 2 of %d", p, n, requests)
	}
	if len(c.slots.hosts) != 0 {
		t.Errorf("limiter still tracks %d hosts after all fetches ended", len(c.slots.hosts))
	}
}

// TestLimiterQueuesOnHostFirst runs in a synctest bubble, where Wait returns
// once every goroutine is blocked: no sleeps, no races in the assertions.
func TestLimiterQueuesOnHostFirst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLimiter(3, 2)
		ctx := context.Background()
		var releases []func()
		for range 2 {
			release, err := l.acquire(ctx, "slow:80", nil)
			if err != nil {
				t.Fatal(err)
			}
			releases = append(releases, release)
		}

		queued := make(chan func(), 4)
		for range cap(queued) {
			go func() {
				release, _ := l.acquire(ctx, "slow:80", nil)
				queued <- release
			}()
		}
		canceled, cancel := context.WithCancel(ctx)
		errc := make(chan error, 1)
		go func() {
			_, err := l.acquire(canceled, "slow:80", nil)
			errc <- err
		}()
		synctest.Wait()
		if len(queued) != 0 {
			t.Fatalf("%d requests passed a full host", len(queued))
		}
		if n := len(l.global); n != 2 {
			t.Fatalf("global slots in use = %d, want 2: queued requests must not hold one", n)
		}

		fast := make(chan func(), 1)
		go func() {
			release, _ := l.acquire(ctx, "fast:80", nil)
			fast <- release
		}()
		synctest.Wait()
		select {
		case release := <-fast:
			release()
		default:
			t.Fatal("another host waits while one host's queue is full")
		}

		cancel()
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Errorf("canceled wait: err = %v", err)
		}
		for range cap(queued) {
			releases[0]()
			releases = append(releases[1:], <-queued)
			synctest.Wait()
			if len(queued) != 0 {
				t.Fatalf("one release let %d more requests in", 1+len(queued))
			}
		}
		for _, r := range releases {
			r()
		}
		if len(l.hosts) != 0 || len(l.global) != 0 {
			t.Errorf("after all releases: %d hosts tracked, %d global slots held", len(l.hosts), len(l.global))
		}
	})
}

func TestCancelAbortsInFlight(t *testing.T) {
	slow := newBlockingServer(t)
	c := New(Options{Timeout: backstop})
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := c.Get(ctx, Request{URL: slow.url})
		errc <- err
	}()
	<-slow.entered
	cancel()
	err := <-errc
	if got := Class(err); got != "canceled" {
		t.Errorf("Class(%v) = %q, want canceled", err, got)
	}
}

func TestCancelWhileQueued(t *testing.T) {
	slow := newBlockingServer(t)
	c := New(Options{MaxPerHost: 1, Timeout: backstop})
	first := make(chan error, 1)
	go func() {
		_, err := c.Get(context.Background(), Request{URL: slow.url})
		first <- err
	}()
	<-slow.entered

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Get(ctx, Request{URL: slow.url})
	if got := Class(err); got != "canceled" {
		t.Errorf("queued: Class(%v) = %q, want canceled", err, got)
	}
	slow.release <- struct{}{}
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if n := slow.total.Load(); n != 1 {
		t.Errorf("server saw %d requests, want 1: the canceled one must not be sent", n)
	}
}

func TestTimeout(t *testing.T) {
	done := make(chan struct{})
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow-body" {
			_, _ = w.Write([]byte("<feed>"))
			w.(http.Flusher).Flush()
		}
		select {
		case <-r.Context().Done():
		case <-done:
		}
	})
	t.Cleanup(func() { close(done) })
	c := New(Options{Timeout: 200 * time.Millisecond})
	// Should the client's own timeout break, the backstop ends the test
	// with a cause that does not classify as a timeout.
	ctx, cancel := context.WithTimeoutCause(context.Background(), backstop, errBackstop)
	defer cancel()
	for _, path := range []string{"/no-answer", "/slow-body"} {
		_, err := c.Get(ctx, Request{URL: srv.URL + path})
		if got := Class(err); got != "timeout" {
			t.Errorf("%s: Class(%v) = %q, want timeout", path, err, got)
		}
	}
}

func TestHostKey(t *testing.T) {
	tests := []struct{ url, want string }{
		{"https://Example.org/feed", "example.org:443"},
		{"https://example.org:443/other", "example.org:443"},
		{"http://example.org/feed", "example.org:80"},
		{"http://example.org:8080/feed", "example.org:8080"},
		{"http://[::1]:8080/feed", "[::1]:8080"},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.url)
		if err != nil {
			t.Fatal(err)
		}
		if got := hostKey(u); got != tt.want {
			t.Errorf("hostKey(%s) = %q, want %q", tt.url, got, tt.want)
		}
	}
}
