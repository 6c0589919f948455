package cli

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/spf13/cobra"

	"github.com/villagefeeds/village/internal/config"
	"github.com/villagefeeds/village/internal/daemon"
	"github.com/villagefeeds/village/internal/dedup"
	"github.com/villagefeeds/village/internal/discover"
	"github.com/villagefeeds/village/internal/fetch"
)

func newAdd(g *globals) *cobra.Command {
	var name string
	var tags []string
	cmd := &cobra.Command{
		Use:   "add URL",
		Short: "Add a source to feeds.yaml, finding the feed from a blog's page",
		Long: `add finds the feed at URL, which may be the feed itself or a blog's page
(its <link rel="alternate"> feeds, then common paths such as /feed.xml,
/index.xml, /atom.xml and /rss), fetches it once to check that it parses,
and appends it to feeds.yaml, keeping the file's comments and layout. The
name defaults to the feed's title. A source already listed is refused. A
running daemon picks the change up by itself.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.add(cmd.Context(), args[0], name, tags)
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "name of the source (default: the feed's title)")
	cmd.Flags().StringArrayVar(&tags, "tag", nil, "tag of the source; repeat for several")
	return cmd
}

func (g *globals) add(ctx context.Context, raw, name string, tags []string) error {
	tags, err := checkTags(tags)
	if err != nil {
		return err
	}
	e, err := config.OpenEdit(g.config)
	if err != nil {
		return err
	}
	// Its errors name the URL: its secrets are hidden, as in every output.
	return redactor(e.Config()).Error(g.addTo(ctx, e, raw, name, tags))
}

func (g *globals) addTo(ctx context.Context, e *config.Edit, raw, name string, tags []string) error {
	if err := refuseListed(e, raw); err != nil {
		return err
	}
	res, err := discover.Find(ctx, newFetcher(e.Config()), raw)
	if err != nil {
		return err
	}
	if err := refuseListed(e, res.URL); err != nil {
		return err
	}
	feed := config.Feed{Name: name, URL: res.URL, Homepage: homepage(res), Tags: tags}
	if feed.Name == "" {
		feed.Name = strings.Join(strings.Fields(res.Feed.Title), " ")
	}
	if i := findName(e.Feeds(), feed.Name); i >= 0 {
		return fmt.Errorf("add %s: the name %q is taken by the source at %s:%d; choose another with --name",
			res.URL, feed.Name, e.Path(), e.Feeds()[i].Line)
	}
	if err := e.Add(feed); err != nil {
		return err
	}
	if _, err := e.Save(); err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "added %q <%s> to %s\n", feed.Name, redactor(e.Config()).URL(feed.URL), e.Path())
	return nil
}

// refuseListed fails when feeds.yaml already lists the feed at raw,
// comparing canonical URLs so that http/https or a trailing slash do not
// make a second copy.
func refuseListed(e *config.Edit, raw string) error {
	if i := findURL(e.Feeds(), raw); i >= 0 {
		f := e.Feeds()[i]
		return fmt.Errorf("add %s: already listed at %s:%d as <%s>", raw, e.Path(), f.Line, f.URL)
	}
	return nil
}

// findURL returns the index of the feed whose URL is raw, canonically, or -1.
func findURL(feeds []config.Feed, raw string) int {
	key := dedup.CanonicalURL(raw)
	if key == "" {
		return -1
	}
	for i, f := range feeds {
		if dedup.CanonicalURL(f.URL) == key {
			return i
		}
	}
	return -1
}

// findName returns the index of the feed named name, ignoring case, or -1.
func findName(feeds []config.Feed, name string) int {
	if name == "" {
		return -1
	}
	for i, f := range feeds {
		if strings.EqualFold(f.Name, name) {
			return i
		}
	}
	return -1
}

// homepage is the site the feed names, when it is a usable URL other than
// the feed itself.
func homepage(res *discover.Result) string {
	u, err := url.Parse(res.Feed.Link)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return ""
	}
	if dedup.CanonicalURL(res.Feed.Link) == dedup.CanonicalURL(res.URL) {
		return ""
	}
	return res.Feed.Link
}

// newFetcher returns a client with the planet's timeouts, body cap and
// private-address guard, or the defaults when feeds.yaml lists no feeds
// yet: a page someone suggests is fetched like any feed.
func newFetcher(c *config.Config) *fetch.Client {
	if c == nil {
		c = config.Default()
	}
	return daemon.NewFetcher(c, version())
}
