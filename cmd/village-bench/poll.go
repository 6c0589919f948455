package main

import (
	"context"
	"fmt"
	"time"

	"github.com/villagefeeds/village/internal/farm"
	"github.com/villagefeeds/village/internal/refresh"
	"github.com/villagefeeds/village/internal/store"
)

// tally adds up the outcomes of one poll of every source.
type tally struct {
	refreshed, ok, notModified, failed int
	new, updated, duplicates           int
	firstErr                           error
}

func (t *tally) add(o refresh.Outcome) {
	t.refreshed++
	switch {
	case o.Err != nil:
		t.failed++
		if t.firstErr == nil {
			t.firstErr = o.Err
		}
	case o.NotModified:
		t.notModified++
	default:
		t.ok++
	}
	t.new += o.New
	t.updated += o.Updated
	t.duplicates += o.Duplicates
}

func (t *tally) err(phase string) error {
	if t.failed == 0 {
		return nil
	}
	return fmt.Errorf("%s: %d of %d refreshes failed, the first: %w", phase, t.failed, t.refreshed, t.firstErr)
}

// poll is one refresh of every source with what it cost.
type poll struct {
	tally
	wall, cpu, farmCPU time.Duration
}

// pollAll refreshes every source once. The sources are read from the store
// each time, so that the warm poll sends the validators the cold one stored.
func (b *bench) pollAll(ctx context.Context) (poll, error) {
	var p poll
	srcs, err := b.planet.Store().Sources(ctx)
	if err != nil {
		return p, fmt.Errorf("list sources: %w", err)
	}
	farm0, err := b.farm.CPU()
	if err != nil {
		return p, err
	}
	u0, t0 := getUsage(), time.Now()
	b.planet.RefreshAll(ctx, srcs, p.add)
	p.wall, p.cpu = time.Since(t0), getUsage().cpu-u0.cpu
	if err := ctx.Err(); err != nil {
		return p, err
	}
	farm1, err := b.farm.CPU()
	p.farmCPU = farm1 - farm0
	return p, err
}

func (b *bench) coldIngest(ctx context.Context) (poll, error) {
	p, err := b.pollAll(ctx)
	if err != nil {
		return p, err
	}
	stored, err := b.planet.Store().CountEntries(ctx, store.Query{})
	if err != nil {
		return p, fmt.Errorf("count entries: %w", err)
	}
	b.row("cold ingest", seconds(p.wall)+" wall", seconds(p.cpu)+" CPU",
		fmt.Sprintf("%.0f entries/s", float64(p.new)/p.wall.Seconds()),
		fmt.Sprintf("%d stored", stored), fmt.Sprintf("(farm %s CPU)", seconds(p.farmCPU)))
	if want := b.o.feeds*b.o.entries - farm.CrossPosts(b.o.feeds, b.o.entries); stored != want {
		b.warn("stored %d entries, want %d (%d feeds x %d, less the farm's cross-posts); %d new, %d duplicates, %d failed",
			stored, want, b.o.feeds, b.o.entries, p.new, p.duplicates, p.failed)
	}
	return p, nil
}

func (b *bench) warmPoll(ctx context.Context) (poll, error) {
	if err := b.farm.ResetStats(); err != nil {
		return poll{}, err
	}
	changed, err := b.farm.Change(b.o.change)
	if err != nil {
		return poll{}, err
	}
	p, err := b.pollAll(ctx)
	if err != nil {
		return p, err
	}
	served200, served304, err := b.farm.Stats()
	if err != nil {
		return p, err
	}
	b.row("warm poll", seconds(p.wall)+" wall", seconds(p.cpu)+" CPU",
		fmt.Sprintf("%d x 200, %d x 304", p.ok, p.notModified), fmt.Sprintf("%d new", p.new))
	if p.ok != changed || p.new != changed {
		b.warn("%d feeds changed by one entry each, but %d answered 200 and %d entries were new", changed, p.ok, p.new)
	}
	if served200 != p.ok || served304 != p.notModified {
		b.warn("the farm served %d x 200 and %d x 304", served200, served304)
	}
	return p, nil
}
