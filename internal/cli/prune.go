package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/villagefeeds/village/internal/config"
	"github.com/villagefeeds/village/internal/daemon"
	"github.com/villagefeeds/village/internal/store"
)

func newPrune(g *globals) *cobra.Command {
	var maxAge string
	var maxEntries int
	cmd := &cobra.Command{
		Use:   "prune",
		Short: "Delete entries beyond the retention limits, now",
		Long: `prune deletes the entries that the retention: limits of feeds.yaml
(max_age, max_entries per source) no longer keep, as the daemon does once a
day. --max-age and --max-entries override feeds.yaml for this run. Each
pruned entry leaves a tombstone, so a source that still lists it does not
bring it back as new. It is safe while the daemon runs.`,
		Example: `  village prune
  village prune --max-age 365d
  village prune --max-entries 200`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.Load(g.config)
			if err != nil {
				return err
			}
			r := cfg.Retention
			if cmd.Flags().Changed("max-age") {
				if r.MaxAge, err = config.ParseAge(maxAge); err != nil {
					return fmt.Errorf("--max-age: %w", err)
				}
			}
			if cmd.Flags().Changed("max-entries") {
				if maxEntries < 1 {
					return fmt.Errorf("--max-entries: must be at least 1, got %d", maxEntries)
				}
				r.MaxEntries = maxEntries
			}
			if !r.Enabled() {
				return errors.New("nothing to prune by: set retention: in feeds.yaml or pass --max-age or --max-entries")
			}
			st, err := store.Open(cmd.Context(), cfg.Database)
			if err != nil {
				return err
			}
			defer st.Close()
			p, err := daemon.Prune(cmd.Context(), st, r)
			if err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "pruned %d entries (%d new tombstones) from %s\n", p.Entries, p.Tombstones, cfg.Database)
			return nil
		},
	}
	cmd.Flags().StringVar(&maxAge, "max-age", "", `prune entries published longer ago, e.g. "365d" or "720h" (at least 1d)`)
	cmd.Flags().IntVar(&maxEntries, "max-entries", 0, "keep at most this many entries per source, the newest")
	return cmd
}
