// Package server answers HTTP: the published documents from memory, and the
// health check. It renders nothing itself.
package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Health reports what /healthz shows.
type Health struct {
	Database     string    `json:"database"` // "ok" or the error
	Sources      int       `json:"sources"`
	Failing      int       `json:"failing"`
	Entries      int       `json:"entries"`
	LastPoll     time.Time `json:"last_poll,omitzero"`
	ConfigErrors []string  `json:"config_errors,omitempty"`
}

// HealthFunc gathers the health report.
type HealthFunc func(ctx context.Context) Health

// Server routes requests to the published documents.
type Server struct {
	log    *slog.Logger
	health HealthFunc

	mu     sync.RWMutex
	docs   map[string]*Document
	routes []route
}

type route struct {
	pattern string
	handler http.Handler
}

// New returns a Server with no documents yet.
func New(log *slog.Logger, health HealthFunc) *Server {
	return &Server{log: log, health: health, docs: map[string]*Document{}}
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
