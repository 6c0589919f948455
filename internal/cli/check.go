package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/villagefeeds/village/internal/config"
)

func newCheck(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "check",
		Short: "Validate feeds.yaml",
		Long: `check reads feeds.yaml and prints one line per problem, as
FILE:LINE: FIELD: PROBLEM, exiting with status 1 when there is any.`,
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
				fmt.Fprintln(g.stderr, err)
				return exitError{1}
			}
			fmt.Fprintf(g.stdout, "%s: ok, %d sources\n", cfg.Path, len(cfg.Feeds))
			return nil
		},
	}
}
