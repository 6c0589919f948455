package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// pager renders "path page n vV" and counts its renders.
type pager struct {
	mu      sync.Mutex
	version int
	renders map[string]int
}

func (p *pager) render(_ context.Context, path string, n int) (*Document, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case path == "/broken/":
		return nil, errors.New("database is on fire")
	case path != "/" || n > 4:
		return nil, ErrNoPage
	}
	p.renders[Key(path, n)]++
	return NewDocument("text/html; charset=utf-8", fmt.Appendf(nil, "%s page %d v%d", path, n, p.version), time.Now()), nil
}

func (p *pager) count(key string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.renders[key]
}

func get(h http.Handler, url, etag string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", url, nil)
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestOnDemandPages(t *testing.T) {
	s := New(slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	s.Publish("/", NewDocument("text/html; charset=utf-8", []byte("home"), time.Now()))
	p := &pager{renders: map[string]int{}}
	s.SetPages(p.render, 2)
	h := s.Handler()

	first := get(h, "/?page=2", "")
	if first.Code != 200 || first.Body.String() != "/ page 2 v0" {
		t.Fatalf("GET /?page=2: %d %q", first.Code, first.Body)
	}
	get(h, "/?page=2", "")
	if n := p.count("/?page=2"); n != 1 {
		t.Errorf("page 2 rendered %d times before any change, want 1", n)
	}

	// A change with the same bytes: rendered again, same validators, 304.
	s.Invalidate()
	if rec := get(h, "/?page=2", first.Header().Get("ETag")); rec.Code != http.StatusNotModified {
		t.Errorf("unchanged page 2 after a change, with its ETag: %d, want 304", rec.Code)
	}
	if n := p.count("/?page=2"); n != 2 {
		t.Errorf("page 2 rendered %d times after a change, want 2", n)
	}

	// A change with new bytes: a new ETag.
	p.mu.Lock()
	p.version++
	p.mu.Unlock()
	s.Invalidate()
	rec := get(h, "/?page=2", first.Header().Get("ETag"))
	if rec.Code != 200 || rec.Body.String() != "/ page 2 v1" || rec.Header().Get("ETag") == first.Header().Get("ETag") {
		t.Errorf("changed page 2: %d %q ETag %s", rec.Code, rec.Body, rec.Header().Get("ETag"))
	}

	// The cache holds two pages: the least recently used goes.
	get(h, "/?page=3", "")
	get(h, "/?page=4", "")
	get(h, "/?page=2", "")
	if n := p.count("/?page=2"); n != 4 {
		t.Errorf("page 2 rendered %d times, want 4 (evicted by pages 3 and 4)", n)
	}

	for _, tt := range []struct {
		url  string
		code int
	}{{"/?page=5", 404}, {"/x/?page=2", 404}, {"/broken/?page=2", 500}} {
		if rec := get(h, tt.url, ""); rec.Code != tt.code {
			t.Errorf("GET %s: %d, want %d", tt.url, rec.Code, tt.code)
		}
	}
}

// TestGzipLazy: the gzipped copy is made on the first request for it, at
// the default level.
func TestGzipLazy(t *testing.T) {
	body := bytes.Repeat([]byte("<p>village</p>\n"), 200)
	d := NewDocument("text/html; charset=utf-8", body, time.Now())
	if d.gzipped != nil {
		t.Fatal("NewDocument compressed the body before any request asked for it")
	}
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	d.ServeHTTP(rec, req)
	gz := rec.Body.Bytes()
	if rec.Header().Get("Content-Encoding") != "gzip" || len(gz) < 10 {
		t.Fatalf("no gzip answer: %v", rec.Header())
	}
	// RFC 1952's XFL byte is 2 for the slowest, best compression.
	if gz[8] == 2 {
		t.Error("gzipped at BestCompression")
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(zr)
	if !bytes.Equal(got, body) {
		t.Error("the gzipped copy does not decompress to the body")
	}
}
