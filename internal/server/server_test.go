package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/site"
)

// docMap serves fixed documents.
type docMap map[site.Key]*Document

func (m docMap) Document(_ context.Context, k site.Key, gz bool) (*Document, error) {
	if k.Path == "/broken/" {
		return nil, errors.New("database is on fire")
	}
	d, ok := m[k]
	if !ok {
		return nil, fmt.Errorf("render %s: %w", k, site.ErrNoPage)
	}
	if gz {
		d.Gzipped()
	}
	return d, nil
}

func TestServeDocumentPages(t *testing.T) {
	now := time.Now()
	docs := docMap{
		{Path: "/", Page: 1}:           NewDocument("text/html; charset=utf-8", []byte("home 1"), now),
		{Path: "/", Page: 2}:           NewDocument("text/html; charset=utf-8", []byte("home 2"), now),
		{Path: "/atom.xml", Page: 1}:   NewDocument("application/atom+xml", []byte("feed 1"), now),
		{Path: "/atom.xml", Page: 3}:   NewDocument("application/atom+xml", []byte("feed 3"), now),
		{Path: "/sources/a/", Page: 1}: NewDocument("text/html; charset=utf-8", []byte("a"), now),
	}
	s := New(slog.New(slog.NewTextHandler(io.Discard, nil)), func(context.Context) Health { return Health{Database: "ok"} }, docs)
	h := s.Handler()
	tests := []struct {
		url      string
		status   int
		body     string
		csp      bool
		location string
	}{
		{"/", 200, "home 1", true, ""},
		{"/?page=1", 200, "home 1", true, ""},
		{"/?page=2", 200, "home 2", true, ""},
		{"/?page=3", 404, "", false, ""},
		{"/?page=0", 404, "", false, ""},
		{"/?page=x", 404, "", false, ""},
		{"/atom.xml?page=3", 200, "feed 3", false, ""},
		{"/atom.xml?page=3&utm_source=x", 200, "feed 3", false, ""},
		{"/sources/a", 301, "", false, "/sources/a/"},
		{"/sources/b", 404, "", false, ""},
		{"/broken/", 500, "", false, ""},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", tt.url, nil))
		if rec.Code != tt.status || (tt.body != "" && rec.Body.String() != tt.body) {
			t.Errorf("GET %s: %d %q, want %d %q", tt.url, rec.Code, rec.Body, tt.status, tt.body)
		}
		if csp := rec.Header().Get("Content-Security-Policy"); tt.csp != (csp != "") {
			t.Errorf("GET %s: CSP %q, want one: %v", tt.url, csp, tt.csp)
		}
		if loc := rec.Header().Get("Location"); loc != tt.location {
			t.Errorf("GET %s: Location %q, want %q", tt.url, loc, tt.location)
		}
	}
	// Every page of a paged document has its own validators.
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/?page=2", nil))
	req := httptest.NewRequest("GET", "/?page=2", nil)
	req.Header.Set("If-None-Match", rec.Header().Get("ETag"))
	rec2 := httptest.NewRecorder()
	h.ServeHTTP(rec2, req)
	if rec2.Code != http.StatusNotModified {
		t.Errorf("page 2 with its ETag: %d, want 304", rec2.Code)
	}
}

func TestPageCSPIsStrict(t *testing.T) {
	for _, want := range []string{"default-src 'none'", "style-src 'self'", "base-uri 'none'", "frame-ancestors 'none'"} {
		if !strings.Contains(PageCSP, want) {
			t.Errorf("CSP lacks %s", want)
		}
	}
	for _, bad := range []string{"unsafe-inline", "unsafe-eval", "script-src"} {
		if strings.Contains(PageCSP, bad) {
			t.Errorf("CSP allows %s", bad)
		}
	}
}
