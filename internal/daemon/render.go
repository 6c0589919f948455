package daemon

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"time"

	"github.com/villagefeeds/village/internal/config"
	"github.com/villagefeeds/village/internal/server"
	"github.com/villagefeeds/village/internal/site"
	"github.com/villagefeeds/village/internal/websub"
)

// siteState is what the renders keep between runs: the site builder, the
// keys published on the server, the output directory's files and the
// WebSub publisher.
type siteState struct {
	once    sync.Once
	builder *site.Builder
	keys    map[string]bool
	dir     *site.Dir
	dirPath string
	websub  *websub.Publisher
}

func (d *Daemon) siteState() *siteState {
	s := &d.site
	s.once.Do(func() {
		s.builder = site.NewBuilder()
		s.websub = websub.New(websub.Options{
			Logger: d.log,
			Done:   func(_ string, err error) { d.opts.Observe(Event{Kind: "websub", Err: err}) },
		})
	})
	return s
}

// SiteOptions describes cfg's site to the site builder; static names pages
// as files for a static web server.
func SiteOptions(cfg *config.Config, version string, static bool) site.Options {
	return site.Options{
		Title: cfg.Title, Link: cfg.Link, Author: cfg.Author,
		Generator: "village", Version: version,
		PerPage: cfg.Entries, Hub: cfg.WebSubHub, ThemeDir: cfg.ThemeDir, Static: static,
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

// render builds the whole site from the store and publishes the documents
// whose bytes changed: to the HTTP server, which serves them from memory
// until the next change, and to output_dir when set. Then it tells the
// WebSub hub which feeds changed.
func (d *Daemon) render(ctx context.Context) error {
	d.renderMu.Lock()
	defer d.renderMu.Unlock()
	s := d.siteState()
	cfg := d.planet.Config()
	docs, err := s.builder.Build(ctx, d.planet.Store(), SiteOptions(cfg, d.opts.Version, false))
	if err != nil {
		return err
	}
	topics, changed := d.publishDocs(s, cfg, docs)
	if cfg.OutputDir != "" {
		n, err := d.writeOutput(ctx, s, cfg)
		if err != nil {
			return err
		}
		changed += n
	}
	if changed == 0 {
		return nil
	}
	d.log.Debug("published", "documents", changed, "feeds", len(topics))
	s.websub.Notify(cfg.WebSubHub, topics...)
	d.opts.Observe(Event{Kind: "published"})
	return nil
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
// whose links name files rather than ?page=N.
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
