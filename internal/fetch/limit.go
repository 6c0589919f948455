package fetch

import (
	"context"
	"net"
	"net/url"
	"strings"
	"sync"
)

// limiter bounds fetches globally and per host. Hosts are acquired first so
// that requests queued behind a slow host hold no global slot.
type limiter struct {
	global  chan struct{}
	perHost int

	mu    sync.Mutex
	hosts map[string]*hostSlots
}

// hostSlots is one host's semaphore; refs counts holders and waiters so the
// entry can be dropped when idle and the map stays as small as the work.
type hostSlots struct {
	ch   chan struct{}
	refs int
}

func newLimiter(global, perHost int) *limiter {
	return &limiter{
		global:  make(chan struct{}, global),
		perHost: perHost,
		hosts:   make(map[string]*hostSlots),
	}
}

// acquire blocks until both a host slot and a global slot are held or ctx is
// done, calling admit (when not nil) in between. The returned func releases
// both.
func (l *limiter) acquire(ctx context.Context, host string, admit func(context.Context) error) (release func(), err error) {
	h := l.ref(host)
	select {
	case h.ch <- struct{}{}:
	case <-ctx.Done():
		l.unref(host, h)
		return nil, ctx.Err()
	}
	if admit != nil {
		if err := admit(ctx); err != nil {
			<-h.ch
			l.unref(host, h)
			return nil, err
		}
	}
	select {
	case l.global <- struct{}{}:
	case <-ctx.Done():
		<-h.ch
		l.unref(host, h)
		return nil, ctx.Err()
	}
	return func() {
		<-l.global
		<-h.ch
		l.unref(host, h)
	}, nil
}

func (l *limiter) ref(host string) *hostSlots {
	l.mu.Lock()
	defer l.mu.Unlock()
	h := l.hosts[host]
	if h == nil {
		h = &hostSlots{ch: make(chan struct{}, l.perHost)}
		l.hosts[host] = h
	}
	h.refs++
	return h
}

func (l *limiter) unref(host string, h *hostSlots) {
	l.mu.Lock()
	defer l.mu.Unlock()
	h.refs--
	if h.refs == 0 {
		delete(l.hosts, host)
	}
}

// hostKey names the server a URL talks to: lower-case host and explicit port,
// so "Example.org" and "example.org:443" share one limit.
func hostKey(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	return net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}
