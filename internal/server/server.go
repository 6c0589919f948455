// Package server answers HTTP: the published documents from memory, and the
// health check. It renders nothing itself.
package server

import (
	"bytes"
	"container/list"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"time"
)

// Health reports what /healthz shows.
type Health struct {
	Database     string         `json:"database"` // "ok" or the error
	Sources      int            `json:"sources"`
	States       map[string]int `json:"states,omitempty"` // sources by state: new, ok, failing, moved, gone
	Failing      int            `json:"failing"`          // sources in the failing state
	Entries      int            `json:"entries"`
	LastPoll     time.Time      `json:"last_poll,omitzero"`
	ConfigErrors []string       `json:"config_errors,omitempty"`
}

// HealthFunc gathers the health report.
type HealthFunc func(ctx context.Context) Health

// ErrNoPage is a PageFunc's answer for a page that does not exist.
var ErrNoPage = errors.New("no such page")

// PageFunc renders page n (from 2) of the document at path on demand, or
// returns ErrNoPage.
type PageFunc func(ctx context.Context, path string, n int) (*Document, error)

// Server routes requests to the published documents.
type Server struct {
	log    *slog.Logger
	health HealthFunc

	mu     sync.RWMutex
	docs   map[string]*Document
	routes []route
	pages  PageFunc
	cache  *pageCache
	slots  chan struct{} // on-demand renders at once
}

type route struct {
	pattern string
	handler http.Handler
}

// New returns a Server with no documents yet.
func New(log *slog.Logger, health HealthFunc) *Server {
	return &Server{log: log, health: health, docs: map[string]*Document{},
		cache: newPageCache(DefaultCachedPages), slots: make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))}
}

// DefaultCachedPages is how many on-demand pages a Server keeps.
const DefaultCachedPages = 512

// SetPages has the pages after the first that are not published rendered
// on demand by render, and kept (at most cached of them, the least
// recently used dropped first) until Invalidate. An archive of thousands of
// pages then costs nothing until someone reads it, and one render per
// change at most for the pages people do read.
func (s *Server) SetPages(render PageFunc, cached int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages = render
	if cached <= 0 {
		cached = DefaultCachedPages
	}
	s.cache = newPageCache(cached)
}

// Invalidate marks every on-demand page stale: the store changed, so the
// next request renders it again. A page whose bytes come out the same
// keeps its Last-Modified, so conditional requests still get 304.
func (s *Server) Invalidate() {
	s.mu.RLock()
	c := s.cache
	s.mu.RUnlock()
	c.invalidate()
}

// Publish makes doc the answer to path from now on; nil removes it. A page
// after the first is published under Key(path, page).
func (s *Server) Publish(path string, doc *Document) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if doc == nil {
		delete(s.docs, path)
		return
	}
	s.docs[path] = doc
}

// Document returns what path serves, or nil.
func (s *Server) Document(path string) *Document {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.docs[path]
}

// Handle adds a route (an http.ServeMux pattern) for what is not a
// published document, such as metrics. Call it before Handler.
func (s *Server) Handle(pattern string, h http.Handler) {
	s.routes = append(s.routes, route{pattern, h})
}

// Handler returns the HTTP handler.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.serveHealth)
	mux.HandleFunc("GET /", s.serveDocument)
	for _, r := range s.routes {
		mux.Handle(r.pattern, r.handler)
	}
	return mux
}

// serveDocument answers with the document published at the request's path
// and page (?page=N, see Key). A directory asked for without its trailing
// slash is redirected, so that the page's relative links resolve.
func (s *Server) serveDocument(w http.ResponseWriter, r *http.Request) {
	page := 1
	if v := r.URL.Query().Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			http.NotFound(w, r)
			return
		}
		page = n
	}
	doc := s.Document(Key(r.URL.Path, page))
	if doc == nil && page > 1 {
		var err error
		doc, err = s.page(r.Context(), r.URL.Path, page)
		if err != nil && !errors.Is(err, ErrNoPage) {
			s.log.Error("render page", "path", r.URL.Path, "page", page, "error", err)
			http.Error(w, "internal server error", http.StatusInternalServerError)
			return
		}
	}
	if doc == nil {
		if dir := r.URL.Path + "/"; s.Document(dir) != nil {
			u := *r.URL
			u.Path = dir
			http.Redirect(w, r, u.RequestURI(), http.StatusMovedPermanently)
			return
		}
		http.NotFound(w, r)
		return
	}
	doc.ServeHTTP(w, r)
}

// page returns page n of path from the cache, rendering it when missing
// or stale.
func (s *Server) page(ctx context.Context, path string, n int) (*Document, error) {
	s.mu.RLock()
	render, c := s.pages, s.cache
	s.mu.RUnlock()
	if render == nil {
		return nil, ErrNoPage
	}
	key := Key(path, n)
	old, gen, fresh := c.get(key)
	if fresh {
		return old, nil
	}
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	doc, err := render(ctx, path, n)
	if err != nil {
		return nil, err
	}
	if old != nil && bytes.Equal(old.Body, doc.Body) {
		doc = old
	}
	c.put(key, doc, gen)
	return doc, nil
}

// pageCache keeps on-demand pages, each with the generation it was
// rendered in; Invalidate starts a new generation.
type pageCache struct {
	mu    sync.Mutex
	gen   uint64
	limit int
	lru   *list.List // of *cached, most recently used first
	byKey map[string]*list.Element
}

type cached struct {
	key string
	gen uint64
	doc *Document
}

func newPageCache(limit int) *pageCache {
	return &pageCache{limit: limit, lru: list.New(), byKey: map[string]*list.Element{}}
}

// get returns the cached page (nil when none), the current generation and
// whether the page belongs to it.
func (c *pageCache) get(key string) (doc *Document, gen uint64, fresh bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[key]
	if !ok {
		return nil, c.gen, false
	}
	c.lru.MoveToFront(e)
	p := e.Value.(*cached)
	return p.doc, c.gen, p.gen == c.gen
}

// put keeps doc as rendered in generation gen; a render that a change
// overtook is kept as stale, for its bytes.
func (c *pageCache) put(key string, doc *Document, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[key]; ok {
		if e.Value.(*cached).gen > gen {
			return // a later render got here first
		}
		e.Value = &cached{key, gen, doc}
		c.lru.MoveToFront(e)
		return
	}
	c.byKey[key] = c.lru.PushFront(&cached{key, gen, doc})
	for c.lru.Len() > c.limit {
		last := c.lru.Back()
		delete(c.byKey, last.Value.(*cached).key)
		c.lru.Remove(last)
	}
}

func (c *pageCache) invalidate() {
	c.mu.Lock()
	c.gen++
	c.mu.Unlock()
}

// Key is the name a document is published under: its URL path, followed
// by ?page=N for the pages after the first.
func Key(path string, page int) string {
	if page <= 1 {
		return path
	}
	return path + "?page=" + strconv.Itoa(page)
}

func (s *Server) serveHealth(w http.ResponseWriter, r *http.Request) {
	h := s.health(r.Context())
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if h.Database != "ok" {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(h); err != nil {
		s.log.Debug("write healthz", "error", err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
