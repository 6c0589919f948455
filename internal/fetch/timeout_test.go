package fetch

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
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

func TestCancelAbortsInFlight(t *testing.T) {
	slow := newBlockingServer(t)
	c := New(Options{AllowPrivate: true, Timeout: backstop})
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
	c := New(Options{AllowPrivate: true, Timeout: 200 * time.Millisecond})
	// Should the client's own timeout break, the backstop ends the test
	// with a cause that does not classify as a timeout.
	ctx, cancel := context.WithTimeoutCause(context.Background(), backstop, errBackstop)
	defer cancel()
	for _, path := range []string{"/no-answer", "/slow-body"} {
		_, err := c.Get(ctx, Request{URL: srv.URL + path})
		if got := Class(err); got != "timeout" {
			t.Errorf("%s: Class(%v) = %q, want timeout", path, err, got)
		}
		// The public page words the limit that ran out, so the error must
		// carry it, however the transport noticed the deadline.
		var te *TimeoutError
		if !errors.As(err, &te) || te.Connect || te.Limit != 200*time.Millisecond {
			t.Errorf("%s: %v is not the request's 200ms TimeoutError", path, err)
		}
	}
}
