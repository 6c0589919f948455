// Package publisher owns what a planet publishes: it renders the site
// after changes, serves its documents from one cache with a byte budget,
// keeps output_dir current and tells the WebSub hub which feeds changed.
//
// The documents that change with every new post and cost little whatever
// the planet's size (the front page, the merged feeds, the OPML list) are
// rendered once per burst of changes. Every other document (a source's or
// a tag's page and feeds, archive pages) is rendered when first asked for
// and kept in the cache until a change touches its listing or the budget
// needs its room, so memory follows the configuration, not the number of
// sources or entries.
package publisher

import (
	"context"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/villagefeeds/village/internal/server"
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
	// RenderEvery is the least time between two renders while changes keep
	// coming; default 250ms. A render that takes long waits longer (nine
	// times its duration), so rendering takes at most a tenth of a core
	// away from ingest, whatever the planet's size.
	RenderEvery time.Duration
	// WebSub configures the pings; its Done is wrapped to report them to
	// Observe as "websub".
	WebSub websub.Options
	// Observe, when set, is told of each render that published something
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

	head  atomic.Pointer[map[site.Key]*server.Document] // rendered each burst
	snap  atomic.Pointer[site.Snapshot]                 // renders the rest on demand
	ready chan struct{}                                 // closed after the first render
	once  sync.Once
	wake  chan struct{}

	mu      sync.Mutex // guards the fields below
	cfg     Config
	touched map[int64]bool // sources whose health changed since the last render
	all     bool           // everything changed (a reload): render and write it all
	calls   map[site.Key]*call

	burstMu sync.Mutex // one burst at a time; guards the fields below
	mark    int64      // the store's change mark at the last render
	out     output
}

// New returns a Publisher; nothing is rendered before Run or Flush.
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
// calls gives one render.
func (p *Publisher) Changed(ids ...int64) {
	p.mu.Lock()
	for _, id := range ids {
		p.touched[id] = true
	}
	p.mu.Unlock()
	p.poke()
}

// Reconfigure puts cfg in force at the next render, which renders and
// writes everything again: names, tags, the theme or the link may differ.
func (p *Publisher) Reconfigure(cfg Config) {
	p.mu.Lock()
	p.cfg, p.all = cfg, true
	p.mu.Unlock()
	p.poke()
}

func (p *Publisher) poke() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// recheck is how often Run looks for changes nobody told it of: another
// process (village prune) wrote to the store.
const recheck = time.Minute

// Run renders at once, then after every change, until ctx is done; it
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
		next := start.Add(max(p.every, 9*time.Since(start)))
		select {
		case <-ctx.Done():
			return nil
		case <-p.wake:
		case <-tick.C:
			p.poke() // Flush finds out whether the store changed
		}
		if !sleepUntil(ctx, next) {
			return nil
		}
	}
}

// sleepUntil waits until t; false when ctx ended first.
func sleepUntil(ctx context.Context, t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err() == nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
		return true
	}
}

// Flush renders what changed now, publishes it and keeps output_dir
// current. Run calls it; `village fetch` calls it once.
func (p *Publisher) Flush(ctx context.Context) error {
	p.burstMu.Lock()
	defer p.burstMu.Unlock()
	p.mu.Lock()
	cfg, touched, all := p.cfg, p.touched, p.all
	p.touched, p.all = map[int64]bool{}, false
	p.mu.Unlock()
	err := p.burst(ctx, cfg, touched, all)
	if err != nil {
		// Keep what this burst was to do for the next one.
		p.mu.Lock()
		p.all = p.all || all
		for id := range touched {
			p.touched[id] = true
		}
		p.mu.Unlock()
	}
	p.once.Do(func() { close(p.ready) })
	return err
}
