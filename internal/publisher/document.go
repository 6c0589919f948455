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

// Document returns the document at k: a head document as the last burst
// rendered it, else from the cache, else rendered now (once, however many
// ask at the same time; a few at a time, so that rendering never takes
// every core from ingest). With gz it makes the gzipped copy too. Before
// the first render it waits for it, so a request made the moment the
// server starts listening gets the site, not an error.
func (p *Publisher) Document(ctx context.Context, k site.Key, gz bool) (*server.Document, error) {
	select {
	case <-p.ready:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if m := p.head.Load(); m != nil {
		if d := (*m)[k]; d != nil {
			if gz {
				d.Gzipped()
			}
			return d, nil
		}
	}
	if p.snap.Load() == nil {
		return nil, ErrNotRendered
	}
	if d, fresh := p.cache.get(k); fresh {
		if gz && d.GzippedIfMade() == nil {
			d.Gzipped()
			p.cache.resize(k, d)
		}
		return d, nil
	}
	for {
		d, err := p.shared(ctx, k, gz)
		// A render is shared: when the request that started it left, the
		// others start their own.
		if err != nil && ctx.Err() == nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
			continue
		}
		return d, err
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
	// The generation is taken before the snapshot: a burst that replaces
	// the snapshot invalidates after, so a render from an older snapshot
	// is never kept as fresh.
	gen := p.cache.generation()
	snap := p.snap.Load()
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
	p.cache.put(k, d, gen)
	return d, nil
}
