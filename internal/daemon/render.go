package daemon

import (
	"bytes"
	"context"
	"time"

	"github.com/villagefeeds/village/internal/output"
	"github.com/villagefeeds/village/internal/server"
)

const atomType = "application/atom+xml; charset=utf-8"

// publishLoop renders after changes, at most once per RenderEvery, so a cold
// start with a thousand sources renders a handful of times, not a thousand.
func (d *Daemon) publishLoop(ctx context.Context) {
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

// render renders the merged feed from the store and publishes it when its
// bytes changed: to the HTTP server, and to output_dir when set.
func (d *Daemon) render(ctx context.Context) error {
	d.renderMu.Lock()
	defer d.renderMu.Unlock()
	body, err := d.planet.RenderAtom(ctx)
	if err != nil {
		return err
	}
	if old := d.server.Document("/atom.xml"); old != nil && bytes.Equal(old.Body, body) {
		return nil
	}
	d.server.Publish("/atom.xml", server.NewDocument(atomType, body, time.Now()))
	if dir := d.planet.Config().OutputDir; dir != "" {
		if err := output.WriteFile(dir, "atom.xml", body); err != nil {
			return err
		}
	}
	d.opts.Observe(Event{Kind: "published"})
	return nil
}
