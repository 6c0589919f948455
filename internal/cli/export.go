package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/villagefeeds/village/internal/config"
	"github.com/villagefeeds/village/internal/opml"
)

func newExport(g *globals) *cobra.Command {
	var withSecrets bool
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Print the sources of feeds.yaml as OPML",
		Long: `export writes the sources of feeds.yaml to standard output as an OPML 2.0
subscription list, for feed readers and other planets: one outline per
source with its name, feed URL, home page, and tags as its category.
Secrets in feed URLs (user:password@, ?token=...) are written as ***, as
everywhere village publishes; --with-secrets keeps them, for a full backup.`,
		Example: `  village export > planet.opml
  village export --with-secrets > backup.opml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.Load(g.config)
			if err != nil {
				return err
			}
			show := redactor(cfg).URL
			if withSecrets {
				show = func(u string) string { return u }
			}
			body, err := opml.Render(cfg.Title, outlines(cfg.Feeds, show))
			if err != nil {
				return err
			}
			_, err = g.stdout.Write(body)
			return err
		},
	}
	cmd.Flags().BoolVar(&withSecrets, "with-secrets", false, "keep passwords and tokens in the feed URLs (for a backup)")
	return cmd
}

// outlines maps feeds to OPML outlines; tags become the category list and
// show writes the feed URL.
func outlines(feeds []config.Feed, show func(string) string) []opml.Outline {
	out := make([]opml.Outline, len(feeds))
	for i, f := range feeds {
		out[i] = opml.Outline{
			Text:     f.Name,
			Title:    f.Name,
			Type:     "rss",
			XMLURL:   show(f.URL),
			HTMLURL:  f.Homepage,
			Category: strings.Join(f.Tags, ","),
		}
	}
	return out
}
