package daemon

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/config"
	"github.com/villagefeeds/village/internal/refresh"
)

const tinyFeed = `<?xml version="1.0"?><rss version="2.0"><channel><title>%s</title><link>https://%s.example.org/</link>
<item><title>Hello</title><link>https://%s.example.org/hello/</link><description>Hi.</description></item></channel></rss>`

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
	p, err := OpenPlanet(ctx, cfg, "test", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	srcs, err := p.Store().Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}

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
