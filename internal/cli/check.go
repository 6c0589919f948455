package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/villagefeeds/village/internal/config"
)

func newCheck(g *globals) *cobra.Command {
	var fetchAll bool
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Validate feeds.yaml; with --fetch, check every source too",
		Long: `check reads feeds.yaml and prints one line per problem, as
FILE:LINE: FIELD: PROBLEM, exiting with status 1 when there is any.

With --fetch it then fetches every source once and reports, per source,
what its author would need to fix: unreachable, TLS error, HTTP status,
not a feed, parse error, no dates, relative links without a base, duplicate
or missing ids, very large body. A feed that moved permanently (301/308) is
reported with the exact feeds.yaml change to make, and one that answers
410 Gone with the line to delete; check never edits the file. The exit
status is 1 when any source failed outright; warnings alone leave it 0.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.Load(g.config)
			var errs config.Errors
			switch {
			case errors.As(err, &errs):
				for _, e := range errs {
					fmt.Fprintln(g.stderr, e)
				}
				return exitError{1}
			case err != nil:
				return err
			}
			fmt.Fprintf(g.stdout, "%s: ok, %d sources\n", cfg.Path, len(cfg.Feeds))
			if len(cfg.Feeds) == 0 {
				fmt.Fprintln(g.stdout, "no sources yet: add one with `village add URL`")
			}
			if !fetchAll {
				return nil
			}
			if failed := checkFetch(cmd.Context(), cfg, g.stdout); failed > 0 {
				return exitError{1}
			}
			return cmd.Context().Err()
		},
	}
	cmd.Flags().BoolVar(&fetchAll, "fetch", false, "fetch every source once and report what its author should fix")
	return cmd
}
