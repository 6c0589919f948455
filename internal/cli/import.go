package cli

import (
	"fmt"
	"io"
	"net/url"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/villagefeeds/village/internal/config"
	"github.com/villagefeeds/village/internal/dedup"
	"github.com/villagefeeds/village/internal/opml"
	"github.com/villagefeeds/village/internal/redact"
)

func newImport(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE.opml",
		Short: "Add every source of an OPML subscription list to feeds.yaml",
		Long: `import appends the feeds of an OPML file (as feed readers export them) to
feeds.yaml in one write, keeping the file's comments and layout. Folders
and categories become tags. Feeds already listed, or repeated in the file,
are skipped and reported. Nothing is fetched.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.importOPML(args[0])
		},
	}
}

func (g *globals) importOPML(file string) error {
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	items, err := opml.Parse(f)
	if err != nil {
		return fmt.Errorf("import %s: %w", file, err)
	}
	e, err := config.OpenEdit(g.config)
	if err != nil {
		return err
	}
	im := importer{listed: e.Feeds(), file: file, path: e.Path(), rd: redactor(e.Config())}
	for _, o := range items {
		im.take(o)
	}
	if len(im.added) > 0 {
		if err := e.Add(im.added...); err != nil {
			return err
		}
		if _, err := e.Save(); err != nil {
			return err
		}
	}
	// Only once feeds.yaml is written: a failed save must not read as done.
	im.report(g.stdout)
	return nil
}

// importer decides, outline by outline, what an import adds.
type importer struct {
	listed  []config.Feed // already in feeds.yaml
	file    string        // the OPML file, for messages
	path    string        // feeds.yaml, for messages
	added   []config.Feed
	skipped []string         // one line each
	rd      *redact.Redactor // hides the secrets of the URLs it reports
}

func (im *importer) take(o opml.Outline) {
	raw := strings.TrimSpace(o.XMLURL)
	if !isHTTPURL(raw) {
		im.skip(raw, "not an absolute http(s) URL")
		return
	}
	if i := findURL(im.listed, raw); i >= 0 {
		im.skip(raw, fmt.Sprintf("already listed at %s:%d", im.path, im.listed[i].Line))
		return
	}
	if findURL(im.added, raw) >= 0 {
		im.skip(raw, "repeated in "+im.file)
		return
	}
	f := config.Feed{Name: outlineName(o), URL: raw, Tags: outlineTags(o)}
	if isHTTPURL(o.HTMLURL) {
		f.Homepage = strings.TrimSpace(o.HTMLURL)
	}
	if findName(im.listed, f.Name) >= 0 || findName(im.added, f.Name) >= 0 {
		f.Name = "" // names must be unique; the feed's own title will show
	}
	im.added = append(im.added, f)
}

func (im *importer) skip(raw, why string) {
	im.skipped = append(im.skipped, fmt.Sprintf("skipped <%s>: %s", im.rd.Text(raw), why))
}

func (im *importer) report(w io.Writer) {
	for _, s := range im.skipped {
		fmt.Fprintln(w, s)
	}
	fmt.Fprintf(w, "imported %d sources from %s into %s, skipped %d\n",
		len(im.added), im.file, im.path, len(im.skipped))
}

// outlineName is the outline's title, else its text unless that is just
// the URL (what exporters write for an untitled feed).
func outlineName(o opml.Outline) string {
	for _, s := range []string{o.Title, o.Text} {
		s = strings.Join(strings.Fields(s), " ")
		if s != "" && s != strings.TrimSpace(o.XMLURL) {
			return s
		}
	}
	return ""
}

// outlineTags turns every part of every category ("/Tech/Go,news") into a
// tag: tech, go, news.
func outlineTags(o opml.Outline) []string {
	var out []string
	for _, c := range o.Categories() {
		for part := range strings.SplitSeq(c, "/") {
			if t := tagify(part); t != "" && !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	return out
}

func isHTTPURL(s string) bool {
	u, err := url.Parse(strings.TrimSpace(s))
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && dedup.CanonicalURL(s) != ""
}
