package daemon

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/villagefeeds/village/internal/config"
	"github.com/villagefeeds/village/internal/metrics"
	"github.com/villagefeeds/village/internal/publisher"
	"github.com/villagefeeds/village/internal/server"
	"github.com/villagefeeds/village/internal/store"
)

// Options configure a Daemon.
type Options struct {
	ConfigPath string
	Version    string
	Logger     *slog.Logger
	// Listen overrides the config's listen address (tests use 127.0.0.1:0).
	Listen string
	// RenderEvery is the least time between two bursts of changes
	// published while many sources change at once; the publisher's
	// default when zero.
	RenderEvery time.Duration
	// Observe, when set, is told of every Event (tests wait on it).
	Observe func(Event)
}

// Event tells an observer what the daemon just did.
type Event struct {
	Kind string // "listening", "reloaded", "reload_failed", "refreshed", "published", "websub", "pruned"
	Err  error
}

// Daemon is `village serve`: scheduler, config watcher, publisher and
// HTTP server.
type Daemon struct {
	opts    Options
	log     *slog.Logger
	planet  *Planet
	pub     *publisher.Publisher
	pacer   *server.Pacer // holds readers back while feeds are ingested
	metrics *metrics.Metrics

	wake    chan struct{} // a reload or new source: look for due sources now
	reload  chan struct{}
	pollNow chan struct{} // poll every source now, whatever its schedule

	addr      atomic.Value // string
	lastPoll  atomic.Int64 // unix nanoseconds of the last completed refresh
	cfgErrMu  sync.Mutex
	cfgErrors []string
	claims    *claims // the polls running and when the others ended

	// wrapStore, set by tests, stands between the publisher and the store.
	wrapStore func(publisher.Store) publisher.Store
}

// New prepares a Daemon; Run loads the configuration.
func New(opts Options) (*Daemon, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Observe == nil {
		opts.Observe = func(Event) {}
	}
	d := &Daemon{
		opts:    opts,
		log:     opts.Logger,
		wake:    make(chan struct{}, 1),
		reload:  make(chan struct{}, 1),
		pollNow: make(chan struct{}, 1),
		claims:  newClaims(),
	}
	d.metrics = metrics.New(d.sourceStates)
	return d, nil
}

// Addr returns the address the HTTP server listens on, once it does.
func (d *Daemon) Addr() string {
	s, _ := d.addr.Load().(string)
	return s
}

// Reload asks the daemon to read feeds.yaml again (SIGHUP does this).
func (d *Daemon) Reload() { signal(d.reload) }

// PollNow asks the daemon to poll every source now, whatever its schedule
// (SIGUSR1 does this).
func (d *Daemon) PollNow() { signal(d.pollNow) }

// Run starts the daemon and blocks until ctx is cancelled, then shuts down:
// stop accepting, cancel fetches in flight, let an open transaction finish,
// wait for every goroutine it started, close the database.
//
// It listens first, before the database is opened: the connections made
// meanwhile wait in the kernel's queue, and are answered once the sources
// are read (a page then reads only its own entries, however large the
// archive).
func (d *Daemon) Run(ctx context.Context) error {
	cfg, err := config.Load(d.opts.ConfigPath)
	if err != nil {
		return err
	}
	if d.opts.Listen != "" {
		cfg.Listen = d.opts.Listen
	}
	// Before the database is opened, so that a second daemon neither
	// migrates it nor writes a byte before it learns of the first.
	lock, err := store.Lock(cfg.Database, "serve")
	if err != nil {
		return err
	}
	defer lock.Release()
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen %s: %w", cfg.Listen, err)
	}
	d.addr.Store(ln.Addr().String())
	d.log.Info("serving", "version", d.opts.Version, "config", d.opts.ConfigPath, "database", cfg.Database,
		"sources", len(cfg.Feeds), "addr", d.Addr(), "site", "http://"+d.Addr()+"/")
	d.opts.Observe(Event{Kind: "listening"})
	planet, err := OpenPlanet(ctx, cfg, d.opts.Version, d.log)
	if err != nil {
		ln.Close()
		return err
	}
	d.planet = planet
	defer planet.Close()
	d.metrics.WatchSlots(func() metrics.Slots { return metrics.Slots(planet.Limits().Stats()) })
	d.pub = planet.Publisher(PublishOptions{
		Logger: d.log, RenderEvery: d.opts.RenderEvery, wrap: d.wrapStore,
		Observe: func(kind string, err error) { d.opts.Observe(Event{Kind: kind, Err: err}) },
	})
	srv := server.New(d.log, d.health, d.pub)
	d.pacer = server.NewPacer(planet.Limits().Ingesting, cfg.BusyRate)
	srv.Pace(d.pacer)
	d.metrics.WatchHeld(func() metrics.Held {
		s := d.pacer.Stats()
		return metrics.Held{Requests: s.Held, Waited: s.Waited}
	})
	d.addOpsRoutes(srv)

	var wg sync.WaitGroup
	work, stop := context.WithCancel(ctx)
	defer stop()
	serveErr := make(chan error, 1)
	wg.Go(func() {
		serveErr <- server.Serve(work, ln, d.metrics.Middleware(srv.Handler()), server.Limits{}, d.log)
	})
	wg.Go(func() { d.pub.Run(work) })
	wg.Go(func() { d.schedule(work) })
	wg.Go(func() { d.watchConfig(work) })
	wg.Go(func() { d.retain(work) })
	wg.Go(func() { d.readOldEntries(work) })

	select {
	case <-ctx.Done():
	case err = <-serveErr:
	}
	stop()
	wg.Wait()
	d.log.Info("stopped")
	return err
}

// signal sends on a 1-buffered channel without blocking: one pending
// notification is as good as many.
func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}
