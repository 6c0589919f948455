package publisher

import (
	"container/list"
	"sync"

	"github.com/villagefeeds/village/internal/server"
	"github.com/villagefeeds/village/internal/site"
)

// entryOverhead is what a cached document costs besides its bytes: the
// list element, the map slot, the Document and its strings, roughly.
const entryOverhead = 256

// cache keeps documents rendered on demand within a byte budget, the least
// recently used dropped first; pinned documents (the head: the front page
// and the merged feeds) are kept besides, outside the budget. A change does not drop what it invalidates:
// it marks it stale, so that a render giving the same bytes keeps the old
// document, its Last-Modified and its gzipped copy.
//
// Staleness works by generations: every invalidation takes a new one and
// stamps it on the listings it names; a document is fresh while no
// listing of its was stamped after the render that made it began.
type cache struct {
	mu     sync.Mutex
	budget int64
	used   int64
	lru    *list.List // of *cached, most recently used first, unpinned only
	items  map[site.Key]*list.Element
	pinned map[site.Key]*cached
	gen    uint64
	since  map[string]uint64 // listing path -> generation of its last invalidation
	all    uint64            // generation of the last invalidation of everything
}

type cached struct {
	key  site.Key
	doc  *server.Document
	size int64
	gen  uint64 // the generation its render began in
}

func newCache(budget int64) *cache {
	return &cache{budget: budget, lru: list.New(), items: map[site.Key]*list.Element{},
		pinned: map[site.Key]*cached{}, since: map[string]uint64{}}
}

// generation returns the current generation: take it before reading what
// a render reads.
func (c *cache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// get returns the document at k (nil when none) and whether it is fresh.
func (c *cache) get(k site.Key) (*server.Document, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if it, ok := c.pinned[k]; ok {
		return it.doc, c.isFresh(it)
	}
	e, ok := c.items[k]
	if !ok {
		return nil, false
	}
	c.lru.MoveToFront(e)
	it := e.Value.(*cached)
	return it.doc, c.isFresh(it)
}

func (c *cache) isFresh(it *cached) bool {
	return it.gen >= c.all && it.gen >= c.since[listingOf(it.key)]
}

// headListing names the head documents as one listing: a change of a
// source's health makes them stale (the front page lists every source),
// not the front page's archive pages. The subscriptions page is of it,
// but rendered on demand and kept in the budget: at ten thousand sources
// it is large, and seldom read.
const headListing = "head"

// listingOf is the listing whose changes make k stale.
func listingOf(k site.Key) string {
	if head[k] || k == (site.Key{Path: site.SubscriptionsPath, Page: 1}) {
		return headListing
	}
	l, _ := site.SplitPath(k.Path)
	return l
}

// put keeps doc at k as rendered from generation gen on, pinned (outside
// the budget, never dropped) or not. A render that an older one overtook
// is not kept.
func (c *cache) put(k site.Key, doc *server.Document, gen uint64, pin bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if pin {
		if it, ok := c.pinned[k]; !ok || it.gen <= gen {
			c.pinned[k] = &cached{key: k, doc: doc, gen: gen}
		}
		return
	}
	size := docSize(doc)
	if size > c.budget {
		c.remove(k)
		return
	}
	if e, ok := c.items[k]; ok {
		it := e.Value.(*cached)
		if it.gen > gen {
			return
		}
		c.used += size - it.size
		*it = cached{key: k, doc: doc, size: size, gen: gen}
		c.lru.MoveToFront(e)
	} else {
		c.items[k] = c.lru.PushFront(&cached{key: k, doc: doc, size: size, gen: gen})
		c.used += size
	}
	c.evict()
}

// resize accounts for doc's gzipped copy, made after it was put.
func (c *cache) resize(k site.Key, doc *server.Document) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[k]
	if !ok || e.Value.(*cached).doc != doc {
		return
	}
	it := e.Value.(*cached)
	size := docSize(doc)
	c.used += size - it.size
	it.size = size
	c.evict()
}

func (c *cache) evict() {
	for c.used > c.budget && c.lru.Len() > 0 {
		c.remove(c.lru.Back().Value.(*cached).key)
	}
}

func (c *cache) remove(k site.Key) {
	if e, ok := c.items[k]; ok {
		c.used -= e.Value.(*cached).size
		c.lru.Remove(e)
		delete(c.items, k)
	}
}

// invalidate marks the documents of the listings at paths stale.
func (c *cache) invalidate(paths []string) {
	if len(paths) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for _, p := range paths {
		c.since[p] = c.gen
	}
}

// invalidateAll marks every document stale, and sets a new budget.
func (c *cache) invalidateAll(budget int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.all = c.gen
	clear(c.since) // all covers them
	c.budget = budget
	c.evict()
}

// size returns the bytes the cache holds and how many documents.
func (c *cache) size() (bytes int64, docs int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used, c.lru.Len()
}

func docSize(d *server.Document) int64 {
	return int64(len(d.Body)+len(d.GzippedIfMade())) + entryOverhead
}
