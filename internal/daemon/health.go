package daemon

import (
	"context"
	"time"

	"github.com/villagefeeds/village/internal/model"
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
		h.States = stateCounts(srcs)
		h.Failing = h.States[model.StateFailing]
		for _, s := range srcs {
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

// stateCounts counts srcs by state, every state present, so that /healthz,
// /sources.json and /metrics count them one way.
func stateCounts(srcs []model.Source) map[string]int {
	n := make(map[string]int, len(model.States))
	for _, s := range model.States {
		n[s] = 0
	}
	for _, s := range srcs {
		n[s.State()]++
	}
	return n
}
