// Package limit bounds what a poll of many feeds does at once, in one place
// and in one order: a slot on the feed's host (politeness), then a
// connection slot while the request waits on the network, then, once the
// body is in, an ingest slot until it is stored and, within it, a work slot
// while it is parsed. A host that never answers holds its own slots and a
// connection, never a work slot, so the feeds of other hosts are parsed and
// stored meanwhile.
package limit

import (
	"context"
	"net"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
)

// Options are the three bounds; a value below 1 means 1.
type Options struct {
	PerHost     int // requests at once to one host:port
	Connections int // requests waiting on the network at once, all hosts
	Work        int // feeds parsed at once
	// Ingest bounds the feeds between parsing and stored: parsed feeds
	// queue for the one writer, which commits them together (see store's
	// batch.go), and each holds its posts and their readings meanwhile.
	// Below Work it means Work: at 1,000 feeds of 30 posts, twice Work
	// made the groups a little larger for no less CPU, and took 10 MiB
	// more at the peak of a cold start.
	Ingest int
}

// Limits hands out the slots. It is safe for concurrent use; a nil *Limits
// bounds nothing, for tests and one-off fetches.
type Limits struct {
	perHost int
	conns   chan struct{}
	work    chan struct{}
	ingest  chan struct{}
	waiting atomic.Int64 // polls holding their host slot, waiting for a connection slot

	mu    sync.Mutex
	hosts map[string]*hostSlots
}

// hostSlots is one host's semaphore; refs counts holders and waiters so the
// entry can be dropped when idle and the map stays as small as the work.
type hostSlots struct {
	ch   chan struct{}
	refs int
}

// New returns Limits with the bounds of o.
func New(o Options) *Limits {
	return &Limits{
		perHost: max(1, o.PerHost),
		conns:   make(chan struct{}, max(1, o.Connections)),
		work:    make(chan struct{}, max(1, o.Work)),
		ingest:  make(chan struct{}, ingestSlots(o)),
		hosts:   make(map[string]*hostSlots),
	}
}

// Fetch waits for a slot on host, then for a connection slot, and returns
// the function that frees both. Requests queued behind a busy host hold no
// connection slot. It fails only when ctx ends first.
func (l *Limits) Fetch(ctx context.Context, host string) (release func(), err error) {
	if l == nil {
		return func() {}, nil
	}
	h := l.ref(host)
	select {
	case h.ch <- struct{}{}:
	case <-ctx.Done():
		l.unref(host, h)
		return nil, ctx.Err()
	}
	l.waiting.Add(1)
	defer l.waiting.Add(-1)
	select {
	case l.conns <- struct{}{}:
	case <-ctx.Done():
		<-h.ch
		l.unref(host, h)
		return nil, ctx.Err()
	}
	return func() {
		<-l.conns
		<-h.ch
		l.unref(host, h)
	}, nil
}

func ingestSlots(o Options) int {
	return max(1, o.Work, o.Ingest)
}

// Ingest waits for an ingest slot, to be held from before a feed is parsed
// until it is stored, and returns the function that frees it. Take it
// after Fetch's slots are released and before Work: a parsed feed that
// waits for the writer holds several times its body's memory, and without
// a bound every poll in flight would end up waiting there.
func (l *Limits) Ingest(ctx context.Context) (release func(), err error) {
	if l == nil {
		return func() {}, nil
	}
	return take(ctx, l.ingest)
}

// Work waits for a work slot and returns the function that frees it. Take
// it after Fetch's slots are released: a body that waits for work holds
// memory, not a connection.
func (l *Limits) Work(ctx context.Context) (release func(), err error) {
	if l == nil {
		return func() {}, nil
	}
	return take(ctx, l.work)
}

// take waits for a slot of sem.
func take(ctx context.Context, sem chan struct{}) (release func(), err error) {
	select {
	case sem <- struct{}{}:
		return func() { <-sem }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Ingesting reports whether a feed is being parsed or stored now, or
// waits for the writer: the polls' work that needs the CPU.
func (l *Limits) Ingesting() bool { return l != nil && len(l.ingest) > 0 }

// Stats is how full the limits are, for /metrics.
type Stats struct {
	Connections, MaxConnections int // requests on the network, and the bound
	Waiting                     int // requests whose host slot is held, waiting for a connection
	Work, MaxWork               int // feeds being parsed and stored, and the bound
}

// Stats reports the slots in use now.
func (l *Limits) Stats() Stats {
	if l == nil {
		return Stats{}
	}
	return Stats{
		Connections: len(l.conns), MaxConnections: cap(l.conns),
		Waiting: int(l.waiting.Load()),
		Work:    len(l.work), MaxWork: cap(l.work),
	}
}

func (l *Limits) ref(host string) *hostSlots {
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

func (l *Limits) unref(host string, h *hostSlots) {
	l.mu.Lock()
	defer l.mu.Unlock()
	h.refs--
	if h.refs == 0 {
		delete(l.hosts, host)
	}
}

// HostKey names the server a URL talks to: lower-case host and explicit
// port, so "Example.org" and "example.org:443" share one limit. A URL
// that does not parse is its own key.
func HostKey(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	port := u.Port()
	if port == "" {
		port = "80"
		if strings.EqualFold(u.Scheme, "https") {
			port = "443"
		}
	}
	return net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}
