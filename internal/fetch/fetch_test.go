package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// serve starts a test server that is closed when the test ends.
func serve(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func TestConditionalGet(t *testing.T) {
	const etag, lastMod = `"v1"`, "Mon, 02 Jan 2006 15:04:05 GMT"
	tests := []struct {
		name      string
		req       Request
		header    map[string]string // sent by the server
		wantErr   error
		wantBody  string
		wantETag  string
		wantLMod  string
		wantINM   string // If-None-Match the server must see
		wantIMS   string // If-Modified-Since the server must see
		notModify bool
	}{
		{
			name:     "first poll sends no validators, gets new ones",
			req:      Request{},
			header:   map[string]string{"ETag": `"v2"`, "Last-Modified": "Tue, 03 Jan 2006 15:04:05 GMT"},
			wantBody: "<feed/>",
			wantETag: `"v2"`, wantLMod: "Tue, 03 Jan 2006 15:04:05 GMT",
		},
		{
			name:      "304 without validators keeps the request's",
			req:       Request{ETag: etag, LastModified: lastMod},
			notModify: true,
			wantErr:   ErrNotModified,
			wantINM:   etag, wantIMS: lastMod,
			wantETag: etag, wantLMod: lastMod,
		},
		{
			name:      "304 with a new ETag takes it",
			req:       Request{ETag: etag, LastModified: lastMod},
			header:    map[string]string{"ETag": `"v3"`},
			notModify: true,
			wantErr:   ErrNotModified,
			wantINM:   etag, wantIMS: lastMod,
			wantETag: `"v3"`, wantLMod: lastMod,
		},
		{
			name:     "200 without validators clears them",
			req:      Request{ETag: etag, LastModified: lastMod},
			wantBody: "<feed/>",
			wantINM:  etag, wantIMS: lastMod,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var gotINM, gotIMS string
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				gotINM, gotIMS = r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since")
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				if tt.notModify {
					w.WriteHeader(http.StatusNotModified)
					return
				}
				_, _ = w.Write([]byte("<feed/>"))
			})
			req := tt.req
			req.URL = srv.URL + "/feed"
			resp, err := New(Options{AllowPrivate: true}).Get(context.Background(), req)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if resp == nil {
				t.Fatal("nil response")
			}
			if gotINM != tt.wantINM || gotIMS != tt.wantIMS {
				t.Errorf("server saw If-None-Match %q If-Modified-Since %q, want %q %q", gotINM, gotIMS, tt.wantINM, tt.wantIMS)
			}
			if resp.ETag != tt.wantETag || resp.LastModified != tt.wantLMod {
				t.Errorf("validators = %q %q, want %q %q", resp.ETag, resp.LastModified, tt.wantETag, tt.wantLMod)
			}
			if body, _ := resp.Body(); string(body) != tt.wantBody {
				t.Errorf("body = %q, want %q", body, tt.wantBody)
			}
			if resp.URL != req.URL {
				t.Errorf("URL = %q, want %q", resp.URL, req.URL)
			}
			if Class(err) != map[bool]string{true: "not_modified", false: ""}[tt.notModify] {
				t.Errorf("Class = %q", Class(err))
			}
		})
	}
}

func TestRequestHeaders(t *testing.T) {
	var got http.Header
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
	})
	const ua = "village/1.0 (+https://planet.example.org/)"
	if _, err := New(Options{AllowPrivate: true, UserAgent: ua}).Get(context.Background(), Request{URL: srv.URL}); err != nil {
		t.Fatal(err)
	}
	if got.Get("User-Agent") != ua {
		t.Errorf("User-Agent = %q, want %q", got.Get("User-Agent"), ua)
	}
	accept := got.Get("Accept")
	for _, typ := range []string{"application/atom+xml", "application/rss+xml", "application/feed+json"} {
		if !strings.Contains(accept, typ) {
			t.Errorf("Accept %q lacks %s", accept, typ)
		}
	}
	if !strings.Contains(got.Get("Accept-Encoding"), "gzip") {
		t.Errorf("Accept-Encoding = %q, want gzip", got.Get("Accept-Encoding"))
	}
}

// TestGzipBodyIsInflated: a gzipped feed waits for its parse as it came
// (a quarter of the memory) and Body inflates it.
func TestGzipBodyIsInflated(t *testing.T) {
	want := strings.Repeat("<entry/>", 1000)
	wire := gzipped(t, []byte(want))
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(wire)
	})
	resp, err := New(Options{AllowPrivate: true}).Get(context.Background(), Request{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if resp.WireSize() != len(wire) {
		t.Errorf("the response holds %d bytes, want the %d gzipped ones", resp.WireSize(), len(wire))
	}
	body, err := resp.Body()
	if err != nil || string(body) != want {
		t.Errorf("body is %d bytes (%v), want the %d inflated bytes", len(body), err, len(want))
	}
}

// TestBodyHoldsItsSize: a body read without Content-Length (chunked) is not
// kept in a buffer twice its size while it waits.
func TestBodyHoldsItsSize(t *testing.T) {
	const n = 100_000
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		for range n / 1000 {
			_, _ = w.Write(make([]byte, 1000))
			w.(http.Flusher).Flush()
		}
	})
	resp, err := New(Options{AllowPrivate: true}).Get(context.Background(), Request{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := resp.Body()
	if len(body) != n || cap(body) > n+n/8+512 {
		t.Errorf("body of %d bytes holds %d, want %d held about once", len(body), cap(body), n)
	}
}

func TestStatusErrors(t *testing.T) {
	date := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		code      int
		header    map[string]string
		wantRetry time.Duration
		wantClass string
		wantMsg   string
	}{
		{"429 seconds", 429, map[string]string{"Retry-After": "120"}, 120 * time.Second, "http_429", "http 429 Too Many Requests"},
		{"503 seconds", 503, map[string]string{"Retry-After": "3600"}, time.Hour, "http_5xx", "http 503 Service Unavailable"},
		{"429 date", 429, map[string]string{
			"Date":        date.Format(http.TimeFormat),
			"Retry-After": date.Add(2 * time.Minute).Format(http.TimeFormat),
		}, 2 * time.Minute, "http_429", "http 429 Too Many Requests"},
		{"503 date", 503, map[string]string{
			"Date":        date.Format(http.TimeFormat),
			"Retry-After": date.Add(90 * time.Minute).Format(http.TimeFormat),
		}, 90 * time.Minute, "http_5xx", "http 503 Service Unavailable"},
		{"500 without hint", 500, nil, 0, "http_5xx", "http 500 Internal Server Error"},
		{"404", 404, nil, 0, "http_4xx", "http 404 Not Found"},
		{"410", 410, nil, 0, "http_4xx", "http 410 Gone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.code)
				_, _ = w.Write([]byte("go away"))
			})
			resp, err := New(Options{AllowPrivate: true}).Get(context.Background(), Request{URL: srv.URL})
			var se *StatusError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want *StatusError", err)
			}
			if se.Code != tt.code || se.RetryAfter != tt.wantRetry {
				t.Errorf("StatusError = %+v, want code %d retry %v", se, tt.code, tt.wantRetry)
			}
			if se.Error() != tt.wantMsg {
				t.Errorf("Error() = %q, want %q", se.Error(), tt.wantMsg)
			}
			if got := Class(err); got != tt.wantClass {
				t.Errorf("Class = %q, want %q", got, tt.wantClass)
			}
			if resp == nil || resp.Status != tt.code || resp.RetryAfter != tt.wantRetry || resp.WireSize() != 0 {
				t.Errorf("response = %+v, want status %d, retry %v, no body", resp, tt.code, tt.wantRetry)
			}
		})
	}
}

func TestMaxAge(t *testing.T) {
	date := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", date.Format(http.TimeFormat))
		w.Header().Set("Expires", date.Add(time.Hour).Format(http.TimeFormat))
		w.Header().Set("Cache-Control", r.URL.Query().Get("cc"))
	})
	tests := []struct {
		cc   string
		want time.Duration
	}{
		{"public, max-age=1800", 30 * time.Minute},
		{"", time.Hour}, // Expires
		{"no-cache", 0},
	}
	for _, tt := range tests {
		resp, err := New(Options{AllowPrivate: true}).Get(context.Background(), Request{URL: srv.URL + "/?cc=" + url.QueryEscape(tt.cc)})
		if err != nil {
			t.Fatal(err)
		}
		if resp.MaxAge != tt.want {
			t.Errorf("Cache-Control %q: MaxAge = %v, want %v", tt.cc, resp.MaxAge, tt.want)
		}
	}
}

func TestRedirects(t *testing.T) {
	// /hop/CODE/REST redirects with CODE to /hop/REST; /feed answers.
	mux := http.NewServeMux()
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("<feed/>"))
	})
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/hop/{code}/{rest...}", func(w http.ResponseWriter, r *http.Request) {
		code := map[string]int{"301": 301, "302": 302, "307": 307, "308": 308}[r.PathValue("code")]
		http.Redirect(w, r, "/"+r.PathValue("rest"), code)
	})
	srv := serve(t, mux.ServeHTTP)

	tests := []struct {
		path      string
		wantMoved bool
		wantFinal string
		wantErr   bool
	}{
		{path: "/feed", wantFinal: "/feed"},
		{path: "/hop/301/feed", wantMoved: true, wantFinal: "/feed"},
		{path: "/hop/308/feed", wantMoved: true, wantFinal: "/feed"},
		{path: "/hop/301/hop/308/hop/301/feed", wantMoved: true, wantFinal: "/feed"},
		{path: "/hop/302/feed", wantFinal: "/feed"},
		{path: "/hop/307/feed", wantFinal: "/feed"},
		{path: "/hop/301/hop/302/feed", wantFinal: "/feed"},
		{path: "/hop/302/hop/301/feed", wantFinal: "/feed"},
		{path: "/hop/301/gone", wantFinal: "/gone", wantErr: true},
		{path: strings.Repeat("/hop/301", 10) + "/feed", wantMoved: true, wantFinal: "/feed"},
		{path: strings.Repeat("/hop/301", 11) + "/feed", wantErr: true},
		{path: "/loop", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, err := New(Options{AllowPrivate: true}).Get(context.Background(), Request{URL: srv.URL + tt.path})
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if tt.wantFinal == "" {
				return
			}
			if resp.URL != srv.URL+tt.wantFinal {
				t.Errorf("URL = %q, want %q", resp.URL, srv.URL+tt.wantFinal)
			}
			wantMoved := ""
			if tt.wantMoved {
				wantMoved = srv.URL + tt.wantFinal
			}
			if resp.MovedTo != wantMoved {
				t.Errorf("MovedTo = %q, want %q", resp.MovedTo, wantMoved)
			}
		})
	}
}

func TestInvalidURL(t *testing.T) {
	for _, u := range []string{"", "feed.xml", "ftp://example.org/feed", "http://", "http://a b/"} {
		if _, err := New(Options{AllowPrivate: true}).Get(context.Background(), Request{URL: u}); err == nil {
			t.Errorf("Get(%q) succeeded, want an error", u)
		}
	}
}

func gzipped(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
