package daemon

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/villagefeeds/village/internal/config"
	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/redact"
	"github.com/villagefeeds/village/internal/refresh"
)

// settle is how long a burst of file events must be quiet before a reload:
// editors write a file in several steps (truncate, write, rename).
const settle = 150 * time.Millisecond

// neighbourPause is how long the watch stops reading events after one on
// a file it does not follow. SQLite writes the database beside feeds.yaml
// a page at a time, and each write is an event; the kernel keeps one of
// identical events that wait unread. An edit of feeds.yaml is seen that
// much later at most.
const neighbourPause = 100 * time.Millisecond

// watchConfig reloads feeds.yaml when it, or a password_file it names,
// changes on disk, or when Reload is called. It watches directories, not
// the files, because editors replace a file by renaming a new one over
// it, and it follows symbolic links (see configWatch): a password mounted
// from a Kubernetes Secret is read again when the Secret is updated.
func (d *Daemon) watchConfig(ctx context.Context) {
	path := d.opts.ConfigPath
	if watchStarting != nil {
		watchStarting(path)
	}
	var events chan fsnotify.Event
	var errs chan error
	var cw *configWatch
	if w, err := fsnotify.NewWatcher(); err != nil {
		d.log.Warn("cannot watch config; reload with SIGHUP", "file", path, "error", err)
	} else {
		defer w.Close()
		events, errs = w.Events, w.Errors
		cw = &configWatch{w: w, paths: d.watchPaths()}
		// A file missing now (a Secret swapped as the watch begins, a
		// password file not there yet) is watched for from its directory:
		// one failure must not end the watch for good.
		if err := cw.follow(); err != nil {
			d.log.Warn("config watch", "file", path, "error", err)
		}
	}
	var debounce, resume <-chan time.Time
	// The file was read before the watch began: an edit in between made
	// no event. Read it again now that one would.
	if events != nil && d.configMoved() {
		debounce = time.After(0)
	}
	paused := events
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-events:
			name := filepath.Clean(ev.Name)
			switch {
			case !cw.concerns(name):
				// A neighbour, such as the database: stop reading for a
				// while, so that the kernel folds the burst of writes that
				// follows into one event.
				events, resume = nil, time.After(neighbourPause)
			case !ev.Has(fsnotify.Chmod) && cw.changed(name):
				debounce = time.After(settle)
			}
		case <-resume:
			events, resume = paused, nil
		case err := <-errs:
			d.log.Warn("config watch", "file", path, "error", err)
			if errors.Is(err, fsnotify.ErrEventOverflow) && d.configMoved() {
				debounce = time.After(settle) // an edit was among the events lost
			}
		case <-debounce:
			debounce = nil
			d.applyConfig(ctx)
			d.followPaths(cw)
		case <-d.reload:
			d.applyConfig(ctx)
			d.followPaths(cw)
		}
	}
}

// watchPaths are the files whose change reloads the config: feeds.yaml,
// then the password files of the config in force.
func (d *Daemon) watchPaths() []string {
	return append([]string{d.opts.ConfigPath}, d.planet.Config().PasswordFiles()...)
}

// followPaths points cw at the files the config in force reads.
func (d *Daemon) followPaths(cw *configWatch) {
	if cw == nil {
		return
	}
	cw.paths = d.watchPaths()
	if err := cw.follow(); err != nil {
		d.log.Warn("config watch", "file", d.opts.ConfigPath, "error", err)
	}
}

// watchStarting, when set (by tests), is called with the config's path
// as its watch begins: an edit then makes no event.
var watchStarting func(path string)

// configMoved reports whether feeds.yaml on disk is no longer the config
// in force (an unreadable or invalid one counts: reloading says why).
func (d *Daemon) configMoved() bool {
	cfg, err := config.Load(d.opts.ConfigPath)
	if err != nil {
		return true
	}
	running := d.planet.Config()
	cfg.Listen = running.Listen // --listen overrides it, and it is not reloaded
	return !reflect.DeepEqual(cfg, running)
}

// configWatch keeps watches on the directories that decide what its paths
// read (feeds.yaml first, then the password files it names): each target
// file's, and that of every symbolic link on the way to it. A symlinked
// feeds.yaml is then reloaded when its target is edited, and a Kubernetes
// ConfigMap or Secret (feeds.yaml -> ..data/feeds.yaml, ..data ->
// ..2024_05_01_12_00_00.123, swapped by renaming a new ..data over the
// old) when the swap happens.
type configWatch struct {
	w       *fsnotify.Watcher
	paths   []string
	chains  map[string]linkChain // by path, as last followed
	watched []string
	// names are the paths whose events may change what a path reads: every
	// chain's target and links, and where a path that did not resolve
	// stopped. An event on another name in a watched directory is ignored
	// before any file is looked at: the database beside feeds.yaml makes
	// one for every page SQLite writes.
	names   map[string]bool
	follows int // how many times the paths were resolved, for tests
}

// concerns reports whether an event on name may change what a path reads.
func (cw *configWatch) concerns(name string) bool { return cw.names[name] }

// changed reports whether an event on name may have changed what a path
// reads, and moves the watches to follow the links as they now are.
func (cw *configWatch) changed(name string) bool {
	if !cw.concerns(name) {
		return false
	}
	old := cw.chains
	// A path gone for a moment (a swap, or an editor that removes first)
	// keeps its old chain: the event that brings it back says more.
	_ = cw.follow()
	for _, p := range cw.paths {
		was, now := old[p], cw.chains[p]
		if was.concerns(name) || now.concerns(name) || now.target != was.target {
			return true
		}
	}
	return false
}

// follow resolves the paths again and watches the directories they need.
// A path that does not resolve keeps the chain it had, and is also
// watched for where it stopped (see resolveLinks): the event that brings
// it back may come from a directory its old chain did not pass.
func (cw *configWatch) follow() error {
	cw.follows++
	var errs []error
	chains := make(map[string]linkChain, len(cw.paths))
	names := map[string]bool{}
	var want []string
	watch := func(c linkChain) {
		names[c.target] = true
		for _, l := range c.links {
			names[l] = true
		}
		for _, dir := range c.dirs() {
			if !slices.Contains(want, dir) {
				want = append(want, dir)
			}
		}
	}
	for _, p := range cw.paths {
		c, err := resolveLinks(p)
		if err != nil {
			errs = append(errs, err)
			if c.target != "" {
				watch(c)
			}
			if c = cw.chains[p]; c.target == "" {
				continue
			}
		}
		chains[p] = c
		watch(c)
	}
	cw.chains, cw.names = chains, names
	for _, dir := range cw.watched {
		if !slices.Contains(want, dir) {
			_ = cw.w.Remove(dir) // may be gone already, with its watch
		}
	}
	watched := make([]string, 0, len(want))
	for _, dir := range want {
		if !slices.Contains(cw.watched, dir) {
			if err := cw.w.Add(dir); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		watched = append(watched, dir)
	}
	cw.watched = watched
	return errors.Join(errs...)
}

// applyConfig loads feeds.yaml and puts it in force. An invalid file is
// logged line by line and the running configuration stays.
func (d *Daemon) applyConfig(ctx context.Context) {
	old := d.planet.Config()
	cfg, err := config.Load(d.opts.ConfigPath)
	if err == nil {
		err = d.planet.Apply(ctx, cfg)
	}
	if err != nil {
		d.setConfigErrors(err)
		d.log.Error("config not reloaded; keeping the running one", "file", d.opts.ConfigPath, "error", err)
		d.opts.Observe(Event{Kind: "reload_failed", Err: err})
		return
	}
	d.setConfigErrors(nil)
	logChanges(d.log, config.Diff(old, cfg), redact.New(cfg.SecretParams))
	d.log.Info("config reloaded", "file", d.opts.ConfigPath, "sources", len(cfg.Feeds))
	signal(d.wake)
	d.pub.Reconfigure(publisherConfig(d.planet.Config(), d.opts.Version))
	d.pacer.SetRate(d.planet.Config().BusyRate)
	d.opts.Observe(Event{Kind: "reloaded"})
}

// setConfigErrors keeps what /healthz shows of a failed reload: the
// file's problems as `village check` words them (they name the file by its
// base name), never a path or a database error, which the log has.
func (d *Daemon) setConfigErrors(err error) {
	var lines []string
	var errs config.Errors
	var pe *fs.PathError
	switch {
	case errors.As(err, &errs):
		for _, e := range errs {
			lines = append(lines, e.Error())
		}
	case errors.As(err, &pe):
		lines = []string{filepath.Base(pe.Path) + ": " + pe.Err.Error()}
	case err != nil:
		lines = []string{"the configuration could not be applied; the log says why"}
	}
	d.cfgErrMu.Lock()
	d.cfgErrors = lines
	d.cfgErrMu.Unlock()
}

// logChanges writes a line per source a reload added, removed or changed,
// and one for the planet's settings, so the log says what an edit did.
func logChanges(log *slog.Logger, c config.Changes, rd *redact.Redactor) {
	for _, f := range c.Added {
		refresh.SourceLogger(log, feedSource(f), rd).Info("source added")
	}
	for _, f := range c.Removed {
		refresh.SourceLogger(log, feedSource(f), rd).Info("source removed")
	}
	for _, ch := range c.Changed {
		refresh.SourceLogger(log, feedSource(ch.Feed), rd).Info("source changed", "fields", strings.Join(ch.Fields, ","))
	}
	if len(c.Settings) > 0 {
		log.Info("settings changed", "fields", strings.Join(c.Settings, ","))
	}
}

func feedSource(f config.Feed) model.Source { return model.Source{Name: f.Name, URL: f.URL} }
