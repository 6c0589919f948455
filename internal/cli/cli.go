// Package cli is village's command line: one cobra command per verb, each a
// thin layer over the internal packages.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/villagefeeds/village/internal/config"
	"github.com/villagefeeds/village/internal/daemon"
	"github.com/villagefeeds/village/internal/redact"
	"github.com/villagefeeds/village/internal/store"
)

// Version is set at build time with -ldflags "-X .../cli.Version=v1.2.3".
var Version = ""

// version returns Version, else the module version of the binary, else "dev".
func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// defaultConfig is the config file a command reads without --config.
const defaultConfig = "feeds.yaml"

// globals are the flags every verb shares.
type globals struct {
	config    string
	logLevel  string
	logFormat string
	stdout    io.Writer
	stderr    io.Writer
}

// exitError carries a process exit status through cobra.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// Main runs the command line and returns the process exit status.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	var ee exitError
	var missing *config.MissingError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &missing):
		fmt.Fprintf(stderr, "village: %s\n%s", err, howToStart(missing.Path))
		return 1
	default:
		// Commands hide their feeds' secrets with the planet's
		// secret_params; this hides the usual ones of an error that
		// slipped through.
		fmt.Fprintln(stderr, "village:", redactor(nil).Error(err))
		return 1
	}
}

// howToStart answers a command run where there is no feeds.yaml yet.
func howToStart(path string) string {
	return fmt.Sprintf("To start a planet, run `village init%s`: it writes %s with every setting\n"+
		"explained. Or name your feeds.yaml with --config FILE or $VILLAGE_CONFIG.\n", configFlag(path), path)
}

// configFlag is " --config PATH" to repeat in advice, or "" for the default.
func configFlag(path string) string {
	if path == defaultConfig {
		return ""
	}
	return " --config " + path
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	g := &globals{stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:   "village",
		Short: "A planet: one merged feed from a community's blogs",
		Long: `village polls the feeds listed in feeds.yaml, stores every post once
(cross-posted copies are kept as alternates of the first), and republishes
them as one merged Atom feed.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	def := os.Getenv("VILLAGE_CONFIG")
	if def == "" {
		def = defaultConfig
	}
	pf := root.PersistentFlags()
	pf.StringVarP(&g.config, "config", "c", def, "path of feeds.yaml (env VILLAGE_CONFIG)")
	pf.StringVar(&g.logLevel, "log-level", "info", "log level: debug, info, warn, error")
	pf.StringVar(&g.logFormat, "log-format", "text", "log format: text or json")
	root.AddCommand(newServe(g), newFetch(g), newCheck(g), newVersion(g))
	root.AddCommand(newPrune(g), newBackup(g))
	root.AddCommand(newAdd(g), newRemove(g), newImport(g), newExport(g), newFeeds(g))
	root.AddCommand(newBuild(g), newDedup(g), newInit(g))
	return root
}

// logger builds the logger the flags ask for; logs go to stderr.
func (g *globals) logger() (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(g.logLevel)); err != nil {
		return nil, fmt.Errorf("--log-level: %q is not one of debug, info, warn, error", g.logLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch strings.ToLower(g.logFormat) {
	case "text":
		return slog.New(slog.NewTextHandler(g.stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(g.stderr, opts)), nil
	}
	return nil, fmt.Errorf("--log-format: %q is not text or json", g.logFormat)
}

// openStore loads the config and opens its database, read-only or for
// writing, for the commands that need no planet around it.
func (g *globals) openStore(ctx context.Context, readOnly bool) (*config.Config, *store.Store, error) {
	cfg, err := config.Load(g.config)
	if err != nil {
		return nil, nil, err
	}
	open := store.Open
	if readOnly {
		open = store.OpenReadOnly
	}
	st, err := open(ctx, cfg.Database)
	if err != nil {
		return nil, nil, err
	}
	return cfg, st, nil
}

// openPlanet loads the config and opens its planet, as the commands that
// poll or render do.
func (g *globals) openPlanet(ctx context.Context) (*daemon.Planet, error) {
	return g.open(ctx, daemon.OpenPlanet)
}

// openPlanetReadOnly loads the config and opens its planet's database
// read-only, for the commands that only render from it.
func (g *globals) openPlanetReadOnly(ctx context.Context) (*daemon.Planet, error) {
	return g.open(ctx, daemon.OpenPlanetReadOnly)
}

// lockDatabase takes the lock of the config's database for command, as
// serve does: a fetch beside the daemon, or beside another fetch, would
// poll every source twice. A daemon in the way is named with the signal
// that makes it poll now. An in-memory database has nothing to share.
func (g *globals) lockDatabase(command string) (*store.DatabaseLock, error) {
	if _, err := g.logger(); err != nil { // bad flags first, as open says them
		return nil, err
	}
	cfg, err := config.Load(g.config)
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(cfg.Database, ":memory:") {
		return nil, nil
	}
	lock, err := store.Lock(cfg.Database, command)
	var inUse *store.InUseError
	if errors.As(err, &inUse) && inUse.Command == "serve" && inUse.PID != 0 {
		return nil, fmt.Errorf("%w, which polls every source on its own: kill -USR1 %d makes it poll them all now", err, inUse.PID)
	}
	return lock, err
}

type planetOpener func(context.Context, *config.Config, string, *slog.Logger) (*daemon.Planet, error)

func (g *globals) open(ctx context.Context, open planetOpener) (*daemon.Planet, error) {
	log, err := g.logger()
	if err != nil {
		return nil, err
	}
	cfg, err := config.Load(g.config)
	if err != nil {
		return nil, err
	}
	return open(ctx, cfg, version(), log)
}

func newVersion(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print village's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(g.stdout, "village", version())
			return nil
		},
	}
}

// redactor hides the secrets of feed URLs in what a command prints, with
// the planet's secret_params when there is a config.
func redactor(c *config.Config) *redact.Redactor {
	if c == nil {
		return redact.New(nil)
	}
	return redact.New(c.SecretParams)
}
