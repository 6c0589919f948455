package daemon

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// startPlanetWith is startPlanet with more feeds.yaml keys (extra, one
// "key: value" line each) and a config directory of the caller's.
func startPlanetWith(t *testing.T, dir, extra string, feeds ...string) *planet {
	t.Helper()
	srv := newFeedServer(t)
	p := &planet{t: t, config: filepath.Join(dir, "feeds.yaml"), events: make(chan Event, 1024), done: make(chan error, 1), srv: srv, sources: srv.URL}
	writeConfig(t, p.config, srv.URL, feeds...)
	data, err := os.ReadFile(p.config)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p.config, append([]byte(extra), data...), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := New(Options{
		ConfigPath:  p.config,
		Version:     "test",
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
		Listen:      "127.0.0.1:0",
		RenderEvery: time.Millisecond,
		Observe:     func(e Event) { p.events <- e },
	})
	if err != nil {
		t.Fatal(err)
	}
	p.d = d
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	go func() { p.done <- d.Run(ctx) }()
	p.waitEvent("listening")
	p.base = "http://" + d.Addr()
	t.Cleanup(func() { p.stop() })
	return p
}

// TestWebSubPing: after the first poll the hub is told the merged feed
// changed, whether or not output_dir could be written.
func TestWebSubPing(t *testing.T) {
	for _, tt := range []struct {
		name   string
		output string
	}{
		{"no output_dir", ""},
		{"output_dir written", "public"},
		{"output_dir fails", "blocker/public"}, // blocker is a file
	} {
		t.Run(tt.name, func(t *testing.T) {
			topics := make(chan string, 64)
			hub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				r.ParseForm()
				if r.PostForm.Get("hub.mode") == "publish" {
					topics <- r.PostForm.Get("hub.url")
				}
				w.WriteHeader(http.StatusNoContent)
			}))
			t.Cleanup(hub.Close)
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "blocker"), nil, 0o644); err != nil {
				t.Fatal(err)
			}
			extra := "websub_hub: " + hub.URL + "/\n"
			if tt.output != "" {
				extra += "output_dir: " + tt.output + "\n"
			}
			p := startPlanetWith(t, dir, extra, communityFeeds...)
			p.waitFeed("45 entries", hasEntries(45))
			const want = "https://planet.example.org/atom.xml"
			deadline := time.After(20 * time.Second)
			for {
				select {
				case got := <-topics:
					if got == want {
						return
					}
				case <-deadline:
					t.Fatalf("the hub was never told of %s", want)
				}
			}
		})
	}
}
