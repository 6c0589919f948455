package discover

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/villagefeeds/village/internal/fetch"
)

const atomFeed = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Blog</title><id>urn:x</id>
<link href="/"/><updated>2024-01-01T00:00:00Z</updated></feed>`

const rssFeed = `<?xml version="1.0"?><rss version="2.0"><channel><title>RSS Blog</title>
<link>https://rss.example/</link><description>d</description></channel></rss>`

// site serves fixed bodies by path, counts what was asked, and answers 404
// for anything else.
type site struct {
	mu    sync.Mutex
	asked []string
	pages map[string]string
}

func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.asked = append(s.asked, r.URL.RequestURI())
	s.mu.Unlock()
	if to, ok := strings.CutPrefix(s.pages[r.URL.Path], "redirect "); ok {
		http.Redirect(w, r, to, http.StatusMovedPermanently)
		return
	}
	body, ok := s.pages[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	_, _ = w.Write([]byte(body))
}

func serve(t *testing.T, pages map[string]string) (*httptest.Server, *site) {
	t.Helper()
	s := &site{pages: pages}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv, s
}

func TestFind(t *testing.T) {
	page := `<!doctype html><html><head>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" hreflang="fr" href="/fr/">
<link rel="alternate" type="application/atom+xml" href="/missing.atom">
<link rel="alternate" type="text/html" href="/other.html">
<link rel="Alternate Home" type="application/rss+xml; charset=utf-8" href="posts/index.rss#top">
<link rel="alternate" type="application/atom+xml" href="/blog.atom">
</head><body>hello</body></html>`
	tests := []struct {
		name, path string
		pages      map[string]string
		wantPath   string // of Result.URL
		wantTitle  string
		wantAsked  []string
	}{
		{
			name:      "feed URL given",
			path:      "/feed.atom",
			pages:     map[string]string{"/feed.atom": atomFeed},
			wantPath:  "/feed.atom",
			wantTitle: "Atom Blog",
			wantAsked: []string{"/feed.atom"},
		},
		{
			name:      "first working alternate in document order, relative href",
			path:      "/blog/",
			pages:     map[string]string{"/blog/": page, "/blog/posts/index.rss": rssFeed, "/blog.atom": atomFeed},
			wantPath:  "/blog/posts/index.rss",
			wantTitle: "RSS Blog",
			wantAsked: []string{"/blog/", "/missing.atom", "/blog/posts/index.rss"},
		},
		{
			name:      "base href",
			path:      "/",
			pages:     map[string]string{"/": `<link rel=alternate type=application/feed+json href=feed.json><base href="/j/">`, "/j/feed.json": `{"version":"https://jsonfeed.org/version/1.1","title":"JSON Blog","items":[]}`},
			wantPath:  "/j/feed.json",
			wantTitle: "JSON Blog",
			wantAsked: []string{"/", "/j/feed.json"},
		},
		{
			name:      "common path in the page's directory, then the root",
			path:      "/blog",
			pages:     map[string]string{"/blog": "<html><head><title>no links</title></head></html>", "/rss": rssFeed},
			wantPath:  "/rss",
			wantTitle: "RSS Blog",
			wantAsked: []string{"/blog", "/blog/feed.xml", "/blog/index.xml", "/blog/atom.xml", "/blog/rss.xml", "/blog/feed", "/blog/rss", "/blog/feed.json", "/feed.xml", "/index.xml", "/atom.xml", "/rss.xml", "/feed", "/rss"},
		},
		{
			name:      "permanent redirect is written down",
			path:      "/old.xml",
			pages:     map[string]string{"/old.xml": "redirect /new.xml", "/new.xml": rssFeed},
			wantPath:  "/new.xml",
			wantTitle: "RSS Blog",
			wantAsked: []string{"/old.xml", "/new.xml"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, s := serve(t, tt.pages)
			res, err := Find(context.Background(), fetch.New(fetch.Options{AllowPrivate: true}), srv.URL+tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if res.URL != srv.URL+tt.wantPath {
				t.Errorf("URL = %s, want %s", res.URL, srv.URL+tt.wantPath)
			}
			if res.Feed.Title != tt.wantTitle {
				t.Errorf("title = %q, want %q", res.Feed.Title, tt.wantTitle)
			}
			if !reflect.DeepEqual(s.asked, tt.wantAsked) {
				t.Errorf("asked %q\nwant %q", s.asked, tt.wantAsked)
			}
		})
	}
}

func TestFindErrors(t *testing.T) {
	tests := []struct {
		name, path string
		pages      map[string]string
		want       string
		sentinel   error
	}{
		{"no feed anywhere", "/", map[string]string{"/": "<html><body>hi</body></html>"}, "no feed found", ErrNoFeed},
		{"page missing", "/gone", nil, "http 404", nil},
		{"broken feed", "/f.xml", map[string]string{"/f.xml": `<rss version="2.0"><channel><title>x</title><item>`}, "parse", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := serve(t, tt.pages)
			_, err := Find(context.Background(), fetch.New(fetch.Options{AllowPrivate: true}), srv.URL+tt.path)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), srv.URL+tt.path) {
				t.Fatalf("error %v, want one naming %s and containing %q", err, srv.URL+tt.path, tt.want)
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("error %v is not %v", err, tt.sentinel)
			}
		})
	}
	if _, err := Find(context.Background(), fetch.New(fetch.Options{AllowPrivate: true}), "ftp://x/"); err == nil {
		t.Error("ftp URL accepted")
	}
}

func TestAlternates(t *testing.T) {
	page, _ := url.Parse("https://blog.example/a/b.html")
	body := `<html><head>
<LINK REL="alternate" TYPE="application/rss+xml" HREF="../rss.xml">
<link rel="alternate" type="application/atom+xml" href="https://other.example/atom">
<link rel="alternate" type="application/atom+xml" href="javascript:alert(1)">
<link rel="alternate" type="image/png" href="/x.png">
<link rel="alternate" type="application/atom+xml">
</head></html>`
	got := Alternates([]byte(body), page)
	want := []string{"https://blog.example/rss.xml", "https://other.example/atom"}
	if !slices.Equal(got, want) {
		t.Errorf("Alternates = %q, want %q", got, want)
	}
}

func FuzzAlternates(f *testing.F) {
	f.Add(`<link rel="alternate" type="application/rss+xml" href="/rss"><base href="//x/">`)
	page, _ := url.Parse("https://blog.example/")
	f.Fuzz(func(t *testing.T, body string) {
		for _, u := range Alternates([]byte(body), page) {
			p, err := url.Parse(u)
			if err != nil || p.Scheme != "http" && p.Scheme != "https" || p.Host == "" {
				t.Fatalf("Alternates returned %q", u)
			}
		}
	})
}

// TestFindRefusesPrivateAddresses: a page someone suggests is fetched with
// the planet's guard, so loopback is refused unless the planet allows it.
func TestFindRefusesPrivateAddresses(t *testing.T) {
	srv, s := serve(t, map[string]string{"/feed.atom": atomFeed})
	_, err := Find(context.Background(), fetch.New(fetch.Options{}), srv.URL+"/feed.atom")
	var pe *fetch.PrivateAddressError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "allow_private_networks") {
		t.Fatalf("err = %v, want the private address refused", err)
	}
	if len(s.asked) != 0 {
		t.Errorf("the server was asked %v", s.asked)
	}
}
