package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/villagefeeds/village/internal/config"
	"github.com/villagefeeds/village/internal/metrics"
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
	// RenderEvery is the least time between two renders of the feed while
	// many sources change at once; default 1s.
	RenderEvery time.Duration
	// Observe, when set, is told of every Event (tests wait on it).
	Observe func(Event)
}

// Event tells an observer what the daemon just did.
type Event struct {
	Kind string // "listening", "reloaded", "reload_failed", "refreshed", "published"
	Err  error
}

// Daemon is `village serve`: scheduler, config watcher and HTTP server.
type Daemon struct {
	opts    Options
	log     *slog.Logger
	planet  *Planet
	server  *server.Server
	metrics *metrics.Metrics

	wake   chan struct{} // a reload or new source: look for due sources now
	dirty  chan struct{} // something changed: render again
	reload chan struct{}

	addr      atomic.Value // string
	lastPoll  atomic.Int64 // unix nanoseconds of the last completed refresh
	cfgErrMu  sync.Mutex
	cfgErrors []string
	inflight  sync.Map   // source ID -> struct{}
	renderMu  sync.Mutex // one render at a time, so an older one never wins
	site      siteState  // render.go: builder, published keys, output dir, WebSub
}

// New loads the configuration; an invalid one is an error naming its lines.
func New(opts Options) (*Daemon, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.RenderEvery <= 0 {
		opts.RenderEvery = time.Second
	}
	if opts.Observe == nil {
		opts.Observe = func(Event) {}
	}
	d := &Daemon{
		opts:   opts,
		log:    opts.Logger,
		wake:   make(chan struct{}, 1),
		dirty:  make(chan struct{}, 1),
		reload: make(chan struct{}, 1),
	}
	d.server = server.New(d.log, d.health)
	d.metrics = metrics.New(d.sourceStates)
	d.addOpsRoutes()
	return d, nil
}

// Addr returns the address the HTTP server listens on, once it does.
func (d *Daemon) Addr() string {
	s, _ := d.addr.Load().(string)
	return s
}

// Reload asks the daemon to read feeds.yaml again (SIGHUP does this).
func (d *Daemon) Reload() { signal(d.reload) }

// Run starts the daemon and blocks until ctx is cancelled, then shuts down:
// stop accepting, cancel fetches in flight, let an open transaction finish,
// close the database.
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
	lock, err := store.Lock(cfg.Database)
	if err != nil {
		return err
	}
	defer lock.Release()
	planet, err := OpenPlanet(ctx, cfg, d.opts.Version, d.log)
	if err != nil {
		return err
	}
	d.planet = planet
	defer planet.Close()
	d.metrics.WatchSlots(func() metrics.Slots { return metrics.Slots(planet.Limits().Stats()) })

	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen %s: %w", cfg.Listen, err)
	}
	d.addr.Store(ln.Addr().String())
	if err := d.render(ctx); err != nil {
		d.log.Error("render", "error", err)
	}
	httpSrv := &http.Server{Handler: d.metrics.Middleware(d.server.Handler()), ReadHeaderTimeout: 10 * time.Second}

	var wg sync.WaitGroup
	work, stop := context.WithCancel(ctx)
	defer stop()
	wg.Go(func() { d.schedule(work) })
	wg.Go(func() { d.publishLoop(work) })
	wg.Go(func() { d.watchConfig(work) })
	wg.Go(func() { d.retain(work) })
	serveErr := make(chan error, 1)
	go func() { serveErr <- httpSrv.Serve(ln) }()
	d.log.Info("serving", "version", d.opts.Version, "config", d.opts.ConfigPath, "database", cfg.Database,
		"sources", len(cfg.Feeds), "addr", d.Addr(), "site", "http://"+d.Addr()+"/")
	d.opts.Observe(Event{Kind: "listening"})

	select {
	case <-ctx.Done():
	case err = <-serveErr:
		err = fmt.Errorf("http server: %w", err)
	}
	stop()
	shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if serr := httpSrv.Shutdown(shutCtx); serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		d.log.Warn("http shutdown", "error", serr)
	}
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
