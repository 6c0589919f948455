package daemon

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fault is one thing a feed host does wrong, and what village must make of
// it: the source's state on /sources.json and its error in plain words.
type fault struct {
	name    string
	handler http.HandlerFunc
	state   string // ok, failing, moved, gone
	problem string // last_error on /sources.json; "" when ok
	check   func(t *testing.T, s sourceRow)
}

const faultFeed = `<?xml version="1.0"?><rss version="2.0"><channel><title>%[1]s</title><link>https://%[1]s.example.org/</link>
<item><title>Post of %[1]s</title><guid>%[1]s-1</guid><link>https://%[1]s.example.org/1</link><description>Hello from %[1]s.</description></item></channel></rss>`

// faultServer serves every fault under /NAME and the feed a redirect leads
// to under /feed/NAME. Handlers that would wait forever end with the test.
func faultServer(t *testing.T, faults []fault) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	for _, f := range faults {
		mux.HandleFunc("/"+f.name, f.handler)
	}
	mux.HandleFunc("/feed/{name}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, faultFeed, r.PathValue("name"))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// wait blocks until the client goes or the test ends.
func wait(r *http.Request) {
	<-r.Context().Done()
}

func status(code int, retryAfter string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		w.WriteHeader(code)
	}
}

// hops redirects through codes, one per hop, then to /feed/name.
func hops(name string, codes ...int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		n := len(r.URL.Query()["h"])
		if n == len(codes)-1 {
			http.Redirect(w, r, "/feed/"+name, codes[n])
			return
		}
		http.Redirect(w, r, "/"+name+"?"+strings.Repeat("h&", n+1), codes[n])
	}
}

func gzipBomb(t *testing.T) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if _, err := zw.Write(make([]byte, 16<<20)); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	return buf.Bytes() // 16 KiB that inflate to 16 MiB
}

func faults(t *testing.T) []fault {
	bomb := gzipBomb(t)
	feed := func(name string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { fmt.Fprintf(w, faultFeed, name) }
	}
	backoff := func(atLeast, below time.Duration) func(t *testing.T, s sourceRow) {
		return func(t *testing.T, s sourceRow) {
			last, err1 := time.Parse(time.RFC3339, s.LastCheck)
			next, err2 := time.Parse(time.RFC3339, s.NextCheck)
			if err1 != nil || err2 != nil {
				t.Fatalf("last_check %q, next_check %q", s.LastCheck, s.NextCheck)
			}
			if d := next.Sub(last); d < atLeast || d >= below {
				t.Errorf("next check %v after the last, want [%v, %v)", d, atLeast, below)
			}
		}
	}
	return []fault{
		{name: "never-answers", handler: func(w http.ResponseWriter, r *http.Request) { wait(r) },
			state: "failing", problem: "no answer within 5 s"},
		{name: "one-byte-a-second", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("<"))
			w.(http.Flusher).Flush()
			tick := time.NewTicker(time.Second)
			defer tick.Stop()
			for {
				select {
				case <-r.Context().Done():
					return
				case <-tick.C:
					w.Write([]byte("r"))
					w.(http.Flusher).Flush()
				}
			}
		}, state: "failing", problem: "no answer within 5 s"},
		{name: "endless-body", handler: func(w http.ResponseWriter, r *http.Request) {
			chunk := bytes.Repeat([]byte("<item>x</item>"), 4096)
			for r.Context().Err() == nil {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}, state: "failing", problem: "the feed is larger than 1 MiB"},
		{name: "fifty-mb", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", fmt.Sprint(50<<20))
			chunk := make([]byte, 1<<20)
			for range 50 {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}, state: "failing", problem: "the feed is larger than 1 MiB"},
		{name: "gzip-bomb", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write(bomb)
		}, state: "failing", problem: "the feed is larger than 1 MiB"},
		{name: "redirect-loop", handler: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/redirect-loop", http.StatusFound)
		}, state: "failing", problem: "too many redirects"},
		{name: "eleven-hops", handler: hops("eleven-hops", 301, 301, 301, 301, 301, 301, 301, 301, 301, 301, 301),
			state: "failing", problem: "too many redirects"},
		{name: "ten-permanent-hops", handler: hops("ten-permanent-hops", 301, 308, 301, 308, 301, 308, 301, 308, 301, 308),
			state: "moved", check: func(t *testing.T, s sourceRow) {
				if !strings.HasSuffix(s.MovedTo, "/feed/ten-permanent-hops") || s.Entries != 1 {
					t.Errorf("moved_to %q, %d entries", s.MovedTo, s.Entries)
				}
			}},
		{name: "permanent-then-temporary", handler: hops("permanent-then-temporary", 301, 302), state: "ok"},
		{name: "temporary-then-permanent", handler: hops("temporary-then-permanent", 307, 308), state: "ok"},
		{name: "not-found", handler: status(404, ""), state: "failing", problem: "HTTP 404 Not Found"},
		{name: "gone", handler: status(410, ""), state: "gone", problem: "HTTP 410 Gone"},
		{name: "too-many-requests", handler: status(429, ""), state: "failing", problem: "HTTP 429 Too Many Requests",
			check: backoff(time.Hour, 2*time.Hour)},
		{name: "too-many-requests-retry-after", handler: status(429, "10800"), state: "failing", problem: "HTTP 429 Too Many Requests",
			check: backoff(3*time.Hour, 4*time.Hour)},
		{name: "server-error", handler: status(500, ""), state: "failing", problem: "HTTP 500 Internal Server Error"},
		// Without Retry-After a first failure is retried a minute later
		// (with jitter), so a blip heals soon.
		{name: "unavailable", handler: status(503, ""), state: "failing", problem: "HTTP 503 Service Unavailable",
			check: backoff(50*time.Second, 70*time.Second)},
		{name: "unavailable-retry-after", handler: status(503, "7200"), state: "failing", problem: "HTTP 503 Service Unavailable",
			check: backoff(2*time.Hour, 3*time.Hour)},
		{name: "html-page", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<!doctype html><html><head><title>Blog</title></head><body><p>Welcome</p></body></html>"))
		}, state: "failing", problem: "not a feed: an HTML page"},
		{name: "wrong-content-type", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "image/png")
			feed("wrong-content-type")(w, r)
		}, state: "ok"},
	}
}

// TestFaultInjection runs a daemon on a planet whose sources do every
// fault above, beside a healthy source on another host, then checks each
// source's outcome, that the healthy one was stored in full, and that the
// daemon still serves and polls.
func TestFaultInjection(t *testing.T) {
	fs := faults(t)
	bad := faultServer(t, fs)
	good := newFeedServer(t)
	var b strings.Builder
	fmt.Fprintf(&b, "title: Faults\nlink: https://planet.example.org/\ninterval: 1h\ntimeout: 5s\nmax_body_size: 1MiB\n")
	// Every fault is on one host; let them all run at once.
	fmt.Fprintf(&b, "concurrency: 32\nper_host: 32\nallow_private_networks: true\nfeeds:\n")
	fmt.Fprintf(&b, "  - name: healthy\n    url: %s/community/oss-program-office.rss.xml\n", good.URL)
	for _, f := range fs {
		fmt.Fprintf(&b, "  - name: %s\n    url: %s/%s\n", f.name, bad.URL, f.name)
	}
	config := filepath.Join(t.TempDir(), "feeds.yaml")
	if err := os.WriteFile(config, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	p := runPlanet(t, config, good)
	for range 1 + len(fs) {
		p.waitEvent("refreshed")
	}
	t.Logf("every source polled once in %v", time.Since(start))

	srcs, err := p.sourcesJSON()
	if err != nil {
		t.Fatal(err)
	}
	if h := srcs["healthy"]; h.State != "ok" || h.Entries != 10 {
		t.Errorf("the healthy source: %+v; want ok with its 10 entries", h)
	}
	for _, f := range fs {
		t.Run(f.name, func(t *testing.T) {
			s := srcs[f.name]
			if s.State != f.state || s.LastError != f.problem {
				t.Errorf("state %q, last_error %q; want %q, %q", s.State, s.LastError, f.state, f.problem)
			}
			for _, leak := range []string{"127.0.0.1", "fetch ", "dial ", "http://"} {
				if strings.Contains(s.LastError, leak) {
					t.Errorf("last_error %q shows %q", s.LastError, leak)
				}
			}
			if f.check != nil {
				f.check(t, s)
			}
		})
	}

	// The daemon lives: it serves, and polls again with the same results.
	if r := get(t, p.base+"/healthz", nil); r.StatusCode != 200 {
		t.Errorf("/healthz: %s", r.Status)
	}
	healthy, err := p.d.planet.Store().Source(context.Background(), 1)
	if err != nil || healthy.Name != "healthy" {
		t.Fatalf("source 1: %+v, %v", healthy, err)
	}
	if o := p.d.planet.Refresher().Refresh(context.Background(), healthy, time.Time{}); o.Err != nil || !o.NotModified {
		t.Errorf("second poll of the healthy source: %+v", o)
	}
	if f, err := p.feed(); err != nil || len(f.Entries) < 10 {
		t.Errorf("the merged feed after the faults: %d entries, %v", len(f.Entries), err)
	}
}
