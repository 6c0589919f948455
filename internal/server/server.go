// Package server answers HTTP: the published documents, from the
// publisher, and the health check. It renders nothing itself.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/villagefeeds/village/internal/site"
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

// Documents is where the server finds what it answers: the publisher.
type Documents interface {
	// Document returns the document at k, its gzipped copy made when gz
	// is set, or an error wrapping site.ErrNoPage when the site has none.
	Document(ctx context.Context, k site.Key, gz bool) (*Document, error)
}

// Server routes requests to the published documents.
type Server struct {
	log    *slog.Logger
	health HealthFunc
	docs   Documents
	pacer  *Pacer
	routes []route
}

type route struct {
	pattern string
	handler http.Handler
}

// New returns a Server answering from docs.
func New(log *slog.Logger, health HealthFunc, docs Documents) *Server {
	return &Server{log: log, health: health, docs: docs}
}

// Handle adds a route (an http.ServeMux pattern) for what is not a
// published document, such as metrics. Call it before Handler.
func (s *Server) Handle(pattern string, h http.Handler) {
	s.routes = append(s.routes, route{pattern, h})
}

// Pace has the published documents answered as p lets them: held back
// while the daemon ingests. Call it before Handler.
func (s *Server) Pace(p *Pacer) { s.pacer = p }

// Handler returns the HTTP handler.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.serveHealth)
	mux.Handle("GET /", s.pacer.paced(http.HandlerFunc(s.serveDocument)))
	for _, r := range s.routes {
		mux.Handle(r.pattern, r.handler)
	}
	return mux
}

// serveDocument answers with the document at the request's path and page
// (?page=N). A directory asked for without its trailing slash is
// redirected, so that the page's relative links resolve.
func (s *Server) serveDocument(w http.ResponseWriter, r *http.Request) {
	k := site.Key{Path: r.URL.Path, Page: 1}
	if v := r.URL.Query().Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			http.NotFound(w, r)
			return
		}
		k.Page = n
	}
	doc, err := s.docs.Document(r.Context(), k, acceptsGzip(r))
	if errors.Is(err, site.ErrNoPage) && k.Page == 1 && !strings.HasSuffix(k.Path, "/") {
		if _, derr := s.docs.Document(r.Context(), site.Key{Path: k.Path + "/", Page: 1}, false); derr == nil {
			u := *r.URL
			u.Path += "/"
			http.Redirect(w, r, u.RequestURI(), http.StatusMovedPermanently)
			return
		}
	}
	switch {
	case errors.Is(err, site.ErrNoPage):
		http.NotFound(w, r)
	case r.Context().Err() != nil:
		// The client left; nobody reads an answer.
	case err != nil:
		s.log.Error("render", "path", k.Path, "page", k.Page, "error", err)
		http.Error(w, "internal server error", http.StatusInternalServerError)
	default:
		doc.ServeHTTP(w, r)
	}
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
