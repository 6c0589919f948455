package daemon

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/config"
	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/publisher"
	"github.com/villagefeeds/village/internal/site"
	"github.com/villagefeeds/village/internal/store"
)

const benchSources, benchPerSource = 300, 100 // 30,000 entries

// benchPublisher is a publisher over a temporary store of 30,000
// synthetic entries, rendered once; extra is more feeds.yaml.
func benchPublisher(b *testing.B, extra string) (*Planet, *publisher.Publisher, []int64) {
	b.Helper()
	ctx := context.Background()
	dir := b.TempDir()
	var y strings.Builder
	fmt.Fprintf(&y, "title: Bench\nlink: https://planet.example.org/\nentries: 50\ndatabase: village.db\n%sfeeds:\n", extra)
	for i := range benchSources {
		fmt.Fprintf(&y, "  - url: https://s%d.example/feed\n    name: s%d\n    tags: [t%d]\n", i, i, i%10)
	}
	path := filepath.Join(dir, "feeds.yaml")
	if err := os.WriteFile(path, []byte(y.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	p, err := OpenPlanet(ctx, cfg, "bench", log)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { p.Close() })
	srcs, err := p.Store().Sources(ctx)
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]int64, len(srcs))
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, s := range srcs {
		ids[i] = s.ID
		var es []model.Entry
		for j := range benchPerSource {
			n := i*benchPerSource + j
			es = append(es, benchEntry(i, j, t0.Add(-time.Duration(n)*time.Minute)))
		}
		if _, err := p.Store().SaveRefresh(ctx, s.ID, store.Refresh{CheckedAt: t0, NextCheck: t0.Add(time.Hour), Status: 200, Entries: es}); err != nil {
			b.Fatal(err)
		}
	}
	pub := p.Publisher(PublishOptions{Logger: log})
	if err := pub.Flush(ctx); err != nil {
		b.Fatal(err)
	}
	return p, pub, ids
}

func benchEntry(src, n int, published time.Time) model.Entry {
	link := fmt.Sprintf("https://s%d.example/posts/%d", src, n)
	body := strings.Repeat(fmt.Sprintf("<p>Post %d of source %d, lorem ipsum dolor sit amet.</p>\n", n, src), 20)
	return model.Entry{GUID: link, Link: link, CanonicalURL: link, ContentHash: fmt.Sprintf("%08x%08x", src, n),
		Title: fmt.Sprintf("Post %d", n), Content: body, Published: published}
}

// BenchmarkRenderAfterChange times what a new entry costs to publish,
// over a store of 30,000 entries: the burst, then the front page and the
// merged feed as the next requests render them; with output_dir, the
// static pages of the source, its tag and the front page too.
func BenchmarkRenderAfterChange(b *testing.B) {
	for _, bc := range []struct{ name, extra string }{
		{"served", ""},
		{"output_dir", "output_dir: public\n"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			p, pub, ids := benchPublisher(b, bc.extra)
			ctx := context.Background()
			next := time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				next = next.Add(time.Minute)
				e := benchEntry(0, benchPerSource+i, next)
				if _, err := p.Store().SaveRefresh(ctx, ids[0], store.Refresh{CheckedAt: next, NextCheck: next.Add(time.Hour), Status: 200, Entries: []model.Entry{e}}); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				pub.Changed()
				if err := pub.Flush(ctx); err != nil {
					b.Fatal(err)
				}
				for _, path := range []string{"/", "/atom.xml"} {
					if _, err := pub.Document(ctx, site.Key{Path: path, Page: 1}, true); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
