package daemon

import (
	"context"
	"time"

	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/refresh"
)

// maxIdle bounds how long the scheduler sleeps without looking at the store.
const maxIdle = time.Minute

// schedule polls every due source through the planet's pool: per host and
// overall a few at a time, so a slow source never delays the others or the
// next due one, and ten thousand due sources cost a queue, not ten
// thousand goroutines. PollNow makes every source due at once. On shutdown
// it waits for the polls in flight (their fetches are cancelled; a write
// that began is finished) so the store is closed after them.
func (d *Daemon) schedule(ctx context.Context) {
	polls := d.planet.pool(ctx, d.poll)
	// Once the polls due have all run, what they changed is published at
	// once, not at the next burst's turn.
	polls.idle = d.pub.Settle
	defer polls.wait()
	now := false
	for {
		listed := time.Now()
		due, err := d.due(ctx, now)
		if err != nil && ctx.Err() == nil {
			d.log.Error("list due sources", "error", err)
		}
		for _, src := range due {
			if d.claims.claim(src.ID, listed) {
				polls.add(src)
			}
		}
		timer := time.NewTimer(d.untilNextDue(ctx))
		now = false
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-d.wake:
		case <-d.pollNow:
			now = true
		case <-timer.C:
		}
		timer.Stop()
	}
}

// due lists the sources due now, or every active one when all is set.
func (d *Daemon) due(ctx context.Context, all bool) ([]model.Source, error) {
	if all {
		return d.planet.Store().Sources(ctx)
	}
	return d.planet.Store().DueSources(ctx, time.Now())
}

func (d *Daemon) poll(ctx context.Context, src model.Source) {
	defer func() { d.claims.done(src.ID, time.Now()) }()
	out := d.planet.Refresher().Refresh(ctx, src, d.claims.round(src.ID))
	d.afterRefresh(out)
}

func (d *Daemon) afterRefresh(out refresh.Outcome) {
	out.Log(d.log, d.planet.Refresher().Redactor())
	d.lastPoll.Store(time.Now().UnixNano())
	d.observe(out)
	if out.Changed() || healthChanged(out) {
		d.pub.Changed(out.Source.ID)
	}
	d.opts.Observe(Event{Kind: "refreshed", Err: out.Err})
}

// healthChanged reports whether a refresh changed what the page says of its
// source: its first poll, it started or stopped failing, moved or went
// away. A successful poll of a healthy source does not re-render the site.
func healthChanged(out refresh.Outcome) bool {
	failing := out.Err != nil
	wasFailing := out.Source.ErrorCount > 0
	return out.Source.LastCheck.IsZero() || failing != wasFailing || (failing && out.Err.Error() != out.Source.LastError) ||
		out.Gone != out.Source.Gone || out.MovedTo != out.Source.MovedTo
}

// PollAll refreshes every active source now, whatever its schedule, and
// returns the outcomes once all are done.
func (d *Daemon) PollAll(ctx context.Context) ([]refresh.Outcome, error) {
	srcs, err := d.planet.Store().Sources(ctx)
	if err != nil {
		return nil, err
	}
	var outs []refresh.Outcome
	d.planet.RefreshAll(ctx, srcs, func(o refresh.Outcome) {
		outs = append(outs, o)
		d.afterRefresh(o)
	})
	return outs, nil
}

// untilNextDue is how long the scheduler may sleep: until the next source
// is due, among those whose row it can trust.
func (d *Daemon) untilNextDue(ctx context.Context) time.Duration {
	listed := time.Now()
	next, ok, err := d.planet.Store().NextCheck(ctx, func(id int64) bool { return d.claims.settled(id, listed) })
	if err != nil || !ok {
		return maxIdle
	}
	return min(maxIdle, max(time.Until(next), 0))
}
