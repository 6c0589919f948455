package daemon

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// syncBuffer is a log destination the daemon's goroutines share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestNoSecretLeavesVillage lists feeds whose URLs carry a password and
// tokens (one answering, one failing, one moved to a URL with a token, one
// failing with its token in the path) and one with basic auth from
// password_env, then reads everything the daemon publishes or logs: no
// secret may appear anywhere.
func TestNoSecretLeavesVillage(t *testing.T) {
	secrets := []string{"PW-URL", "TOKEN-A", "TOKEN-B", "TOKEN-C", "SESSION-D", "PW-ENV", "PATHTOKEN9a8b7c6d5e"}
	t.Setenv("VILLAGE_TEST_FEED_PASSWORD", "PW-ENV")
	files := http.FileServer(http.Dir("testdata"))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, _ := r.BasicAuth()
		switch r.URL.Path {
		case "/private/feed.xml": // userinfo in the URL
			if user != "alice" || pass != "PW-URL" {
				http.Error(w, "who are you?", http.StatusUnauthorized)
				return
			}
			r.URL.Path = "/community/kubernetes-blog.atom.xml"
		case "/members/feed.xml": // username + password_env
			if user != "bob" || pass != "PW-ENV" {
				http.Error(w, "who are you?", http.StatusUnauthorized)
				return
			}
			r.URL.Path = "/community/oss-program-office.rss.xml"
		case "/old/feed.xml":
			http.Redirect(w, r, "/community/series-boilerplate.atom.xml?session=SESSION-D", http.StatusMovedPermanently)
			return
		case "/community/series-boilerplate.atom.xml":
		default:
			http.NotFound(w, r)
			return
		}
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")

	config := filepath.Join(t.TempDir(), "feeds.yaml")
	yml := fmt.Sprintf(`title: Secrets
link: https://planet.example.org/
allow_private_networks: true
secret_params: [session]
feeds:
  - name: Private
    url: http://alice:PW-URL@%[1]s/private/feed.xml?token=TOKEN-A
  - name: Members
    url: http://%[1]s/members/feed.xml
    username: bob
    password_env: VILLAGE_TEST_FEED_PASSWORD
  - name: Broken
    url: http://%[1]s/missing.xml?api_key=TOKEN-B&x-auth-token=TOKEN-C
  - name: Moved
    url: http://%[1]s/old/feed.xml
  - name: Calendar
    url: http://%[1]s/ical/private-PATHTOKEN9a8b7c6d5e/basic.xml
`, host)
	if err := os.WriteFile(config, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	p := runPlanet(t, config, &feedServer{Server: srv}, func(o *Options) {
		o.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	for range 5 {
		p.waitEvent("refreshed")
	}
	srcs := p.waitSources("every source polled", func(s map[string]sourceRow) bool {
		return s["Private"].Entries > 0 && s["Members"].Entries > 0 && s["Broken"].State == "failing" && s["Moved"].State == "moved" &&
			s["Calendar"].State == "failing"
	})
	if s := srcs["Broken"]; s.LastError != "HTTP 404 Not Found" {
		t.Errorf("Broken: last_error %q", s.LastError)
	}

	p.waitPage("/sources/moved/", "the move", func(page string) bool { return strings.Contains(page, "moved permanently") })
	outputs := map[string]string{"log": logs.String()}
	for _, path := range []string{"/", "/sources/private/", "/sources/broken/", "/sources/moved/", "/sources/calendar/", "/atom.xml", "/rss.xml",
		"/feed.json", "/opml.xml", "/sources/private/atom.xml", "/sources.json", "/metrics", "/healthz"} {
		outputs[path] = getBody(t, p.base+path)
	}
	for where, text := range outputs {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("%s shows %s", where, s)
			}
		}
	}
	for where, want := range map[string]string{
		"/sources.json":             "http://***@" + host + "/private/feed.xml?token=***",
		"/sources/calendar/":        "http://" + host + "/ical/***/basic.xml",
		"/opml.xml":                 "?api_key=***&amp;x-auth-token=***",
		"/sources/moved/":           "?session=***",
		"/sources/private/atom.xml": `<link rel="self" href="http://***@` + host + "/private/feed.xml?token=***",
		"/sources/private/":         "http://***@" + host + "/private/feed.xml?token=***",
		"log":                       `feed_url="http://***@` + host + "/private/feed.xml?token=***",
	} {
		if !strings.Contains(outputs[where], want) {
			t.Errorf("%s does not show %s", where, want)
		}
	}
}
