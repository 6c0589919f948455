// Package publisher owns what a planet publishes: it renders the site's
// documents, serves them from one cache with a byte budget, keeps
// output_dir current and tells the WebSub hub which feeds changed.
//
// A burst of changes (the polls that stored something at about the same
// time) marks stale what it touched: the front page and the merged feeds,
// the changed sources' documents and their tags'. A document is rendered
// when asked for, at most once per burst however many ask: the front page
// and the merged feeds are then kept in memory, every other document (a
// source's or a tag's page and feeds, archive pages) in the cache until a
// change touches it or the budget needs its room. Memory follows the
// configuration, not the number of sources or entries, and a change that
// nobody reads costs nothing.
package publisher

import (
	"context"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/villagefeeds/village/internal/site"
	"github.com/villagefeeds/village/internal/websub"
)

// Store is what the publisher reads.
type Store interface {
	site.Store
	// Changes returns the sources whose listing changed after mark, and
	// the mark to ask from next time.
	Changes(ctx context.Context, mark int64) ([]int64, int64, error)
}

// DefaultCacheSize is the cache's budget when Config leaves it zero.
const DefaultCacheSize = 32 << 20

// Config is what a reload of feeds.yaml may change.
type Config struct {
	Site      site.Options // the served site; Static is ignored
	OutputDir string       // where to keep a static copy of the site; "" for none
	CacheSize int64        // bytes of documents kept; DefaultCacheSize when 0
}

// Options configure a Publisher.
type Options struct {
	Config
	Store  Store
	Logger *slog.Logger
	// RenderEvery is the least time between two bursts while changes keep
	// coming; default 250ms. When the renders a burst caused (on request)
	// took long, the next waits longer, up to a second (ten times their
	// duration), so rendering takes a small share of the machine however
	// large the planet, and a new post shows within about a second.
	RenderEvery time.Duration
	// WebSub configures the pings; its Done is wrapped to report them to
	// Observe as "websub".
	WebSub websub.Options
	// Observe, when set, is told of each burst of changes published
	// ("published") and of each WebSub ping ("websub").
	Observe func(kind string, err error)
}

// Publisher renders, caches and publishes the site. Create it with New,
// run it with Run; Document is safe to call from many goroutines.
type Publisher struct {
	st      Store
	log     *slog.Logger
	every   time.Duration
	observe func(string, error)
	builder *site.Builder
	websub  *websub.Publisher
	cache   *cache
	slots   chan struct{} // renders on demand at once

	snap   atomic.Pointer[snapAt] // the site's sources and theme, to render from
	snapMu sync.Mutex             // one read of a snapshot at a time
	spent  atomic.Int64           // nanoseconds spent rendering since the last burst
	ready  chan struct{}          // closed after the first burst
	once   sync.Once
	wake   chan struct{}
	// settled is signalled by Settle when changes wait to be published;
	// pending is set by every change and cleared by the burst that
	// publishes it.
	settled chan struct{}
	pending atomic.Bool

	mu      sync.Mutex // guards the fields below
	cfg     Config
	touched map[int64]bool // sources whose health changed since the last burst
	all     bool           // everything changed (a reload): render and write it all
	calls   map[site.Key]*call

	burstMu sync.Mutex // one burst at a time; guards the fields below
	mark    int64      // the store's change mark at the last burst
	out     output
}

// New returns a Publisher; nothing is served before Run or Flush.
func New(opts Options) *Publisher {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.RenderEvery <= 0 {
		opts.RenderEvery = 250 * time.Millisecond
	}
	if opts.Observe == nil {
		opts.Observe = func(string, error) {}
	}
	observe := opts.Observe
	wopts := opts.WebSub
	if wopts.Logger == nil {
		wopts.Logger = opts.Logger
	}
	done := wopts.Done
	wopts.Done = func(topic string, err error) {
		if done != nil {
			done(topic, err)
		}
		observe("websub", err)
	}
	p := &Publisher{
		st: opts.Store, log: opts.Logger, every: opts.RenderEvery, observe: observe,
		builder: site.NewBuilder(),
		websub:  websub.New(wopts),
		cache:   newCache(cacheSize(opts.Config)),
		slots:   make(chan struct{}, max(1, runtime.GOMAXPROCS(0)/2)),
		ready:   make(chan struct{}),
		wake:    make(chan struct{}, 1),
		settled: make(chan struct{}, 1),
		cfg:     opts.Config,
		touched: map[int64]bool{},
		all:     true,
		calls:   map[site.Key]*call{},
	}
	return p
}

func cacheSize(c Config) int64 {
	if c.CacheSize <= 0 {
		return DefaultCacheSize
	}
	return c.CacheSize
}

// Changed tells the publisher that what the pages say of sources ids (their
// health) changed, or that the store has new entries (with no ids): the
// store says which listings those touched. It never blocks; a burst of
// calls gives one burst.
func (p *Publisher) Changed(ids ...int64) {
	p.mu.Lock()
	for _, id := range ids {
		p.touched[id] = true
	}
	p.mu.Unlock()
	p.poke()
}

// Reconfigure puts cfg in force at the next burst, after which everything
// is rendered again: names, tags, the theme or the link may differ.
func (p *Publisher) Reconfigure(cfg Config) {
	p.mu.Lock()
	p.cfg, p.all = cfg, true
	p.mu.Unlock()
	p.poke()
}

func (p *Publisher) poke() {
	p.pending.Store(true)
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Settle tells the publisher that no poll is running or waiting: what the
// polls changed is published at once, without waiting out the gap between
// bursts, which is there to keep rendering from crowding out polls still
// running. It never blocks, and does nothing when nothing waits to be
// published.
func (p *Publisher) Settle() {
	if !p.pending.Load() {
		return
	}
	select {
	case p.settled <- struct{}{}:
	default:
	}
}

// recheck is how often Run looks for changes nobody told it of: another
// process (village prune) wrote to the store.
const recheck = time.Minute

// Run publishes at once (the first burst reads the sources, and a request
// waits for it), then after every burst of changes, until ctx is done; it
// also runs the WebSub pings. It returns once everything it started has
// ended.
func (p *Publisher) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() { p.websub.Run(ctx) })
	tick := time.NewTicker(recheck)
	defer tick.Stop()
	for {
		start := time.Now()
		if err := p.Flush(ctx); err != nil && ctx.Err() == nil {
			p.log.Error("render", "error", err)
		}
		// The renders a burst causes happen on request, after it: the gap
		// counts them with the next burst's own time.
		took := time.Since(start) + time.Duration(p.spent.Swap(0))
		// Settled, the next burst waits only as long again as this one
		// took: rendering then takes half the time at most, whatever the
		// polls that trickle in one by one.
		next, settledNext := start.Add(renderGap(p.every, took)), start.Add(2*took)
		select {
		case <-ctx.Done():
			return nil
		case <-p.wake:
		case <-tick.C:
			p.poke() // Flush finds out whether the store changed
		case <-p.settled:
			next = settledNext
		}
		if !p.waitGap(ctx, next, settledNext) {
			return nil
		}
	}
}

// waitGap waits until next, or, once the polls settle (see Settle), until
// settledNext; false when ctx ended first.
func (p *Publisher) waitGap(ctx context.Context, next, settledNext time.Time) bool {
	switch sleepUntil(ctx, next, p.settled) {
	case slept:
		return true
	case woken:
		return sleepUntil(ctx, settledNext, nil) == slept
	}
	return false
}

// How a sleepUntil ended.
const (
	slept = iota
	woken
	cancelled
)

// sleepUntil waits until t, unless ctx ends first, or something comes on
// wake (nil for nothing).
func sleepUntil(ctx context.Context, t time.Time, wake <-chan struct{}) int {
	if ctx.Err() != nil {
		return cancelled
	}
	d := time.Until(t)
	if d <= 0 {
		return slept
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return cancelled
	case <-timer.C:
		return slept
	case <-wake:
		return woken
	}
}

// maxGap bounds renderGap: a post shows within about this long (plus its
// render) of the poll that stored it.
const maxGap = time.Second

// renderGap is the least time between the starts of two bursts, after one
// whose work and the renders it caused took took: ten times that, so that
// rendering takes a tenth of the time at most, but no more than maxGap,
// and never less than every. Past maxGap the renders are bounded by the
// render slots, a few goroutines that the Go scheduler gives no more than
// their share of the CPU beside the polls'.
func renderGap(every, took time.Duration) time.Duration {
	return max(took, every, min(10*took, maxGap))
}

// Flush renders what changed now, publishes it and keeps output_dir
// current. Run calls it; `village fetch` calls it once.
func (p *Publisher) Flush(ctx context.Context) error {
	p.burstMu.Lock()
	defer p.burstMu.Unlock()
	p.mu.Lock()
	cfg, touched, all := p.cfg, p.touched, p.all
	p.touched, p.all = map[int64]bool{}, false
	p.pending.Store(false) // a change after this line pokes again
	p.mu.Unlock()
	err := p.burst(ctx, cfg, touched, all)
	if err != nil {
		// Keep what this burst was to do for the next one.
		p.mu.Lock()
		p.all = p.all || all
		for id := range touched {
			p.touched[id] = true
		}
		p.pending.Store(true)
		p.mu.Unlock()
	}
	p.once.Do(func() { close(p.ready) })
	return err
}
