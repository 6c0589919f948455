package publisher

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/villagefeeds/village/internal/site"
)

// head are the documents that show every new post: the front page, the
// merged feeds, the OPML list (every source's name) and the stylesheet.
// They stay in memory outside the cache's budget.
var head = map[site.Key]bool{
	{Path: "/", Page: 1}: true, {Path: "/atom.xml", Page: 1}: true, {Path: "/rss.xml", Page: 1}: true,
	{Path: "/feed.json", Page: 1}: true, {Path: "/opml.xml", Page: 1}: true, {Path: "/style.css", Page: 1}: true,
}

// burst publishes a burst of changes: touched are the sources whose
// health changed, all says everything did. It reads from the store which
// listings changed since the last burst, marks what they show stale (the
// front page and the merged feeds, the changed sources' and their tags'
// documents), so that the next request renders them again, pings the hub
// about the feeds that changed and brings output_dir up to date. It renders
// nothing itself but output_dir's pages: a change nobody reads costs
// nothing, and ten readers of the front page cost one render.
func (p *Publisher) burst(ctx context.Context, cfg Config, touched map[int64]bool, all bool) error {
	start := time.Now()
	changed, mark, err := p.st.Changes(ctx, p.mark)
	if err != nil {
		return err
	}
	if !all && len(touched) == 0 && len(changed) == 0 && p.snap.Load() != nil {
		return nil
	}
	ids := append(slices.Collect(maps.Keys(touched)), changed...)
	var snap *site.Snapshot
	if s := p.snap.Load(); all || s == nil {
		p.cache.invalidateAll(cacheSize(cfg))
		// feeds.yaml may have renamed or retagged sources: read where
		// their pages are now (and what the first request needs).
		if snap, err = p.snapshot(ctx, p.cache.generation()); err != nil {
			return err
		}
	} else {
		// Slugs and tags change only with feeds.yaml, which invalidates
		// everything: the last snapshot knows where the sources' pages are.
		snap = s.snap
		stale := append(snap.Affected(ids), headListing)
		if len(changed) > 0 {
			stale = append(stale, "/") // the archive pages shift
		}
		p.cache.invalidate(stale)
	}
	topics := p.topics(cfg.Site, snap, changed, all)
	p.websub.Notify(cfg.Site.Hub, topics...)
	p.mark = mark
	written, outErr := p.out.sync(ctx, p.builder, p.st, cfg, all, ids)
	p.log.Debug("published", "sources_changed", len(changed), "sources_touched", len(touched), "all", all,
		"files", written, "feeds", len(topics), "duration_ms", time.Since(start).Milliseconds())
	p.observe("published", outErr)
	return outErr
}

// topics are the public URLs of the feeds that new or changed entries
// touched: the merged feeds, and the changed sources' and their tags'.
func (p *Publisher) topics(opts site.Options, snap *site.Snapshot, changed []int64, all bool) []string {
	if opts.Hub == "" || len(changed) == 0 {
		return nil
	}
	link := opts.Link
	if !strings.HasSuffix(link, "/") {
		link += "/"
	}
	topics := []string{link + "atom.xml", link + "rss.xml", link + "feed.json"}
	if snap == nil || all {
		return topics
	}
	for _, l := range snap.Affected(changed) {
		for _, f := range snap.Feeds(l) {
			topics = append(topics, link+strings.TrimPrefix(f, "/"))
		}
	}
	return topics
}
