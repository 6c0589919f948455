// Package daemon runs a planet: it keeps the sources of feeds.yaml in the
// store, polls them on schedule, publishes the site after every change
// and serves it.
package daemon

import (
	"context"
	"fmt"
	"log/slog"
	"sync"

	"github.com/villagefeeds/village/internal/config"
	"github.com/villagefeeds/village/internal/fetch"
	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/refresh"
	"github.com/villagefeeds/village/internal/store"
)

// Planet is a configuration, its store and the means to refresh and
// publish it. `village fetch` uses it directly; the Daemon adds scheduling,
// the HTTP server and config reloads around it.
type Planet struct {
	log     *slog.Logger
	version string
	store   *store.Store
	fetcher *fetch.Client
	slots   chan struct{} // feeds parsed and stored at once, across reloads

	mu        sync.RWMutex
	cfg       *config.Config
	refresher *refresh.Refresher
}

// OpenPlanet opens the store named by cfg and syncs its sources.
func OpenPlanet(ctx context.Context, cfg *config.Config, version string, log *slog.Logger) (*Planet, error) {
	st, err := store.Open(ctx, cfg.Database)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", cfg.Database, err)
	}
	p := &Planet{log: log, version: version, store: st, slots: make(chan struct{}, cfg.Concurrency)}
	p.fetcher = fetch.New(fetch.Options{
		UserAgent:     UserAgent(version, cfg.Link),
		Timeout:       cfg.Timeout,
		MaxBodyBytes:  cfg.MaxBodySize,
		MaxConcurrent: cfg.Concurrency,
		MaxPerHost:    cfg.PerHost,
	})
	if err := p.Apply(ctx, cfg); err != nil {
		st.Close()
		return nil, err
	}
	return p, nil
}

// UserAgent names village, its version and the planet, so that a blog's
// owner who sees us in their logs knows who is polling and why.
func UserAgent(version, link string) string {
	return fmt.Sprintf("village/%s (+%s)", version, link)
}

// Close closes the store.
func (p *Planet) Close() error { return p.store.Close() }

// Store returns the planet's store.
func (p *Planet) Store() *store.Store { return p.store }

// Config returns the configuration in force.
func (p *Planet) Config() *config.Config {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.cfg
}

// Apply puts cfg in force: the store's active sources become exactly cfg's.
// Settings that only take effect at start (listen, database, fetch limits)
// are kept from the first configuration, with a warning.
func (p *Planet) Apply(ctx context.Context, cfg *config.Config) error {
	if old := p.Config(); old != nil {
		cfg = keepStartupSettings(old, cfg, p.log)
	}
	if _, err := p.store.SyncSources(ctx, cfg.Sources()); err != nil {
		return fmt.Errorf("sync sources: %w", err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cfg = cfg
	p.refresher = refresh.New(p.fetcher, p.store, cfg.Interval, p.log).Limit(p.slots)
	return nil
}

func keepStartupSettings(old, cfg *config.Config, log *slog.Logger) *config.Config {
	c := *cfg
	restart := func(field string, changed bool) {
		if changed {
			log.Warn("setting changes only after a restart", "file", cfg.Path, "field", field)
		}
	}
	restart("listen", c.Listen != old.Listen)
	restart("database", c.Database != old.Database)
	restart("concurrency", c.Concurrency != old.Concurrency)
	restart("per_host", c.PerHost != old.PerHost)
	restart("timeout", c.Timeout != old.Timeout)
	restart("max_body_size", c.MaxBodySize != old.MaxBodySize)
	c.Listen, c.Database = old.Listen, old.Database
	c.Concurrency, c.PerHost, c.Timeout, c.MaxBodySize = old.Concurrency, old.PerHost, old.Timeout, old.MaxBodySize
	return &c
}

// RefreshAll refreshes srcs through the pool: the fetch client bounds the
// fetches (per host first, then overall) and the refresher bounds the
// parsing, so a slow host never holds up the others. done is called after
// each, one call at a time.
func (p *Planet) RefreshAll(ctx context.Context, srcs []model.Source, done func(refresh.Outcome)) {
	r := p.Refresher()
	var mu sync.Mutex
	pool := p.pool(ctx, func(ctx context.Context, src model.Source) {
		out := r.Refresh(ctx, src)
		mu.Lock()
		defer mu.Unlock()
		done(out)
	})
	pool.add(srcs...)
	pool.wait()
}

// pool returns a pool of polls with the planet's limits: twice as many
// polls as fetches run at once, so that a fetch slot never waits for a
// poll to start, and per_host of them per host.
func (p *Planet) pool(ctx context.Context, run func(context.Context, model.Source)) *pollPool {
	cfg := p.Config()
	return newPollPool(ctx, 2*cfg.Concurrency, cfg.PerHost, run)
}

// Refresher returns the refresher in force.
func (p *Planet) Refresher() *refresh.Refresher {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.refresher
}
