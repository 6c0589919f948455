package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http/httptest"
	"testing"
	"time"
)

// TestGzipLazy: the gzipped copy is made on the first request for it, at
// the default level.
func TestGzipLazy(t *testing.T) {
	body := bytes.Repeat([]byte("<p>village</p>\n"), 200)
	d := NewDocument("text/html; charset=utf-8", body, time.Now())
	if d.GzippedIfMade() != nil {
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
