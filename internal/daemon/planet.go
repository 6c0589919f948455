// Package daemon runs a planet: it keeps the sources of feeds.yaml in the
// store, polls them on schedule, publishes the site after every change
// and serves it.
package daemon

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/villagefeeds/village/internal/config"
	"github.com/villagefeeds/village/internal/fetch"
	"github.com/villagefeeds/village/internal/filter"
	"github.com/villagefeeds/village/internal/limit"
	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/redact"
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
	limits  *limit.Limits // host, connection and work slots, across reloads

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
	st.SetLogger(log)
	p := newPlanet(st, cfg, version, log)
	if err := p.Apply(ctx, cfg); err != nil {
		st.Close()
		return nil, err
	}
	return p, nil
}

// OpenPlanetReadOnly opens the store named by cfg read-only, for commands
// that render from it (build): the sources are the ones the daemon last
// synced, and nothing is written. Such a planet renders; it does not
// refresh (Refresher is nil).
func OpenPlanetReadOnly(ctx context.Context, cfg *config.Config, version string, log *slog.Logger) (*Planet, error) {
	st, err := store.OpenReadOnly(ctx, cfg.Database)
	if err != nil {
		return nil, err
	}
	p := newPlanet(st, cfg, version, log)
	p.cfg = cfg
	return p, nil
}

func newPlanet(st *store.Store, cfg *config.Config, version string, log *slog.Logger) *Planet {
	return &Planet{
		log: log, version: version, store: st,
		fetcher: NewFetcher(cfg, version),
		limits:  NewLimits(cfg),
	}
}

// NewFetcher returns the fetch client cfg asks for: its timeouts, body cap
// and private-address guard.
func NewFetcher(cfg *config.Config, version string) *fetch.Client {
	return fetch.New(fetch.Options{
		UserAgent:    UserAgent(version, cfg.Link),
		Timeout:      cfg.Timeout,
		MaxBodyBytes: cfg.MaxBodySize,
		AllowPrivate: cfg.AllowPrivateNetworks,
	})
}

// NewLimits returns the slots cfg asks for: per_host, connections, and
// concurrency for the parsing and storing.
func NewLimits(cfg *config.Config) *limit.Limits {
	return limit.New(limit.Options{PerHost: cfg.PerHost, Connections: cfg.Connections, Work: cfg.Concurrency})
}

// Limits returns the planet's slots, for /metrics.
func (p *Planet) Limits() *limit.Limits { return p.limits }

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
	active, err := p.store.SyncSources(ctx, cfg.Sources())
	if err != nil {
		return fmt.Errorf("sync sources: %w", err)
	}
	filters := cfg.Filters()
	if err := p.filterStored(ctx, active, filters); err != nil {
		return err
	}
	r := refresh.New(p.fetcher, p.store, cfg.Interval, p.log).
		Limit(p.limits).Redact(redact.New(cfg.SecretParams)).Credentials(credentials(cfg)).
		Filter(filters).Dedup(cfg.Dedup.Options()).Flood(cfg.NewSourceEntries, cfg.Entries)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cfg = cfg
	p.refresher = r
	return nil
}

// filterStored applies the sources' filters to the entries already stored,
// so that a rule added or changed in feeds.yaml takes effect on the archive
// too, and a rule removed shows its entries again.
func (p *Planet) filterStored(ctx context.Context, stored []model.Source, filters map[string]filter.Filter) error {
	keep := make(map[int64]store.Keep, len(filters))
	for _, s := range stored {
		if f, ok := filters[s.URL]; ok {
			keep[s.ID] = refresh.KeepStored(f)
		}
	}
	n, err := p.store.FilterEntries(ctx, keep)
	if err != nil {
		return err
	}
	if n > 0 {
		p.log.Info("filters applied to stored entries", "entries_changed", n)
	}
	return nil
}

// credentials are the feeds' basic auth, by URL.
func credentials(cfg *config.Config) map[string]refresh.Credential {
	out := make(map[string]refresh.Credential)
	for _, f := range cfg.Feeds {
		if f.Username != "" {
			out[f.URL] = refresh.Credential{Username: f.Username, Password: f.Password}
		}
	}
	return out
}

// Redactor hides the secrets of feed URLs in what the planet shows.
func (p *Planet) Redactor() *redact.Redactor { return redact.New(p.Config().SecretParams) }

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
	restart("connections", c.Connections != old.Connections)
	restart("allow_private_networks", c.AllowPrivateNetworks != old.AllowPrivateNetworks)
	c.Listen, c.Database = old.Listen, old.Database
	c.Concurrency, c.PerHost, c.Timeout, c.MaxBodySize = old.Concurrency, old.PerHost, old.Timeout, old.MaxBodySize
	c.Connections, c.AllowPrivateNetworks = old.Connections, old.AllowPrivateNetworks
	return &c
}

// RefreshAll refreshes srcs through the pool, as one poll round: the
// refresher takes the planet's slots (host, connection, then work; see
// package limit), so a slow host never holds up the others. done is called
// after each, one call at a time.
func (p *Planet) RefreshAll(ctx context.Context, srcs []model.Source, done func(refresh.Outcome)) {
	p.RefreshWatched(ctx, srcs, nil, done)
}

// RefreshWatched is RefreshAll that also calls started (when not nil) as
// each fetch begins, once it holds its slots, so that a display can show
// the sources in flight; started and done are called one at a time.
func (p *Planet) RefreshWatched(ctx context.Context, srcs []model.Source, started func(model.Source), done func(refresh.Outcome)) {
	r := p.Refresher()
	round := time.Now()
	var mu sync.Mutex
	if started != nil {
		r = r.Watch(func(s model.Source) {
			mu.Lock()
			defer mu.Unlock()
			started(s)
		})
	}
	pool := p.pool(ctx, func(ctx context.Context, src model.Source) {
		out := r.Refresh(ctx, src, round)
		mu.Lock()
		defer mu.Unlock()
		done(out)
	})
	pool.add(srcs...)
	pool.wait()
}

// pool returns a pool of polls: as many at once as may wait on the network
// (connections) and be parsed and stored (concurrency), so that hosts that
// never answer hold only connection slots and the pool always has room for
// healthy ones; per_host of them per host. The refresher takes the slots
// themselves (package limit); the pool only bounds the goroutines.
func (p *Planet) pool(ctx context.Context, run func(context.Context, model.Source)) *pollPool {
	cfg := p.Config()
	return newPollPool(ctx, cfg.Connections+cfg.Concurrency, cfg.PerHost, run)
}

// Refresher returns the refresher in force.
func (p *Planet) Refresher() *refresh.Refresher {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.refresher
}
