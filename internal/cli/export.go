package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/villagefeeds/village/internal/config"
	"github.com/villagefeeds/village/internal/opml"
)

func newExport(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "export",
		Short: "Print the sources of feeds.yaml as OPML",
		Long: `export writes the sources of feeds.yaml to standard output as an OPML 2.0
subscription list, for feed readers and other planets: one outline per
source with its name, feed URL, home page, and tags as its category.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.Load(g.config)
			if err != nil {
				return err
			}
			body, err := opml.Render(cfg.Title, outlines(cfg.Feeds))
			if err != nil {
				return err
			}
			_, err = g.stdout.Write(body)
			return err
		},
	}
}

// outlines maps feeds to OPML outlines; tags become the category list.
func outlines(feeds []config.Feed) []opml.Outline {
	out := make([]opml.Outline, len(feeds))
	for i, f := range feeds {
		out[i] = opml.Outline{
			Text:     f.Name,
			Title:    f.Name,
			Type:     "rss",
			XMLURL:   f.URL,
			HTMLURL:  f.Homepage,
			Category: strings.Join(f.Tags, ","),
		}
	}
	return out
}
