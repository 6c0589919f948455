package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"

	"github.com/villagefeeds/village/internal/config"
	"github.com/villagefeeds/village/internal/daemon"
	"github.com/villagefeeds/village/internal/farm"
)

// bench is one run: the farm, the planet under test and where to print.
type bench struct {
	o      options
	w      io.Writer
	farm   *farm.Remote
	planet *daemon.Planet
}

// run prints the figures. Failed refreshes are reported after every figure
// is printed, as the returned error.
func run(ctx context.Context, o options, w io.Writer) (err error) {
	fmt.Fprintf(w, "village bench: %d feeds x %d entries on %d loopback hosts (GOMAXPROCS=%d)\n",
		o.feeds, o.entries, o.hosts, runtime.GOMAXPROCS(0))
	fm, err := spawnFarm(ctx, o)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, fm.Close()) }()
	b := &bench{o: o, w: w, farm: fm}
	b.printFarm()

	dir, err := os.MkdirTemp("", "village-bench-")
	if err != nil {
		return fmt.Errorf("temp dir: %w", err)
	}
	defer os.RemoveAll(dir)
	b.planet, err = openPlanet(ctx, o, filepath.Join(dir, "bench.db"), fm.URLs())
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, b.planet.Close()) }()
	return b.phases(ctx)
}

func (b *bench) phases(ctx context.Context) error {
	cold, err := b.coldIngest(ctx)
	if err != nil {
		return err
	}
	warm, err := b.warmPoll(ctx)
	if err != nil {
		return err
	}
	return errors.Join(cold.err("cold ingest"), warm.err("warm poll"))
}

// spawnFarm runs the farm in a child process, this same program, so that
// getrusage and the heap figures count village alone.
func spawnFarm(ctx context.Context, o options) (*farm.Remote, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("start farm: %w", err)
	}
	cmd := exec.CommandContext(ctx, exe)
	cmd.Env = append(os.Environ(), farmEnv+"=1")
	cmd.Stderr = os.Stderr
	return farm.Spawn(cmd, farm.Options{Feeds: o.feeds, Entries: o.entries, Hosts: o.hosts})
}

// openPlanet opens a planet of the default configuration polling urls.
func openPlanet(ctx context.Context, o options, db string, urls []string) (*daemon.Planet, error) {
	cfg := config.Default()
	cfg.Path = "(village-bench)"
	cfg.Database = db
	cfg.Link = "http://127.0.0.1/"
	cfg.Concurrency = o.concurrency
	cfg.PerHost = min(cfg.PerHost, o.concurrency)
	cfg.Feeds = make([]config.Feed, len(urls))
	for i, u := range urls {
		cfg.Feeds[i] = config.Feed{Name: fmt.Sprintf("Blog %04d", i), URL: u, Line: i + 1}
	}
	p, err := daemon.OpenPlanet(ctx, cfg, "bench", slog.New(slog.DiscardHandler))
	if err != nil {
		return nil, fmt.Errorf("open planet: %w", err)
	}
	return p, nil
}
