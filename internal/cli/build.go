package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/villagefeeds/village/internal/daemon"
)

func newBuild(g *globals) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Write the whole site from the database to a directory",
		Long: `build writes the planet's site, as serve publishes it, into a directory for
any static web server: the front page and its archive pages, a page per source
and per tag, every feed (Atom, RSS, JSON Feed, each tag's and source's),
opml.xml and the stylesheet. It polls nothing: run fetch first, or point it
at the database serve keeps: it opens it read-only, beside a running
daemon, and lists the sources that were last fetched or served.

Pages after the first are files, not ?page=N: page/2/index.html for HTML and
atom-2.xml for the paged Atom feed. Links between pages are relative, so the
directory works under any sub-path of the link in feeds.yaml. Each file is
written atomically and only when it changed; files of pages that are gone are
removed.`,
		Example: `  village fetch && village build --out public/`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return fmt.Errorf("--out: give the directory to write")
			}
			p, err := g.openPlanetReadOnly(cmd.Context())
			if err != nil {
				return err
			}
			defer p.Close()
			files, n, err := p.Publisher(daemon.PublishOptions{}).WriteDir(cmd.Context(), out)
			if err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "%d files in %s, %d written or removed\n", files, out, n)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "directory to write the site to (created if missing)")
	return cmd
}
