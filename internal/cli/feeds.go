package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/villagefeeds/village/internal/config"
	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/publish"
	"github.com/villagefeeds/village/internal/refresh"
	"github.com/villagefeeds/village/internal/store"
)

// feedRow is one line of `village feeds`, and one object of its --json.
type feedRow struct {
	Name        string     `json:"name"`
	URL         string     `json:"url"`
	State       string     `json:"state"`
	LastStatus  int        `json:"last_status"`
	LastCheck   *time.Time `json:"last_check"`
	LastSuccess *time.Time `json:"last_success"`
	LastError   string     `json:"last_error"`
	ErrorCount  int        `json:"consecutive_errors"`
	Entries     int        `json:"entries"`
	NextCheck   *time.Time `json:"next_check"`
	MovedTo     string     `json:"moved_to,omitempty"`
	// FailingSince is when the current run of failures began.
	FailingSince *time.Time `json:"failing_since,omitempty"`
	// Fix is the feeds.yaml change a moved or gone source needs.
	Fix string `json:"fix,omitempty"`
	// Notes are what the last parse had to repair or guess (skipped items,
	// items without ids or titles, a wrong charset).
	Notes []string `json:"notes"`
}

func newFeeds(g *globals) *cobra.Command {
	var asJSON, wide bool
	cmd := &cobra.Command{
		Use:   "feeds",
		Short: "List the sources with their health",
		Long: `feeds prints one row per source of feeds.yaml, in file order: name, state
(new, ok, failing, moved or gone), entries stored, consecutive errors, last
success, next check, URL and the problem, as the database records them:
the feeds.yaml change to make for a moved or gone source, else the last
error in short (--wide prints it whole), else what the last parse had to
repair (items skipped, without ids or titles, a wrong charset). It only
reads (the database is opened read-only and never migrated), so it is safe
while the daemon runs. Secrets in feed URLs are shown as ***. --json prints
an array.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.Load(g.config)
			if err != nil {
				return err
			}
			rows, err := feedRows(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(g.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(rows)
			}
			if len(rows) == 0 {
				fmt.Fprintf(g.stdout, "no sources in %s yet: add one with `village add URL`\n", cfg.Path)
				return nil
			}
			return writeFeeds(g.stdout, rows, time.Now(), wide)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	cmd.Flags().BoolVar(&wide, "wide", false, "print the last error whole")
	return cmd
}

// feedRows joins the configured feeds with what the store knows of them.
// Without a database yet, every source is new; none is created.
func feedRows(ctx context.Context, cfg *config.Config) ([]feedRow, error) {
	known := map[string]model.Source{}
	counts := map[int64]int{}
	if _, err := os.Stat(cfg.Database); err == nil {
		st, err := store.OpenReadOnly(ctx, cfg.Database)
		if err != nil {
			return nil, err
		}
		defer st.Close()
		srcs, err := st.Sources(ctx)
		if err != nil {
			return nil, err
		}
		for _, s := range srcs {
			known[s.URL] = s
		}
		if counts, err = st.EntriesBySource(ctx); err != nil {
			return nil, err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("open database: %w", err)
	}
	rows := make([]feedRow, len(cfg.Feeds))
	rd := redactor(cfg)
	for i, f := range cfg.Feeds {
		src, ok := known[f.URL]
		if !ok {
			src = model.Source{Name: f.Name, URL: f.URL}
		}
		src.URL, src.MovedTo = rd.URL(src.URL), rd.URL(src.MovedTo)
		rows[i] = newFeedRow(src, counts[src.ID])
	}
	return rows, nil
}

func newFeedRow(src model.Source, entries int) feedRow {
	r := feedRow{
		Name:         publish.SourceName(src),
		URL:          src.URL,
		State:        src.State(),
		LastStatus:   src.LastStatus,
		LastCheck:    optTime(src.LastCheck),
		LastSuccess:  optTime(src.LastSuccess),
		LastError:    src.LastError,
		ErrorCount:   src.ErrorCount,
		Entries:      entries,
		NextCheck:    optTime(src.NextCheck),
		MovedTo:      src.MovedTo,
		FailingSince: optTime(src.FailingSince),
		Notes:        src.Notes,
	}
	if r.Notes == nil {
		r.Notes = []string{}
	}
	switch {
	case src.Gone:
		r.NextCheck = nil // never polled again
		r.Fix = refresh.GoneFix(src.URL)
	case src.MovedTo != "":
		r.Fix = refresh.MoveFix(src.URL, src.MovedTo)
	}
	return r
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

func writeFeeds(w io.Writer, rows []feedRow, now time.Time, wide bool) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSTATE\tENTRIES\tERRORS\tLAST SUCCESS\tNEXT CHECK\tURL\tPROBLEM")
	for _, r := range rows {
		problem := r.Fix
		switch {
		case problem != "":
		case wide:
			problem = r.LastError
		default:
			problem = shortError(r.URL, r.LastError)
		}
		if problem == "" && len(r.Notes) > 0 {
			problem = "note: " + strings.Join(r.Notes, "; ")
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\t%s\t%s\n", r.Name, r.State, r.Entries, r.ErrorCount,
			ago(r.LastSuccess, now, "never"), until(r.NextCheck, now), r.URL, problem)
	}
	return tw.Flush()
}

// maxShortError is the widest error `village feeds` prints without --wide.
const maxShortError = 60

// shortError is a stored error without what the row already says (the
// feed's URL, the stage prefixes the refresher adds), cut to a table cell.
func shortError(url, err string) string {
	for _, prefix := range []string{"fetch " + url + ": ", "parse " + url + ": ", "store " + url + ": ", "fetch: ", `Get "` + url + `": `} {
		err = strings.TrimPrefix(err, prefix)
	}
	err = strings.Join(strings.Fields(err), " ")
	if r := []rune(err); len(r) > maxShortError {
		err = string(r[:maxShortError-1]) + "…"
	}
	return err
}

// ago writes a past time as "3h ago"; short enough for a table.
func ago(t *time.Time, now time.Time, zero string) string {
	if t == nil {
		return zero
	}
	return short(now.Sub(*t)) + " ago"
}

// until writes the next check as "in 25m", or "due" once it has passed.
func until(t *time.Time, now time.Time) string {
	switch {
	case t == nil:
		return "-"
	case !t.After(now):
		return "due"
	}
	return "in " + short(t.Sub(now))
}

func short(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}
