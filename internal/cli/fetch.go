package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/villagefeeds/village/internal/daemon"
	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/refresh"
)

func newFetch(g *globals) *cobra.Command {
	var full bool
	cmd := &cobra.Command{
		Use:   "fetch",
		Short: "Poll every source once, print what happened, and exit",
		Long: `fetch polls every source of feeds.yaml once, whatever its schedule, stores
what is new and prints one line per source (ok, unchanged, moved, gone or
failed, HTTP status, new, updated and duplicate entries, and the fix, the
error, or what the feed needed repaired: items skipped, without ids or
titles, a wrong charset) and a total that counts the lines. With output_dir set it also
writes the static site there (as build does). A failing source is
reported and the others go on. Each source is reported once, on stdout;
stderr gets only warnings that are not about one source's poll, so a cron
mail is not doubled. On a terminal the lines scroll above a display,
redrawn every quarter second, of the progress and the sources in flight
with how long each has taken.

A source whose server answers 304 Not Modified, or sends the very bytes it
sent last time, is unchanged and not read again. --full asks every server
for its whole feed, without the validators of the last poll, and reads
every item again: after a server was wrong about what changed, or to see
what the feeds look like now.

fetch holds the database's lock while it runs, as serve does: beside a
running daemon, or another fetch, it exits 1 at once and names it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f := cmd.Flag("log-level"); f == nil || !f.Changed {
				// stdout says what happened; stderr is for what went wrong.
				g.logLevel = "warn"
			}
			lock, err := g.lockDatabase("fetch")
			if err != nil {
				return err
			}
			defer lock.Release()
			p, err := g.openPlanet(cmd.Context())
			if err != nil {
				return err
			}
			defer p.Close()
			return fetchOnce(cmd.Context(), p, g.stdout, realClock, full)
		},
	}
	cmd.Flags().BoolVar(&full, "full", false, "read every feed whole: no conditional request, even the same bytes again")
	return cmd
}

// fetchOnce polls every source of p once and reports each on w; clock is
// asked for the live display's time and ticks when w is a terminal.
// With full, every feed is read whole (see --full).
func fetchOnce(ctx context.Context, p *daemon.Planet, w io.Writer, clock func() clock, full bool) error {
	return fetchWith(ctx, p, w, func(t *tally) display { return newDisplay(w, t, clock) }, full)
}

// fetchWith is fetchOnce with the display made by newDisplay.
func fetchWith(ctx context.Context, p *daemon.Planet, w io.Writer, newDisplay func(*tally) display, full bool) error {
	srcs, err := p.Store().Sources(ctx)
	if err != nil {
		return err
	}
	if full {
		// What a refresh knows of the last poll is what it is given: without
		// it, it asks for the whole feed and reads every byte of it.
		for i := range srcs {
			srcs[i].ETag, srcs[i].LastModified, srcs[i].BodyDigest = "", "", nil
		}
	}
	begin := time.Now()
	t := newTally(len(srcs))
	d := newDisplay(t)
	// The errors are redacted already; the URLs are shown as well.
	rd := p.Redactor()
	started := func(s model.Source) {
		s.URL = rd.URL(s.URL)
		d.start(s)
	}
	p.RefreshWatched(ctx, srcs, started, func(o refresh.Outcome) {
		o.Source.URL, o.MovedTo = rd.URL(o.Source.URL), rd.URL(o.MovedTo)
		d.done(o)
	})
	d.finish()
	if len(srcs) == 0 {
		fmt.Fprintf(w, "no sources in %s yet: add one with `village add URL`\n", p.Config().Path)
	}
	fmt.Fprintln(w, t.total(time.Since(begin)))
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
