package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/villagefeeds/village/internal/config"
)

func newRemove(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "remove NAME|URL",
		Short: "Remove a source from feeds.yaml",
		Long: `remove deletes the source with that name (any case) or feed URL from
feeds.yaml: its lines and the comment lines right above it. The rest of the
file is left byte for byte. Its stored entries stay in the database but are
no longer published.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, err := config.OpenEdit(g.config)
			if err != nil {
				return err
			}
			i := findName(e.Feeds(), args[0])
			if i < 0 {
				i = findURL(e.Feeds(), args[0])
			}
			rd := redactor(e.Config())
			if i < 0 {
				return fmt.Errorf("remove: no source named %q or at that URL in %s", rd.Text(args[0]), e.Path())
			}
			f := e.Feeds()[i]
			if err := e.Remove(i); err != nil {
				return err
			}
			if _, err := e.Save(); err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "removed %q <%s> (was %s:%d)\n", f.Name, rd.URL(f.URL), e.Path(), f.Line)
			return nil
		},
	}
}
