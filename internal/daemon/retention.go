package daemon

import (
	"context"
	"time"

	"github.com/villagefeeds/village/internal/config"
	"github.com/villagefeeds/village/internal/store"
)

// retentionEvery is how often the daemon applies the retention limits.
const retentionEvery = 24 * time.Hour

// retain prunes once at start and then once a day, with the retention of
// the configuration in force at that moment; without one it does nothing.
func (d *Daemon) retain(ctx context.Context) {
	tick := time.NewTicker(retentionEvery)
	defer tick.Stop()
	for {
		d.prune(ctx)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// prune applies the retention in force now and, when entries went, asks
// for a render so that they leave the published feed too.
func (d *Daemon) prune(ctx context.Context) {
	r := d.planet.Config().Retention
	if !r.Enabled() {
		return
	}
	p, err := Prune(ctx, d.planet.Store(), r)
	if err != nil {
		if ctx.Err() == nil {
			d.log.Error("prune", "error", err)
		}
		d.opts.Observe(Event{Kind: "pruned", Err: err})
		return
	}
	d.log.Info("pruned", "entries", p.Entries, "tombstones", p.Tombstones,
		"max_age", r.MaxAge.String(), "max_entries", r.MaxEntries)
	if p.Entries > 0 {
		d.pub.Changed()
	}
	d.opts.Observe(Event{Kind: "pruned"})
}

// Prune applies r to st now: `village prune` and the daemon share it.
func Prune(ctx context.Context, st *store.Store, r config.Retention) (store.Pruned, error) {
	return st.Prune(ctx, store.Retention{MaxAge: r.MaxAge, MaxEntries: r.MaxEntries})
}
