package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Document is a rendered response kept in memory: rendered once per change,
// served many times, with its validators. Its gzipped copy is made on the
// first request that accepts gzip, at the default level: most documents of
// a large site are never asked for compressed before the next change, and
// BestCompression costs several times the CPU for a few per cent.
type Document struct {
	ContentType string
	Body        []byte
	ETag        string // derived from Body: equal bytes, equal ETag
	Modified    time.Time

	gzipOnce sync.Once
	gzipped  atomic.Pointer[[]byte]
}

// NewDocument prepares body for serving. modified is the time the content last
// changed; it is truncated to seconds because HTTP dates carry no more.
func NewDocument(contentType string, body []byte, modified time.Time) *Document {
	sum := sha256.Sum256(body)
	return &Document{
		ContentType: contentType,
		Body:        body,
		ETag:        `"` + hex.EncodeToString(sum[:12]) + `"`,
		Modified:    modified.UTC().Truncate(time.Second),
	}
}

// Gzipped returns Body gzipped, compressing it on the first call.
func (d *Document) Gzipped() []byte {
	d.gzipOnce.Do(func() {
		// Text compresses to a fifth or less: a quarter avoids regrowth.
		buf := bytes.NewBuffer(make([]byte, 0, len(d.Body)/4+64))
		zw := gzipWriters.Get().(*gzip.Writer)
		zw.Reset(buf)
		zw.Write(d.Body) //nolint:errcheck // a bytes.Buffer does not fail
		zw.Close()
		gzipWriters.Put(zw)
		gz := buf.Bytes()
		d.gzipped.Store(&gz)
	})
	return *d.gzipped.Load()
}

// gzipWriters keeps compressors between documents: each holds about
// 800 KB of tables, and while polls change the planet every document
// asked for compressed is compressed again after each change.
var gzipWriters = sync.Pool{New: func() any { return gzip.NewWriter(nil) }}

// GzippedIfMade returns the gzipped copy if a call to Gzipped made it,
// else nil: what the document holds in memory now.
func (d *Document) GzippedIfMade() []byte {
	if gz := d.gzipped.Load(); gz != nil {
		return *gz
	}
	return nil
}

// PageCSP is the Content-Security-Policy of every HTML page: no script at
// all, styles only from the site's own stylesheet (no inline style), images
// and media from the posts' own hosts, nothing framed or framing. Feed
// content is sanitised at ingest; this is the second line of defence.
const PageCSP = "default-src 'none'; style-src 'self'; img-src 'self' https: http: data:; " +
	"media-src https: http:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// ServeHTTP answers with the document, honouring conditional requests and
// gzip negotiation.
func (d *Document) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", d.ContentType)
	h.Set("ETag", d.ETag)
	h.Set("Last-Modified", d.Modified.Format(http.TimeFormat))
	h.Set("Vary", "Accept-Encoding")
	h.Set("Cache-Control", "public, max-age=60")
	h.Set("X-Content-Type-Options", "nosniff")
	if strings.HasPrefix(d.ContentType, "text/html") {
		h.Set("Content-Security-Policy", PageCSP)
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	}
	if d.isNotModified(r) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := d.Body
	if acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		body = d.Gzipped()
	}
	h.Set("Content-Length", itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// isNotModified follows RFC 9110: If-None-Match wins over If-Modified-Since.
func (d *Document) isNotModified(r *http.Request) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, tag := range strings.Split(inm, ",") {
			tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
			if tag == d.ETag || tag == "*" {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" {
		t, err := http.ParseTime(ims)
		return err == nil && !d.Modified.After(t)
	}
	return false
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(part, ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		q := strings.TrimPrefix(strings.TrimSpace(params), "q=")
		if q == strings.TrimSpace(params) { // no q parameter
			return true
		}
		v, err := strconv.ParseFloat(q, 64)
		return err == nil && v > 0
	}
	return false
}
