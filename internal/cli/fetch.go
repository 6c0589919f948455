package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/villagefeeds/village/internal/daemon"
	"github.com/villagefeeds/village/internal/publish"
	"github.com/villagefeeds/village/internal/refresh"
)

func newFetch(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "fetch",
		Short: "Poll every source once, print what happened, and exit",
		Long: `fetch polls every source of feeds.yaml once, whatever its schedule, stores
what is new and prints one line per source (state, HTTP status, new, updated
and duplicate entries, error) and a total. With output_dir set it also
writes the static site there (as build does). A failing source is reported and the others go on.
On a terminal a progress bar replaces the lines, and only the sources that
need attention (failed, moved, gone) are printed above it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := g.openPlanet(cmd.Context())
			if err != nil {
				return err
			}
			defer p.Close()
			return fetchOnce(cmd.Context(), p, g.stdout)
		},
	}
}

func fetchOnce(ctx context.Context, p *daemon.Planet, w io.Writer) error {
	srcs, err := p.Store().Sources(ctx)
	if err != nil {
		return err
	}
	start := time.Now()
	var total refresh.Outcome
	failed := 0
	prog := newProgress(w, len(srcs))
	p.RefreshAll(ctx, srcs, func(o refresh.Outcome) {
		prog.add(o)
		total.New += o.New
		total.Updated += o.Updated
		total.Duplicates += o.Duplicates
		if o.Err != nil {
			failed++
		}
	})
	prog.finish()
	fmt.Fprintf(w, "total: %d sources, %d new, %d updated, %d duplicates, %d failed in %s\n",
		len(srcs), total.New, total.Updated, total.Duplicates, failed, time.Since(start).Round(time.Millisecond))
	if err := ctx.Err(); err != nil {
		return err
	}
	if p.Config().OutputDir != "" {
		// The same publisher as serve's keeps the directory: only the
		// files whose bytes changed are written.
		return p.Publisher(daemon.PublishOptions{}).Flush(ctx)
	}
	return nil
}

func outcomeLine(o refresh.Outcome) string {
	state := "ok"
	switch {
	case o.Gone:
		state = "gone"
	case o.Err != nil:
		state = "error"
	case o.NotModified:
		state = "unchanged"
	}
	line := fmt.Sprintf("%-9s %3d  new %3d  updated %3d  duplicates %3d  %s <%s>",
		state, o.Status, o.New, o.Updated, o.Duplicates, publish.SourceName(o.Source), o.Source.URL)
	switch {
	case o.Gone:
		line += ": " + refresh.GoneFix(o.Source.URL)
	case o.Err != nil:
		line += ": " + o.Err.Error()
	case o.MovedTo != "":
		line += ": moved permanently: " + refresh.MoveFix(o.Source.URL, o.MovedTo)
	}
	return line
}
