package ingestbench

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/config"
	"github.com/villagefeeds/village/internal/daemon"
	"github.com/villagefeeds/village/internal/farm"
	"github.com/villagefeeds/village/internal/refresh"
)

var warmChange = flag.Float64("ingest.change", 0.1, "fraction of the feeds with a new entry at each warm poll")

// openPlanet opens a planet of urls on a new database in dir, as `village
// serve` does, with the default configuration.
func openPlanet(tb testing.TB, dir string, urls []string) *daemon.Planet {
	cfg := config.Default()
	cfg.Path = "(ingestbench)"
	cfg.Database = filepath.Join(dir, "warm.db")
	cfg.AllowPrivateNetworks = true // the farm listens on loopback
	cfg.Dedup.NearDuplicates = *nearDuplicates
	cfg.Feeds = make([]config.Feed, len(urls))
	for i, u := range urls {
		cfg.Feeds[i] = config.Feed{Name: fmt.Sprintf("Blog %04d", i), URL: u, Line: i + 1}
	}
	p, err := daemon.OpenPlanet(context.Background(), cfg, "bench", slog.New(slog.DiscardHandler))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { p.Close() })
	return p
}

// pollAll refreshes every source of p once, as a poll of serve's scheduler
// does, and returns how many entries were new.
func pollAll(tb testing.TB, p *daemon.Planet) int {
	ctx := context.Background()
	srcs, err := p.Store().Sources(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	var fresh int
	var first error
	p.RefreshAll(ctx, srcs, func(o refresh.Outcome) {
		fresh += o.New
		if o.Err != nil && first == nil {
			first = o.Err
		}
	})
	if first != nil {
		tb.Fatal(first)
	}
	return fresh
}

// BenchmarkWarmPoll ingests the farm cold (not timed), then in each
// iteration gives -ingest.change of its feeds a new entry and polls every
// source again: the changed feeds answer 200, the others 304. It reports
// the CPU and wall time of a poll, as `make bench`'s warm poll row, in
// process, for profiles.
func BenchmarkWarmPoll(b *testing.B) {
	f, _ := benchFarm(b)
	p := openPlanet(b, b.TempDir(), f.URLs())
	pollAll(b, p)
	var cpu, wall time.Duration
	var fresh int
	for b.Loop() {
		b.StopTimer()
		changed, err := f.Change(*warmChange)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		b.StartTimer()
		cpu0, t0 := farm.ProcessCPU(), time.Now()
		var n int
		// Labelled, so that a profile can leave out the cold ingest:
		// go tool pprof -tagfocus poll=warm.
		pprof.Do(context.Background(), pprof.Labels("poll", "warm"), func(context.Context) { n = pollAll(b, p) })
		cpu, wall = cpu+farm.ProcessCPU()-cpu0, wall+time.Since(t0)
		if n != len(changed) {
			b.Fatalf("%d new entries, want one for each of %d changed feeds", n, len(changed))
		}
		fresh += n
	}
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/poll")
	b.ReportMetric(float64(wall.Milliseconds())/float64(b.N), "wall-ms/poll")
	b.ReportMetric(float64(fresh)/float64(b.N), "new/poll")
}
