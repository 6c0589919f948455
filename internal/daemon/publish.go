package daemon

import (
	"log/slog"
	"time"

	"github.com/villagefeeds/village/internal/config"
	"github.com/villagefeeds/village/internal/publisher"
	"github.com/villagefeeds/village/internal/redact"
	"github.com/villagefeeds/village/internal/site"
	"github.com/villagefeeds/village/internal/websub"
)

// PublishOptions are what the caller of Planet.Publisher decides; the
// rest comes from the configuration.
type PublishOptions struct {
	Logger *slog.Logger
	// RenderEvery is the least time between two bursts of changes; the
	// publisher's default when zero.
	RenderEvery time.Duration
	// Observe, when set, is told of bursts published ("published") and
	// WebSub pings ("websub").
	Observe func(kind string, err error)
	// wrap, set by tests, stands between the publisher and the store.
	wrap func(publisher.Store) publisher.Store
}

// Publisher returns a publisher of the planet's site: the one place where
// the configuration becomes a publisher, for `village serve`, `village
// fetch` with output_dir and `village build`.
func (p *Planet) Publisher(o PublishOptions) *publisher.Publisher {
	var st publisher.Store = p.store
	if o.wrap != nil {
		st = o.wrap(st)
	}
	return publisher.New(publisher.Options{
		Config:      publisherConfig(p.Config(), p.version),
		Store:       st,
		Logger:      o.Logger,
		RenderEvery: o.RenderEvery,
		Observe:     o.Observe,
		// The hub is an address like a feed's: refused when private unless
		// allow_private_networks says otherwise.
		WebSub: websub.Options{Client: p.fetcher.HTTPClient()},
	})
}

// publisherConfig is what of cfg the publisher takes, at start and at
// every reload.
func publisherConfig(cfg *config.Config, version string) publisher.Config {
	return publisher.Config{
		Site: site.Options{
			Title: cfg.Title, Link: cfg.Link, Author: cfg.Author,
			Generator: "village", Version: version,
			PerPage: cfg.Entries, Hub: cfg.WebSubHub, ThemeDir: cfg.ThemeDir,
			Redact: redact.New(cfg.SecretParams),
		},
		OutputDir: cfg.OutputDir,
		CacheSize: cfg.CacheSize,
	}
}
