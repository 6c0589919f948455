package cli

import (
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/villagefeeds/village/internal/daemon"
)

// serveGCPercent is the Go garbage collector's target for serve, unless
// GOGC says otherwise: the heap may grow 60% past what a collection left
// live before the next one, not the runtime's default 100%. serve is a
// long-running service whose peak memory is what an operator sizes a VM
// by; a cold ingest of 1,000 sources with 100 readers peaked at 85 MiB
// with the default and at 75 MiB with this, for about 3% more CPU, and a
// warm poll took 10-13% more (see README, "Benchmarks"). fetch, a command
// that exits, keeps the default.
const serveGCPercent = 60

func newServe(g *globals) *cobra.Command {
	var listen string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the daemon: poll the sources and serve the merged feed",
		Long: `serve polls every source of feeds.yaml on its schedule and serves the merged
feed at /atom.xml and a health report at /healthz, until SIGTERM or SIGINT.
Editing feeds.yaml takes effect within seconds (SIGHUP reloads it too); an
invalid edit is logged with its line and the running configuration stays.
SIGUSR1 polls every source now, whatever its schedule.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			log, err := g.logger()
			if err != nil {
				return err
			}
			if os.Getenv("GOGC") == "" {
				debug.SetGCPercent(serveGCPercent)
			}
			d, err := daemon.New(daemon.Options{ConfigPath: g.config, Version: version(), Logger: log, Listen: listen})
			if err != nil {
				return err
			}
			sigs := make(chan os.Signal, 1)
			signal.Notify(sigs, append(pollSignals, syscall.SIGHUP)...)
			defer signal.Stop(sigs)
			go func() {
				for s := range sigs {
					if s == syscall.SIGHUP {
						d.Reload()
					} else {
						d.PollNow()
					}
				}
			}()
			return d.Run(cmd.Context())
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "", "address to listen on, overriding feeds.yaml (e.g. 127.0.0.1:8080)")
	return cmd
}
