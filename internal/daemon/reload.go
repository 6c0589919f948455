package daemon

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/villagefeeds/village/internal/config"
	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/refresh"
)

// settle is how long a burst of file events must be quiet before a reload:
// editors write a file in several steps (truncate, write, rename).
const settle = 150 * time.Millisecond

// watchConfig reloads feeds.yaml when it changes on disk or when Reload is
// called. It watches the directory, not the file, because editors replace
// the file by renaming a new one over it.
func (d *Daemon) watchConfig(ctx context.Context) {
	path := d.opts.ConfigPath
	events := d.fileEvents(ctx, path)
	var debounce <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-events:
			debounce = time.After(settle)
		case <-debounce:
			debounce = nil
			d.applyConfig(ctx)
		case <-d.reload:
			d.applyConfig(ctx)
		}
	}
}

// fileEvents returns a channel that receives on every change of path; it
// never receives when the directory cannot be watched (SIGHUP still works).
func (d *Daemon) fileEvents(ctx context.Context, path string) <-chan struct{} {
	out := make(chan struct{}, 1)
	w, err := fsnotify.NewWatcher()
	if err == nil {
		err = w.Add(filepath.Dir(path))
	}
	if err != nil {
		d.log.Warn("cannot watch config; reload with SIGHUP", "file", path, "error", err)
		return out
	}
	name := filepath.Clean(path)
	go func() {
		defer w.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case ev := <-w.Events:
				if filepath.Clean(ev.Name) == name && !ev.Has(fsnotify.Chmod) {
					signal(out)
				}
			case err := <-w.Errors:
				d.log.Warn("config watch", "file", path, "error", err)
			}
		}
	}()
	return out
}

// applyConfig loads feeds.yaml and puts it in force. An invalid file is
// logged line by line and the running configuration stays.
func (d *Daemon) applyConfig(ctx context.Context) {
	old := d.planet.Config()
	cfg, err := config.Load(d.opts.ConfigPath)
	if err == nil {
		err = d.planet.Apply(ctx, cfg)
	}
	if err != nil {
		d.setConfigErrors(err)
		d.log.Error("config not reloaded; keeping the running one", "file", d.opts.ConfigPath, "error", err)
		d.opts.Observe(Event{Kind: "reload_failed", Err: err})
		return
	}
	d.setConfigErrors(nil)
	logChanges(d.log, config.Diff(old, cfg))
	d.log.Info("config reloaded", "file", d.opts.ConfigPath, "sources", len(cfg.Feeds))
	signal(d.wake)
	if err := d.render(ctx); err != nil {
		d.log.Error("render", "error", err)
	}
	d.opts.Observe(Event{Kind: "reloaded"})
}

func (d *Daemon) setConfigErrors(err error) {
	var lines []string
	var errs config.Errors
	switch {
	case errors.As(err, &errs):
		for _, e := range errs {
			lines = append(lines, e.Error())
		}
	case err != nil:
		lines = []string{err.Error()}
	}
	d.cfgErrMu.Lock()
	d.cfgErrors = lines
	d.cfgErrMu.Unlock()
}

// logChanges writes a line per source a reload added, removed or changed,
// and one for the planet's settings, so the log says what an edit did.
func logChanges(log *slog.Logger, c config.Changes) {
	for _, f := range c.Added {
		refresh.SourceLogger(log, feedSource(f)).Info("source added")
	}
	for _, f := range c.Removed {
		refresh.SourceLogger(log, feedSource(f)).Info("source removed")
	}
	for _, ch := range c.Changed {
		refresh.SourceLogger(log, feedSource(ch.Feed)).Info("source changed", "fields", strings.Join(ch.Fields, ","))
	}
	if len(c.Settings) > 0 {
		log.Info("settings changed", "fields", strings.Join(c.Settings, ","))
	}
}

func feedSource(f config.Feed) model.Source { return model.Source{Name: f.Name, URL: f.URL} }
