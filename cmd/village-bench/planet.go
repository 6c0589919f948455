package main

import (
	"context"
	"fmt"
	"time"

	"github.com/villagefeeds/village/internal/farm"
)

// serveRun is what a cold ingest under `village serve` took.
type serveRun struct {
	ingest time.Duration // from start to the last poll logged
}

// serve runs `village serve` on a new database of the farm's feeds until
// every feed is polled and published. With load, clients request the
// front page, the merged feed and a source's page all along; then the
// same load runs for a while after ingest, and a warm poll follows.
func (b *bench) serve(ctx context.Context, fm *farm.Remote, sz size, withLoad bool) (serveRun, error) {
	var extra []string
	if b.o.busyRate >= 0 {
		extra = append(extra, fmt.Sprintf("busy_rate: %d\n", b.o.busyRate))
	}
	config, db, err := b.writeConfig("serve", fm.URLs(), extra...)
	if err != nil {
		return serveRun{}, err
	}
	defer removeDB(db)
	s, err := startServe(ctx, b.village, config)
	if err != nil {
		return serveRun{}, err
	}
	defer s.stop()
	ts := targets("/sources/blog-0000/")
	ts = ts[:min(len(ts), b.o.clients)] // each target has a client at least
	stopLoad := make(chan struct{})
	type loaded struct {
		rs []loadResult
		d  time.Duration
	}
	during := make(chan loaded, 1)
	loadCPU := selfCPU()
	if withLoad {
		go func() {
			rs, d := load(ctx, s.base, ts, b.o.clients, stopLoad)
			during <- loaded{rs, d}
		}()
	}
	p, err := s.log.waitPolls(ctx, 0, sz.feeds, 30*time.Minute)
	if err != nil {
		close(stopLoad)
		return serveRun{}, err
	}
	run := serveRun{ingest: p.last.Sub(s.start)}
	cpu := s.cpu()
	loadCPU = selfCPU() - loadCPU
	end, err := s.published(ctx, 0, p.lastNew)
	close(stopLoad)
	if err != nil {
		return run, err
	}
	label := "  village serve"
	if withLoad {
		label = fmt.Sprintf("  serve, %d clients", b.o.clients)
	}
	b.row(label, "listening in "+millis(s.listen), "ingest "+seconds(run.ingest)+" wall "+seconds(cpu)+" CPU",
		"in /atom.xml "+millis(end.Sub(p.lastNew))+" after the last poll", "peak RSS "+bytesize(s.peakRSS()))
	if want := sz.feeds*sz.entries - farm.CrossPosts(sz.feeds, sz.entries); p.newEntries != want || p.failed > 0 || len(p.feeds) != sz.feeds {
		b.warn("serve stored %d entries of %d (%d duplicates); %d polls of %d feeds, statuses %v, %d failed",
			p.newEntries, want, p.duplicates, p.done, len(p.feeds), p.statuses, p.failed)
	}
	if !withLoad {
		return run, nil
	}
	l := <-during
	b.printLoad("during ingest", l.rs, l.d)
	b.row("  load generator", seconds(loadCPU)+" CPU during ingest (this process, on the same cores)")
	after := make(chan struct{})
	time.AfterFunc(b.o.duration, func() { close(after) })
	rs, d := load(ctx, s.base, ts, b.o.clients, after)
	b.printLoad("after ingest", rs, d)
	if err := b.warmPoll(ctx, s, fm, sz); err != nil {
		return run, err
	}
	b.row("  serve peak RSS", bytesize(s.peakRSS())+" after ingest, load and warm poll")
	return run, s.stop()
}

// warmPoll changes a fraction of the farm's feeds, has serve poll every
// feed at once (SIGUSR1) and times it until the new entries are published.
// Then the floor program fetches, parses and stores the changed feeds
// alone: the least any aggregator that parses a changed feed whole does
// for the same poll.
func (b *bench) warmPoll(ctx context.Context, s *serveProc, fm *farm.Remote, sz size) error {
	if err := fm.ResetStats(); err != nil {
		return err
	}
	urls, err := fm.Change(b.o.change)
	if err != nil {
		return err
	}
	changed := len(urls)
	mark := s.log.mark()
	t0, cpu0 := time.Now(), s.cpu()
	if err := pollNow(s.cmd.Process); err != nil {
		return err
	}
	p, err := s.log.waitPolls(ctx, mark, sz.feeds, 10*time.Minute)
	if err != nil {
		return err
	}
	end, err := s.published(ctx, mark, p.lastNew)
	if err != nil {
		return err
	}
	cpu := s.cpu() - cpu0
	ok, notModified, err := fm.Stats()
	if err != nil {
		return err
	}
	b.row("  warm poll", fmt.Sprintf("%d x 200, %d x 304", ok, notModified), "all polled in "+seconds(p.last.Sub(t0)),
		"in /atom.xml "+seconds(end.Sub(t0))+" after the signal", seconds(cpu)+" CPU", fmt.Sprintf("%d new", p.newEntries))
	if p.newEntries != changed || ok != changed {
		b.warn("%d feeds changed by one entry each, but %d answered 200 and %d entries were new", changed, ok, p.newEntries)
	}
	_, err = b.floor(ctx, "  floor, changed feeds", urls, changed*sz.entries)
	return err
}
