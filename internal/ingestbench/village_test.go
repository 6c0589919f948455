package ingestbench

import (
	"context"
	"flag"
	"fmt"
	"log/slog"

	"github.com/villagefeeds/village/internal/config"
	"github.com/villagefeeds/village/internal/daemon"
	"github.com/villagefeeds/village/internal/refresh"
	"github.com/villagefeeds/village/internal/store"
)

var nearDuplicates = flag.Bool("ingest.near", true, "find near-duplicate cross-posts (dedup.near_duplicates)")

// village is a cold `village fetch` of urls into a new database at dbPath,
// with the default configuration: the planet opened (sources synced), every
// source refreshed once through the real refresh path, the planet closed.
// It returns how many entries the store holds.
func village(ctx context.Context, dbPath string, urls []string) (int, error) {
	cfg := config.Default()
	cfg.Path = "(ingestbench)"
	cfg.Database = dbPath
	cfg.AllowPrivateNetworks = true // the farm listens on loopback
	cfg.Dedup.NearDuplicates = *nearDuplicates
	cfg.Feeds = make([]config.Feed, len(urls))
	for i, u := range urls {
		cfg.Feeds[i] = config.Feed{Name: fmt.Sprintf("Blog %04d", i), URL: u, Line: i + 1}
	}
	p, err := daemon.OpenPlanet(ctx, cfg, "bench", slog.New(slog.DiscardHandler))
	if err != nil {
		return 0, err
	}
	srcs, err := p.Store().Sources(ctx)
	if err != nil {
		p.Close()
		return 0, err
	}
	var first error
	p.RefreshAll(ctx, srcs, func(o refresh.Outcome) {
		if o.Err != nil && first == nil {
			first = o.Err
		}
	})
	n, err := p.Store().CountEntries(ctx, store.Query{})
	if cerr := p.Close(); err == nil {
		err = cerr
	}
	if first != nil {
		err = first
	}
	return n, err
}
