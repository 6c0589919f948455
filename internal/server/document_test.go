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

// TestGzipReusesCompressors compresses documents one after another and at
// once, as the pool hands the same compressors round: each copy is its own
// body, whole, with nothing of the one compressed before it.
func TestGzipReusesCompressors(t *testing.T) {
	docs := make([]*Document, 16)
	for i := range docs {
		body := bytes.Repeat([]byte{byte('a' + i)}, 1000*(i+1))
		docs[i] = NewDocument("text/plain", body, time.Now())
	}
	done := make(chan struct{})
	for _, d := range docs {
		go func() {
			defer func() { done <- struct{}{} }()
			d.Gzipped()
		}()
	}
	for range docs {
		<-done
	}
	for i, d := range docs {
		zr, err := gzip.NewReader(bytes.NewReader(d.Gzipped()))
		if err != nil {
			t.Fatalf("document %d: %v", i, err)
		}
		got, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(got, d.Body) {
			t.Errorf("document %d: decompressed %d bytes (%v), want its own %d", i, len(got), err, len(d.Body))
		}
	}
}
