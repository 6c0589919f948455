package daemon

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/villagefeeds/village/internal/config"
	"github.com/villagefeeds/village/internal/redact"
	"github.com/villagefeeds/village/internal/server"
	"github.com/villagefeeds/village/internal/site"
	"github.com/villagefeeds/village/internal/websub"
)

// siteState is what the renders keep between runs: the site builder, the
// keys published on the server, the snapshot that renders later pages on
// demand, the output directory's files and the WebSub publisher.
type siteState struct {
	once     sync.Once
	builder  *site.Builder
	keys     map[string]bool
	snapshot atomic.Pointer[site.Snapshot]
	dir      *site.Dir
	dirPath  string
	dirValid bool // the last write of dir succeeded
	dirTotal int  // the home listing's entries at that write
	websub   *websub.Publisher
}

func (d *Daemon) siteState() *siteState {
	s := &d.site
	s.once.Do(func() {
		s.builder = site.NewBuilder()
		s.websub = websub.New(websub.Options{
			Logger: d.log,
			Done:   func(_ string, err error) { d.opts.Observe(Event{Kind: "websub", Err: err}) },
		})
		d.server.SetPages(d.renderPage, server.DefaultCachedPages)
	})
	return s
}

// renderPage renders a page after the first on demand, from the snapshot
// of the last render.
func (d *Daemon) renderPage(ctx context.Context, path string, n int) (*server.Document, error) {
	snap := d.siteState().snapshot.Load()
	if snap == nil {
		return nil, server.ErrNoPage
	}
	doc, err := snap.Page(ctx, path, n)
	if errors.Is(err, site.ErrNoPage) {
		return nil, server.ErrNoPage
	}
	if err != nil {
		return nil, err
	}
	return server.NewDocument(doc.ContentType, doc.Body, time.Now()), nil
}

// SiteOptions describes cfg's site to the site builder; static names pages
// as files for a static web server.
func SiteOptions(cfg *config.Config, version string, static bool) site.Options {
	return site.Options{
		Title: cfg.Title, Link: cfg.Link, Author: cfg.Author,
		Generator: "village", Version: version,
		PerPage: cfg.Entries, Hub: cfg.WebSubHub, ThemeDir: cfg.ThemeDir, Static: static,
		Redact: redact.New(cfg.SecretParams),
	}
}

// publishLoop renders after changes, at most once per RenderEvery, so a cold
// start with a thousand sources renders a handful of times, not a thousand.
// It also runs the WebSub publisher.
func (d *Daemon) publishLoop(ctx context.Context) {
	go d.siteState().websub.Run(ctx)
	for {
		select {
		case <-ctx.Done():
			return
		case <-d.dirty:
		}
		if err := d.render(ctx); err != nil && ctx.Err() == nil {
			d.log.Error("render", "error", err)
		}
		pause := time.NewTimer(d.opts.RenderEvery)
		select {
		case <-ctx.Done():
			pause.Stop()
			return
		case <-pause.C:
		}
	}
}

// render publishes what changed: the first pages and feeds of the site,
// rendered now, to the HTTP server, which serves them from memory until
// the next change and renders later pages on demand; and the whole site to
// output_dir when set. Then it tells the WebSub hub which feeds changed,
// even if output_dir could not be written: subscribers read the server.
func (d *Daemon) render(ctx context.Context) error {
	d.renderMu.Lock()
	defer d.renderMu.Unlock()
	s := d.siteState()
	cfg := d.planet.Config()
	snap, docs, err := s.builder.Head(ctx, d.planet.Store(), SiteOptions(cfg, d.opts.Version, false))
	if err != nil {
		return err
	}
	topics, changed := d.publishDocs(s, cfg, docs)
	s.snapshot.Store(snap)
	d.server.Invalidate()
	var outErr error
	if cfg.OutputDir != "" && (changed > 0 || !s.dirValid || s.dirPath != cfg.OutputDir || s.dirTotal != snap.Entries()) {
		var n int
		n, outErr = d.writeOutput(ctx, s, cfg)
		s.dirValid, s.dirTotal = outErr == nil, snap.Entries()
		changed += n
	}
	if changed > 0 {
		d.log.Debug("published", "documents", changed, "feeds", len(topics))
		s.websub.Notify(cfg.WebSubHub, topics...)
		d.opts.Observe(Event{Kind: "published"})
	}
	return outErr
}

// publishDocs puts the changed docs on the server and takes down the ones
// the site no longer has. It returns the public URLs of the changed feeds.
func (d *Daemon) publishDocs(s *siteState, cfg *config.Config, docs []site.Doc) (topics []string, changed int) {
	now := time.Now()
	keys := make(map[string]bool, len(docs))
	for _, doc := range docs {
		key := doc.Key()
		keys[key] = true
		if old := d.server.Document(key); old != nil && bytes.Equal(old.Body, doc.Body) {
			continue
		}
		d.server.Publish(key, server.NewDocument(doc.ContentType, doc.Body, now))
		changed++
		if doc.Topic {
			topics = append(topics, cfg.Link+strings.TrimPrefix(doc.Path, "/"))
		}
	}
	for key := range s.keys {
		if !keys[key] {
			d.server.Publish(key, nil)
			changed++
		}
	}
	s.keys = keys
	return topics, changed
}

// writeOutput keeps output_dir current with the static form of the site,
// whose links name files rather than ?page=N. It renders every page, but
// only when a first page or the number of entries changed (an entry edited
// deep in the archive waits for the next such change), and Dir writes only
// the files whose bytes changed.
func (d *Daemon) writeOutput(ctx context.Context, s *siteState, cfg *config.Config) (int, error) {
	docs, err := s.builder.Build(ctx, d.planet.Store(), SiteOptions(cfg, d.opts.Version, true))
	if err != nil {
		return 0, err
	}
	if s.dir == nil || s.dirPath != cfg.OutputDir {
		s.dir, s.dirPath = site.NewDir(cfg.OutputDir), cfg.OutputDir
	}
	return s.dir.Write(docs)
}
