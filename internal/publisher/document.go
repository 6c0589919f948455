package publisher

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/villagefeeds/village/internal/server"
	"github.com/villagefeeds/village/internal/site"
)

// ErrNotRendered is Document's answer while no render has succeeded yet.
var ErrNotRendered = errors.New("the site could not be rendered yet")

// call is one render on demand that the requests for its key share.
type call struct {
	done chan struct{}
	doc  *server.Document
	err  error
}

// Document returns the document at k: from the cache while no change
// touched it, else rendered now (once, however many ask at the same time;
// a few at a time, so that rendering never takes every core from ingest).
// With gz it makes the gzipped copy too. Before the first burst (the
// start) it waits for it, so a request made the moment the server starts
// listening gets the site, not an error.
func (p *Publisher) Document(ctx context.Context, k site.Key, gz bool) (*server.Document, error) {
	select {
	case <-p.ready:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if p.snap.Load() == nil {
		return nil, ErrNotRendered
	}
	stale, fresh := p.cache.get(k)
	if fresh {
		if gz && stale.GzippedIfMade() == nil {
			stale.Gzipped()
			p.cache.resize(k, stale)
		}
		return stale, nil
	}
	for {
		d, err := p.shared(ctx, k, gz)
		switch {
		case err == nil || ctx.Err() != nil || errors.Is(err, site.ErrNoPage):
			return d, err
		case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
			// A render is shared: when the request that started it
			// left, the others start their own.
			continue
		case stale != nil:
			// The store failed: the last version beats an error page.
			p.log.Warn("render failed; serving the last version", "path", k.String(), "error", err)
			return stale, nil
		}
		return nil, err
	}
}

// shared renders k, or waits for the render of k already under way.
func (p *Publisher) shared(ctx context.Context, k site.Key, gz bool) (*server.Document, error) {
	p.mu.Lock()
	c, ok := p.calls[k]
	if !ok {
		c = &call{done: make(chan struct{})}
		p.calls[k] = c
	}
	p.mu.Unlock()
	if ok {
		select {
		case <-c.done:
			if gz && c.doc != nil && c.doc.GzippedIfMade() == nil {
				c.doc.Gzipped()
				p.cache.resize(k, c.doc)
			}
			return c.doc, c.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	c.doc, c.err = p.render(ctx, k, gz)
	p.mu.Lock()
	delete(p.calls, k)
	p.mu.Unlock()
	close(c.done)
	return c.doc, c.err
}

// render renders k in one of the slots and keeps it in the cache.
func (p *Publisher) render(ctx context.Context, k site.Key, gz bool) (*server.Document, error) {
	select {
	case p.slots <- struct{}{}:
		defer func() { <-p.slots }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	start := time.Now()
	defer func() { p.spent.Add(int64(time.Since(start))) }()
	// The generation is taken before anything is read: a change that
	// lands during the render leaves the result stale, never the reverse.
	gen := p.cache.generation()
	snap, err := p.snapshot(ctx, gen)
	if err != nil {
		return nil, err
	}
	doc, err := snap.Render(ctx, k)
	if err != nil {
		return nil, fmt.Errorf("render %s: %w", k, err)
	}
	d := server.NewDocument(doc.ContentType, doc.Body, time.Now())
	if old, _ := p.cache.get(k); old != nil && bytes.Equal(old.Body, d.Body) {
		d = old // same bytes: same Last-Modified, and the gzipped copy is made
	}
	if gz {
		d.Gzipped()
	}
	p.cache.put(k, d, gen, head[k])
	return d, nil
}

// snapAt is a snapshot and the cache generation it was read in.
type snapAt struct {
	snap *site.Snapshot
	gen  uint64
}

// snapshot returns a snapshot of the site read in generation gen or later:
// the sources, their health and the theme as the last change left them.
// It is read again (once, whoever asks) after each change.
func (p *Publisher) snapshot(ctx context.Context, gen uint64) (*site.Snapshot, error) {
	if s := p.snap.Load(); s != nil && s.gen >= gen {
		return s.snap, nil
	}
	p.snapMu.Lock()
	defer p.snapMu.Unlock()
	if s := p.snap.Load(); s != nil && s.gen >= gen {
		return s.snap, nil
	}
	gen = p.cache.generation()
	p.mu.Lock()
	opts := p.cfg.Site
	p.mu.Unlock()
	opts.Static = false
	snap, err := p.builder.Snapshot(ctx, p.st, opts)
	if err != nil {
		return nil, err
	}
	p.snap.Store(&snapAt{snap, gen})
	return snap, nil
}
