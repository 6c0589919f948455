package daemon

import (
	"context"
)

// readOldEntries runs `village dedup rescan` in the background when the
// database holds entries an older village stored without their text, or
// keyed another way (see store.RescanDue), so
// that an upgraded planet finds cross-posts of its archive without the
// operator's help. Each batch is its own transaction: polls and pages go
// on meanwhile, and a shutdown halfway loses nothing (the next start goes
// on from there).
func (d *Daemon) readOldEntries(ctx context.Context) {
	st := d.planet.Store()
	due, n, err := st.RescanDue(ctx)
	if err != nil || !due {
		if err != nil && ctx.Err() == nil {
			d.log.Error("look for entries stored by an older village", "error", err)
		}
		return
	}
	d.log.Info("reading entries stored by an older village for cross-posts, in the background", "entries", n)
	p, err := st.Rescan(ctx, d.planet.Config().Dedup.Options(), nil)
	if err != nil {
		if ctx.Err() == nil {
			d.log.Error("rescan", "error", err)
		}
		return
	}
	d.log.Info("rescanned", "entries", p.Done, "merged", p.Merged, "texts_recovered", p.Recovered)
	if p.Merged > 0 {
		d.pub.Changed() // the publisher reads from the store which listings the merges changed
	}
	d.opts.Observe(Event{Kind: "rescanned"})
}
