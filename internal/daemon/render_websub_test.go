package daemon

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/config"
	"github.com/villagefeeds/village/internal/fetch"
	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/store"
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

// TestWebSubHubIsGuarded: a hub on a private address is refused as a feed
// would be, unless allow_private_networks says otherwise: the ping fails
// naming the address, and the hub hears nothing.
func TestWebSubHubIsGuarded(t *testing.T) {
	var pings atomic.Int64
	hub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pings.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(hub.Close)
	dir := t.TempDir()
	path := filepath.Join(dir, "feeds.yaml")
	yaml := "title: Guarded\nlink: https://planet.example.org/\ndatabase: " + filepath.Join(dir, "village.db") +
		"\nwebsub_hub: " + hub.URL + "/\nfeeds:\n  - url: https://blog.example.org/feed.xml\n"
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p, err := OpenPlanet(ctx, cfg, "test", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	pinged := make(chan error, 16)
	pub := p.Publisher(PublishOptions{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), RenderEvery: time.Millisecond, Observe: func(kind string, err error) {
		if kind == "websub" {
			pinged <- err
		}
	}})
	done := make(chan error, 1)
	go func() { done <- pub.Run(ctx) }()
	if err := pub.Flush(ctx); err != nil { // the first burst has read the store
		t.Fatal(err)
	}
	// A post stored since, for the next burst to ping the hub about.
	srcs, err := p.Store().SyncSources(ctx, []model.Source{{Name: "Blog", URL: cfg.Feeds[0].URL}})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	_, err = p.Store().SaveRefresh(ctx, srcs[0].ID, store.Refresh{CheckedAt: now, NextCheck: now.Add(time.Hour), Status: 200,
		Entries: []model.Entry{{GUID: "a", Link: "https://blog.example.org/a", Title: "A", Content: "<p>A post.</p>", Published: now}}})
	if err != nil {
		t.Fatal(err)
	}
	pub.Changed()
	var pe *fetch.PrivateAddressError
	select {
	case err := <-pinged:
		if !errors.As(err, &pe) || !pe.Addr.IsLoopback() {
			t.Errorf("ping of a loopback hub: %v, want a refused loopback address", err)
		}
	case <-time.After(20 * time.Second): // a failure, not a wait: no ping was tried
		t.Fatal("the publisher never pinged the hub")
	}
	if n := pings.Load(); n != 0 {
		t.Errorf("the refused hub was pinged %d times", n)
	}
	cancel()
	<-done
}
