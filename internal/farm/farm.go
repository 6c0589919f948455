// Package farm serves thousands of synthetic, deterministic blog feeds on
// loopback, so that benchmarks and load tests can poll realistic feeds
// without the internet.
package farm

import (
	"errors"
	"fmt"
	"io"
	"log"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults for the zero Options.
const (
	DefaultFeeds   = 1000
	DefaultEntries = 30
	DefaultHosts   = 16

	// MaxHosts is the number of addresses 127.0.0.1..127.0.0.254.
	MaxHosts = 254
)

// Options says what to serve. Zero fields take the defaults.
type Options struct {
	Feeds   int    // feeds served; default 1000
	Entries int    // entries in every feed; default 30
	Hosts   int    // listeners, on 127.0.0.1..127.0.0.Hosts; default 16, at most 254
	Seed    uint64 // another seed gives another farm, equally deterministic
}

func (o Options) withDefaults() (Options, error) {
	if o.Feeds == 0 {
		o.Feeds = DefaultFeeds
	}
	if o.Entries == 0 {
		o.Entries = DefaultEntries
	}
	if o.Hosts == 0 {
		o.Hosts = DefaultHosts
	}
	switch {
	case o.Feeds < 0:
		return o, fmt.Errorf("farm: feeds must be positive, got %d", o.Feeds)
	case o.Entries < 0:
		return o, fmt.Errorf("farm: entries must be positive, got %d", o.Entries)
	case o.Hosts < 0 || o.Hosts > MaxHosts:
		return o, fmt.Errorf("farm: hosts must be 1..%d, got %d", MaxHosts, o.Hosts)
	}
	return o, nil
}

// Farm is a running set of feeds. Its methods are safe for concurrent use.
type Farm struct {
	opts    Options
	feeds   []*feed
	urls    []string
	shared  bool
	servers []*http.Server
	serving sync.WaitGroup

	ok200, notModified atomic.Int64

	mu      sync.Mutex // serialises Change
	changes uint64
}

// Start generates the feeds and serves them until Close. Feed i is served
// by listener i mod Hosts, so that a client's per-host limit does not
// serialise the whole farm.
func Start(opts Options) (*Farm, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	lns, shared, err := listen(opts.Hosts)
	if err != nil {
		return nil, err
	}
	f := &Farm{opts: opts, shared: shared, feeds: make([]*feed, opts.Feeds), urls: make([]string, opts.Feeds)}
	parallel(opts.Feeds, func(w *worker, i int) {
		b := newBlog(opts.Seed, i, "http://"+lns[i%len(lns)].Addr().String())
		b.feeds = opts.Feeds
		fd := &feed{blog: b}
		fd.cur.Store(w.first(b, opts.Entries))
		f.feeds[i], f.urls[i] = fd, b.url
	})
	quiet := log.New(io.Discard, "", 0)
	for _, ln := range lns {
		srv := &http.Server{Handler: f, ReadHeaderTimeout: 10 * time.Second, ErrorLog: quiet}
		f.servers = append(f.servers, srv)
		f.serving.Go(func() { srv.Serve(ln) })
	}
	return f, nil
}

// listen opens one listener on each of 127.0.0.1..127.0.0.n. Linux routes
// all of 127.0.0.0/8 to the loopback interface; where only 127.0.0.1 exists
// (macOS by default), it opens n ports on 127.0.0.1 instead and says so.
func listen(n int) (lns []net.Listener, shared bool, err error) {
	lns, err = listenEach(n, func(i int) string { return fmt.Sprintf("127.0.0.%d:0", i+1) })
	if err == nil {
		return lns, false, nil
	}
	lns, err2 := listenEach(n, func(int) string { return "127.0.0.1:0" })
	if err2 != nil {
		return nil, false, fmt.Errorf("farm: listen: %w", errors.Join(err, err2))
	}
	return lns, true, nil
}

func listenEach(n int, addr func(i int) string) ([]net.Listener, error) {
	lns := make([]net.Listener, 0, n)
	for i := range n {
		ln, err := net.Listen("tcp", addr(i))
		if err != nil {
			for _, l := range lns {
				l.Close()
			}
			return nil, err
		}
		lns = append(lns, ln)
	}
	return lns, nil
}

// CrossPosts returns how many posts of the first version of the feeds are
// copies of another feed's posts: a planet polling every feed once stores
// Feeds x Entries - CrossPosts entries.
func (f *Farm) CrossPosts() int { return CrossPosts(f.opts.Feeds, f.opts.Entries) }

// CrossPosts is Farm.CrossPosts for a farm of feeds x entries, for a
// program whose farm runs in another process.
func CrossPosts(feeds, entries int) int {
	if feeds < 10 {
		return 0
	}
	return (feeds / 10) * entries
}

// URLs returns the feed URLs, in feed order.
func (f *Farm) URLs() []string { return f.urls }

// SharedHost reports whether the listeners fell back to ports of 127.0.0.1
// because 127.0.0.2 could not be bound.
func (f *Farm) SharedHost() bool { return f.shared }

// Hosts returns the number of listeners.
func (f *Farm) Hosts() int { return len(f.servers) }

// Change adds one new post to round(fraction x feeds) feeds, dropping their
// oldest, which changes their ETag and Last-Modified. It returns the URLs
// of the feeds it changed, in the order of URLs. Which feeds change is
// deterministic too.
func (f *Farm) Change(fraction float64) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	if fraction > 0 {
		n = int(math.Round(min(fraction, 1) * float64(len(f.feeds))))
	}
	f.changes++
	chosen := rand.New(rand.NewPCG(mix(f.opts.Seed), f.changes)).Perm(len(f.feeds))[:n]
	parallel(n, func(w *worker, k int) {
		fd := f.feeds[chosen[k]]
		fd.cur.Store(w.next(fd.blog, fd.cur.Load(), f.opts.Entries))
	})
	slices.Sort(chosen)
	urls := make([]string, n)
	for k, i := range chosen {
		urls[k] = f.urls[i]
	}
	return urls
}

// Stats returns the number of 200 and 304 answers since Start or ResetStats.
func (f *Farm) Stats() (ok200, notModified int) {
	return int(f.ok200.Load()), int(f.notModified.Load())
}

// ResetStats sets the counters of Stats to zero.
func (f *Farm) ResetStats() {
	f.ok200.Store(0)
	f.notModified.Store(0)
}

// Size returns the bytes the feeds take, plain and gzipped.
func (f *Farm) Size() (plain, gzipped int64) {
	for _, fd := range f.feeds {
		d := fd.cur.Load()
		plain += int64(len(d.body))
		gzipped += int64(len(d.gz))
	}
	return plain, gzipped
}

// Close stops serving, closing open connections.
func (f *Farm) Close() error {
	var errs []error
	for _, srv := range f.servers {
		errs = append(errs, srv.Close())
	}
	f.serving.Wait()
	return errors.Join(errs...)
}
