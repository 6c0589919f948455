package daemon

import (
	"context"
	"time"

	"github.com/villagefeeds/village/internal/server"
	"github.com/villagefeeds/village/internal/store"
)

// health gathers what /healthz reports.
func (d *Daemon) health(ctx context.Context) server.Health {
	h := server.Health{Database: "ok"}
	st := d.planet.Store()
	if err := st.Ping(ctx); err != nil {
		// The error names the database's path: the log has it, the
		// public endpoint does not.
		d.log.Error("health: database unreachable", "error", err)
		h.Database = "unreachable"
		return h
	}
	if srcs, err := st.Sources(ctx); err == nil {
		h.Sources = len(srcs)
		for _, s := range srcs {
			if s.ErrorCount > 0 {
				h.Failing++
			}
			// The store remembers polls across restarts; the daemon's own
			// clock only knows this run.
			if s.LastCheck.After(h.LastPoll) {
				h.LastPoll = s.LastCheck.UTC()
			}
		}
	}
	h.Entries, _ = st.CountEntries(ctx, store.Query{})
	if ns := d.lastPoll.Load(); ns != 0 && time.Unix(0, ns).After(h.LastPoll) {
		h.LastPoll = time.Unix(0, ns).UTC()
	}
	d.cfgErrMu.Lock()
	h.ConfigErrors = d.cfgErrors
	d.cfgErrMu.Unlock()
	return h
}
