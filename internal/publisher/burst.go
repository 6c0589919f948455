package publisher

import (
	"bytes"
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/villagefeeds/village/internal/server"
	"github.com/villagefeeds/village/internal/site"
)

// burst renders after a burst of changes: touched are the sources whose
// health changed, all says everything did. It reads from the store which
// listings changed since the last burst, renders the head documents,
// marks what the changes touched stale in the cache, pings the hub about
// the feeds that changed and brings output_dir up to date.
func (p *Publisher) burst(ctx context.Context, cfg Config, touched map[int64]bool, all bool) error {
	start := time.Now()
	changed, mark, err := p.st.Changes(ctx, p.mark)
	if err != nil {
		return err
	}
	if !all && len(touched) == 0 && len(changed) == 0 && p.snap.Load() != nil {
		return nil
	}
	opts := cfg.Site
	opts.Static = false
	snap, err := p.builder.Snapshot(ctx, p.st, opts)
	if err != nil {
		return err
	}
	docs, err := snap.Head(ctx)
	if err != nil {
		return err
	}
	topics, n := p.publishHead(docs, opts.Link)
	p.snap.Store(snap)
	if all {
		p.cache.invalidateAll(cacheSize(cfg))
	} else {
		ids := append(slices.Collect(maps.Keys(touched)), changed...)
		affected := snap.Affected(ids)
		if len(changed) > 0 {
			affected = append(affected, "/") // the archive pages shift
		}
		p.cache.invalidate(affected)
	}
	if opts.Hub != "" && !all {
		for _, l := range snap.Affected(changed) {
			for _, f := range snap.Feeds(l) {
				topics = append(topics, opts.Link+strings.TrimPrefix(f, "/"))
			}
		}
	}
	p.websub.Notify(opts.Hub, topics...)
	p.mark = mark
	written, outErr := p.out.sync(ctx, p.builder, p.st, cfg, all, append(slices.Collect(maps.Keys(touched)), changed...))
	p.log.Debug("published", "documents", n, "files", written, "feeds", len(topics),
		"sources_changed", len(changed), "duration_ms", time.Since(start).Milliseconds())
	p.observe("published", outErr)
	return outErr
}

// publishHead puts the head documents in place of the last burst's. A
// document whose bytes did not change stays as it was, with its
// Last-Modified and gzipped copy. It returns the public URLs of the feeds
// that changed and how many documents did.
func (p *Publisher) publishHead(docs []site.Doc, link string) (topics []string, changed int) {
	var old map[site.Key]*server.Document
	if m := p.head.Load(); m != nil {
		old = *m
	}
	now := time.Now()
	head := make(map[site.Key]*server.Document, len(docs))
	for _, d := range docs {
		if o := old[d.Key()]; o != nil && bytes.Equal(o.Body, d.Body) {
			head[d.Key()] = o
			continue
		}
		head[d.Key()] = server.NewDocument(d.ContentType, d.Body, now)
		changed++
		if d.Topic {
			topics = append(topics, link+strings.TrimPrefix(d.Path, "/"))
		}
	}
	p.head.Store(&head)
	return topics, changed
}
