package daemon

import (
	"context"
	"errors"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/villagefeeds/village/internal/config"
)

// settle is how long a burst of file events must be quiet before a reload:
// editors write a file in several steps (truncate, write, rename).
const settle = 150 * time.Millisecond

// watchConfig reloads feeds.yaml when it changes on disk or when Reload is
// called. It watches the directory, not the file, because editors replace
// the file by renaming a new one over it. It reads the watcher's events
// itself, so nothing of it outlives the call.
func (d *Daemon) watchConfig(ctx context.Context) {
	path := d.opts.ConfigPath
	name := filepath.Clean(path)
	var events chan fsnotify.Event
	var errs chan error
	w, err := fsnotify.NewWatcher()
	if err == nil {
		defer w.Close()
		if err = w.Add(filepath.Dir(path)); err == nil {
			events, errs = w.Events, w.Errors
		}
	}
	if err != nil {
		d.log.Warn("cannot watch config; reload with SIGHUP", "file", path, "error", err)
	}
	var debounce <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-events:
			if filepath.Clean(ev.Name) == name && !ev.Has(fsnotify.Chmod) {
				debounce = time.After(settle)
			}
		case err := <-errs:
			d.log.Warn("config watch", "file", path, "error", err)
		case <-debounce:
			debounce = nil
			d.applyConfig(ctx)
		case <-d.reload:
			d.applyConfig(ctx)
		}
	}
}

// applyConfig loads feeds.yaml and puts it in force. An invalid file is
// logged line by line and the running configuration stays.
func (d *Daemon) applyConfig(ctx context.Context) {
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
	d.log.Info("config reloaded", "file", d.opts.ConfigPath, "sources", len(cfg.Feeds))
	signal(d.wake)
	d.pub.Reconfigure(publisherConfig(d.planet.Config(), d.opts.Version))
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
