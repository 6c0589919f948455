package daemon

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/config"
	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/publisher"
	"github.com/villagefeeds/village/internal/store"
)

// gatedStore holds the publisher's reads of the sources until gate closes.
type gatedStore struct {
	publisher.Store
	gate chan struct{}
}

func (g *gatedStore) Sources(ctx context.Context) ([]model.Source, error) {
	select {
	case <-g.gate:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return g.Store.Sources(ctx)
}

// storeWithEntries writes a database of n entries of one source, feed, for
// the config at path.
func storeWithEntries(t *testing.T, path, feed string, n int) {
	t.Helper()
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, cfg.Database)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srcs, err := st.SyncSources(ctx, cfg.Sources())
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var es []model.Entry
	for i := range n {
		link := fmt.Sprintf("%s/post/%d", feed, i)
		es = append(es, model.Entry{GUID: link, Link: link, CanonicalURL: link, Title: fmt.Sprintf("Stored post %d", i),
			Content: "<p>Stored.</p>", Published: at.Add(time.Duration(i) * time.Minute)})
	}
	// Not due for an hour: the daemon serves what is stored.
	_, err = st.SaveRefresh(ctx, srcs[0].ID, store.Refresh{CheckedAt: at, NextCheck: time.Now().Add(time.Hour), Status: 200, Entries: es})
	if err != nil {
		t.Fatal(err)
	}
}

// TestListensBeforeFirstRender: with entries in the store and the first
// render held back, the daemon already accepts connections and answers
// what needs no render (/healthz); a request for the front page waits for
// the render instead of failing, and gets the stored entries.
func TestListensBeforeFirstRender(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "feeds.yaml")
	srv := newFeedServer(t)
	writeConfig(t, path, srv.URL, "Stored=community/kubernetes-blog.atom.xml")
	storeWithEntries(t, path, srv.URL, 120)

	gate := make(chan struct{})
	events := make(chan Event, 64)
	d, err := New(Options{ConfigPath: path, Version: "test", Logger: slog.New(slog.DiscardHandler),
		Listen: "127.0.0.1:0", Observe: func(e Event) { events <- e }})
	if err != nil {
		t.Fatal(err)
	}
	d.wrapStore = func(st publisher.Store) publisher.Store { return &gatedStore{Store: st, gate: gate} }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	for e := range events {
		if e.Kind == "listening" {
			break
		}
	}
	base := "http://" + d.Addr()
	if r := get(t, base+"/healthz", nil); r.StatusCode != http.StatusOK {
		t.Fatalf("healthz while the first render is held: %d", r.StatusCode)
	}
	home := make(chan *http.Response, 1)
	go func() {
		resp, err := http.Get(base + "/")
		if err != nil {
			t.Error(err)
		}
		home <- resp
	}()
	select {
	case <-home:
		t.Fatal("the front page was answered while its render was held")
	default:
	}
	close(gate)
	resp := <-home
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte("Stored post 119")) {
		t.Errorf("front page after the render: %d, newest stored post missing", resp.StatusCode)
	}
}

// TestRunLeavesNothingRunning: once Run has returned, none of the
// goroutines it started (publisher, WebSub pings, config watcher,
// scheduler, HTTP server) is left, nor the watcher's inotify descriptor.
func TestRunLeavesNothingRunning(t *testing.T) {
	inotify := inotifyFDs(t)
	hub := newFeedServer(t) // answers the pings with 404: a failed ping
	p := startPlanetWith(t, t.TempDir(), "websub_hub: "+hub.URL+"/hub\n", communityFeeds[2])
	p.waitFeed("the OSPO posts", hasEntries(10))
	p.waitEvent("websub")
	p.stop()
	buf := make([]byte, 1<<20)
	stacks := string(buf[:runtime.Stack(buf, true)])
	for _, g := range strings.Split(stacks, "\n\n") {
		for _, mark := range []string{"internal/daemon.(*Daemon)", "internal/publisher.", "internal/websub.", "fsnotify", "internal/server.Serve"} {
			if strings.Contains(g, mark) {
				t.Errorf("left running after Run returned:\n%s", g)
				break
			}
		}
	}
	if n := inotifyFDs(t); n != inotify {
		t.Errorf("%d inotify descriptors open after Run returned, %d before it started", n, inotify)
	}
}

// inotifyFDs counts this process's inotify descriptors (Linux only).
func inotifyFDs(t *testing.T) int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd:", err)
	}
	n := 0
	for _, e := range ents {
		if l, err := os.Readlink(filepath.Join("/proc/self/fd", e.Name())); err == nil && strings.Contains(l, "inotify") {
			n++
		}
	}
	return n
}

// TestPollNow: PollNow (SIGUSR1) polls every source at once, though none
// is due for an hour.
func TestPollNow(t *testing.T) {
	p := startPlanet(t, communityFeeds[2], communityFeeds[3])
	p.waitFeed("both sources", func(f atomFeed) bool { return len(f.Entries) > 10 })
	if st := p.srv.takeStatuses(); st[200] != 2 {
		t.Fatalf("first polls: %v, want 2 x 200", st)
	}
	p.d.PollNow()
	got := map[int]int{}
	deadline := time.After(20 * time.Second)
	for got[304] < 2 {
		select {
		case <-p.events:
		case <-deadline:
			t.Fatalf("after PollNow the feed server answered %v; want 2 x 304", got)
		}
		for code, n := range p.srv.takeStatuses() {
			got[code] += n
		}
	}
}
