package daemon

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/config"
	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/refresh"
)

const tinyFeed = `<?xml version="1.0"?><rss version="2.0"><channel><title>%s</title><link>https://%s.example.org/</link>
<item><title>Hello</title><link>https://%s.example.org/hello/</link><description>Hi.</description></item></channel></rss>`

// openTestPlanet opens a planet on cfg, closed when the test ends, and
// returns its sources.
func openTestPlanet(t *testing.T, cfg *config.Config) (*Planet, []model.Source) {
	t.Helper()
	p, err := OpenPlanet(context.Background(), cfg, "test", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	srcs, err := p.Store().Sources(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return p, srcs
}

// A host that never answers holds its own per-host slots, not the planet's:
// a feed on another host is fetched while it hangs.
func TestSlowHostDoesNotDelayOtherHosts(t *testing.T) {
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	fast := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, tinyFeed, "fast", "fast", "fast")
	}))
	defer fast.Close()

	cfg := config.Default()
	cfg.Database = filepath.Join(t.TempDir(), "village.db")
	cfg.Concurrency, cfg.PerHost = 2, 1
	cfg.AllowPrivateNetworks = true // the feeds are served on loopback

	slowURL := strings.Replace(slow.URL, "127.0.0.1", "localhost", 1) // another host, same machine
	for i := range 3 {
		cfg.Feeds = append(cfg.Feeds, config.Feed{Name: fmt.Sprintf("slow %d", i), URL: fmt.Sprintf("%s/%d.xml", slowURL, i)})
	}
	cfg.Feeds = append(cfg.Feeds, config.Feed{Name: "zz fast", URL: fast.URL + "/feed.xml"})
	ctx := context.Background()
	p, srcs := openTestPlanet(t, cfg)

	fastDone := make(chan refresh.Outcome, 1)
	all := make(chan struct{})
	go func() {
		defer close(all)
		p.RefreshAll(ctx, srcs, func(o refresh.Outcome) {
			if o.Source.Name == "zz fast" { // listed last, after the slow ones
				fastDone <- o
			}
		})
	}()
	select {
	case o := <-fastDone:
		if o.Err != nil || o.New != 1 {
			t.Errorf("fast feed: new %d, err %v", o.New, o.Err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the fast feed waited behind a host that does not answer")
	}
	close(release)
	<-all
}

// hungHost listens on addr, accepts connections and never answers; it
// reports each accepted connection on accepted.
func hungHost(t *testing.T, addr string, accepted chan<- struct{}) string {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("cannot listen on %s (127.0.0.0/8 is one interface on Linux only): %v", addr, err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
			accepted <- struct{}{}
		}
	}()
	return "http://" + ln.Addr().String()
}

// TestHungHostsHoldNoOneUp lists 50 hosts that accept a connection and
// never answer before 5 healthy hosts, with 2 work slots: every healthy
// feed is fetched, parsed and stored while all 50 hang, and the hung
// connections hold connection slots only, never a work slot.
func TestHungHostsHoldNoOneUp(t *testing.T) {
	const hung, healthy = 50, 5
	accepted := make(chan struct{}, hung)
	cfg := config.Default()
	cfg.Database = filepath.Join(t.TempDir(), "village.db")
	cfg.Concurrency = 2
	cfg.Timeout = 10 * time.Minute  // the hung hosts never time out during the test
	cfg.AllowPrivateNetworks = true // every host is on loopback
	for i := range hung {
		u := hungHost(t, fmt.Sprintf("127.0.0.%d:0", 2+i), accepted)
		cfg.Feeds = append(cfg.Feeds, config.Feed{Name: fmt.Sprintf("hung %02d", i), URL: u + "/feed.xml"})
	}
	for i := range healthy {
		name := fmt.Sprintf("ok%d", i)
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.%d:0", 2+hung+i))
		if err != nil {
			t.Skip(err)
		}
		srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, tinyFeed, name, name, name)
		})}}
		srv.Start()
		t.Cleanup(srv.Close)
		cfg.Feeds = append(cfg.Feeds, config.Feed{Name: fmt.Sprintf("zz healthy %d", i), URL: srv.URL + "/feed.xml"})
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p, srcs := openTestPlanet(t, cfg)

	outcomes := make(chan refresh.Outcome, hung+healthy)
	all := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(all)
		p.RefreshAll(ctx, srcs, func(o refresh.Outcome) { outcomes <- o })
	}()
	// A backstop only: the assertions are on what arrives in what order.
	backstop := time.After(60 * time.Second)
	ok, open := 0, 0
	for ok < healthy || open < hung {
		select {
		case o := <-outcomes:
			if strings.HasPrefix(o.Source.Name, "hung") {
				t.Fatalf("%s ended (%v) while healthy feeds were still waiting", o.Source.Name, o.Err)
			}
			if o.Err != nil || o.New != 1 {
				t.Fatalf("%s: new %d, err %v", o.Source.Name, o.New, o.Err)
			}
			ok++
		case <-accepted:
			open++
		case <-backstop:
			t.Fatalf("after 60s: %d of %d healthy feeds stored, %d of %d hung connections open; stats %+v",
				ok, healthy, open, hung, p.Limits().Stats())
		}
	}
	t.Logf("all %d healthy feeds stored %v after the poll started, beside %d hung hosts", healthy, time.Since(start), hung)
	if s := p.Limits().Stats(); s.Connections != hung || s.Work != 0 || s.Waiting != 0 {
		t.Errorf("stats = %+v; want the %d hung requests holding connection slots and nothing else", s, hung)
	}
	cancel()
	<-all
	close(outcomes)
	for o := range outcomes {
		if o.Class != "canceled" {
			t.Errorf("%s: class %q after cancel, want canceled", o.Source.Name, o.Class)
		}
	}
}
