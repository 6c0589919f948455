package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/villagefeeds/village/internal/config"
	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/store"
)

// archiveSources is how many sources the archives are spread over.
const archiveSources = 1000

// archives times `village serve` over archives of growing size: how soon
// it listens, the first render, the first requests, a render after a
// change, pages rendered on demand, and its peak memory. The sources'
// feeds point at a closed port and are not due: nothing is polled.
func (b *bench) archives(ctx context.Context) error {
	fmt.Fprintln(b.w)
	var urls []string
	for i := range archiveSources {
		urls = append(urls, fmt.Sprintf("http://127.0.0.1:1/blog/%04d/atom.xml", i))
	}
	path, db, err := b.writeConfig("archive", urls)
	if err != nil {
		return err
	}
	defer removeDB(db)
	stored := 0
	for _, n := range b.o.archives {
		t0 := time.Now()
		if err := grow(ctx, path, stored, n); err != nil {
			return err
		}
		b.row(fmt.Sprintf("archive of %d", n), fmt.Sprintf("entries over %d sources (stored in %s)", archiveSources, seconds(time.Since(t0))))
		stored = n
		if err := b.archive(ctx, path, n); err != nil {
			return err
		}
	}
	return nil
}

// grow adds entries to the archive's store until it holds n.
func grow(ctx context.Context, path string, from, n int) error {
	cfg, err := config.Load(path)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, cfg.Database)
	if err != nil {
		return err
	}
	defer st.Close()
	srcs, err := st.SyncSources(ctx, cfg.Sources())
	if err != nil {
		return err
	}
	epoch := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	body := "<p>" + strings.Repeat("A post of the archive, lorem ipsum dolor sit amet. ", 8) + "</p>"
	const batch = 500
	for i := from; i < n; i += batch {
		src := srcs[(i/batch)%len(srcs)]
		var es []model.Entry
		for j := i; j < min(i+batch, n); j++ {
			link := fmt.Sprintf("https://blog%d.example/post/%d", src.ID, j)
			es = append(es, model.Entry{GUID: link, Link: link, CanonicalURL: link, Title: fmt.Sprintf("Post %d", j),
				Content: body, Published: epoch.Add(time.Duration(j) * time.Minute)})
		}
		at := time.Now()
		_, err := st.SaveRefresh(ctx, src.ID, store.Refresh{CheckedAt: at, NextCheck: at.Add(24 * time.Hour), Status: 200, Entries: es})
		if err != nil {
			return err
		}
	}
	return nil
}

// archive measures serve over the archive as it is.
func (b *bench) archive(ctx context.Context, path string, n int) error {
	s, err := startServe(ctx, b.village, path)
	if err != nil {
		return err
	}
	defer s.stop()
	first, code, err := s.get(ctx, "/")
	if err != nil || code != 200 {
		return fmt.Errorf("GET /: %d %v", code, err)
	}
	ttfb := time.Since(s.start)
	atom, _, err := s.get(ctx, "/atom.xml")
	if err != nil {
		return err
	}
	b.row("  start", "listening in "+millis(s.listen), "/ answered "+millis(ttfb)+" after start ("+millis(first)+")",
		"/atom.xml then "+millis(atom))
	// A change: the title. Every document is rendered again when asked for.
	mark := s.log.mark()
	t0 := time.Now()
	cfg, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := writeFileAtomic(path, []byte(strings.Replace(string(cfg), "title: Bench", "title: Bench again", 1))); err != nil {
		return err
	}
	if _, _, err := s.log.waitPublished(ctx, mark, t0, time.Minute); err != nil {
		return err
	}
	var renders []string
	for _, p := range []string{"/", "/atom.xml", "/rss.xml", "/opml.xml"} {
		cold, _, err := s.get(ctx, p)
		if err != nil {
			return err
		}
		warm, _, err := s.get(ctx, p)
		if err != nil {
			return err
		}
		renders = append(renders, fmt.Sprintf("%s %s (then %s)", p, millis(cold), millis(warm)))
	}
	b.row("  after a change", renders...)
	mark, t0 = s.log.mark(), time.Now()
	if err := writeFileAtomic(path, cfg); err != nil {
		return err
	}
	if _, _, err := s.log.waitPublished(ctx, mark, t0, time.Minute); err != nil {
		return err
	}
	var figs []string
	for _, p := range []struct{ label, path string }{
		{"source page", "/sources/blog-0500/"},
		{"page 2", "/?page=2"},
		{"last page", fmt.Sprintf("/?page=%d", (n+49)/50)},
		{"page 999999", "/?page=999999"},
	} {
		cold, _, err := s.get(ctx, p.path)
		if err != nil {
			return err
		}
		warm, _, err := s.get(ctx, p.path)
		if err != nil {
			return err
		}
		figs = append(figs, fmt.Sprintf("%s %s (then %s)", p.label, millis(cold), millis(warm)))
	}
	b.row("  on demand", figs...)
	b.row("  serve peak RSS", bytesize(s.peakRSS()))
	return s.stop()
}

// writeFileAtomic replaces path, as an editor does.
func writeFileAtomic(path string, data []byte) error {
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
