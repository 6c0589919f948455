package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"

	"github.com/villagefeeds/village/internal/config"
	"github.com/villagefeeds/village/internal/daemon"
	"github.com/villagefeeds/village/internal/fetch"
	"github.com/villagefeeds/village/internal/limit"
	"github.com/villagefeeds/village/internal/parse"
	"github.com/villagefeeds/village/internal/redact"
	"github.com/villagefeeds/village/internal/refresh"
	"github.com/villagefeeds/village/internal/store"
)

// largeBody is the size from which a feed is reported as very large even
// though it fits max_body_size: every reader downloads it on every poll.
const largeBody = 1 << 20

// problem is one thing a source's author (or the planet's owner, for moved
// and gone feeds) would need to fix.
type problem struct {
	kind  string // stable label: unreachable, tls, http_status, not_feed, parse, too_large, gone, moved, encoding, empty_items, anonymous_items, no_titles, no_dates, relative_links, duplicate_ids, missing_ids, changed_ids, large_body
	fatal bool   // the planet gets nothing from the source
	text  string
}

// health is what `check --fetch` found about one source.
type health struct {
	feed     config.Feed
	items    int
	problems []problem
}

// checkFetch fetches every source once, concurrently, and writes one line
// per source that is fine and one per problem otherwise, in feeds.yaml
// order. It returns how many sources failed outright.
func checkFetch(ctx context.Context, cfg *config.Config, w io.Writer) (failed int) {
	c := checker{client: daemon.NewFetcher(cfg, version()), limits: daemon.NewLimits(cfg), known: knownIDs(ctx, cfg)}
	results := make([]health, len(cfg.Feeds))
	var wg sync.WaitGroup
	for i, f := range cfg.Feeds {
		wg.Go(func() { results[i] = c.diagnose(ctx, f) })
	}
	wg.Wait()

	rd := redact.New(cfg.SecretParams)
	warned := 0
	for _, h := range results {
		where := fmt.Sprintf("%s:%d: %s <%s>", cfg.Path, h.feed.Line, feedLabel(h.feed), rd.URL(h.feed.URL))
		if len(h.problems) == 0 {
			fmt.Fprintf(w, "%s: ok, %d items\n", where, h.items)
			continue
		}
		fatal := false
		for _, p := range h.problems {
			fmt.Fprintf(w, "%s: %s\n", where, rd.Text(p.text))
			fatal = fatal || p.fatal
		}
		if fatal {
			failed++
		} else {
			warned++
		}
	}
	fmt.Fprintf(w, "checked %d sources: %d ok, %d with warnings, %d failing\n",
		len(results), len(results)-failed-warned, warned, failed)
	return failed
}

func feedLabel(f config.Feed) string {
	if f.Name != "" {
		return f.Name
	}
	return "(unnamed)"
}

// knownIDs returns a lookup of the ids the planet's database stored each
// source's posts under, by link; it finds nothing when there is no database
// yet (check never creates one).
func knownIDs(ctx context.Context, cfg *config.Config) func(url string) map[string]string {
	none := func(string) map[string]string { return nil }
	if _, err := os.Stat(cfg.Database); err != nil {
		return none
	}
	st, err := store.OpenReadOnly(ctx, cfg.Database)
	if err != nil {
		return none
	}
	ids := make(map[string]map[string]string, len(cfg.Feeds))
	for _, f := range cfg.Feeds {
		ids[f.URL], _ = st.KnownIDs(ctx, f.URL)
	}
	st.Close()
	return func(url string) map[string]string { return ids[url] }
}

// checker fetches each source once, with the planet's limits.
type checker struct {
	client *fetch.Client
	limits *limit.Limits
	known  func(url string) map[string]string // links of posts stored earlier, to the ids they had then
}

// diagnose fetches f once, without validators, and parses it.
func (c checker) diagnose(ctx context.Context, f config.Feed) health {
	h := health{feed: f}
	resp, err := c.get(ctx, f)
	if err != nil {
		h.problems = append(h.problems, fetchProblem(f.URL, err))
		return h
	}
	if resp.MovedTo != "" {
		h.problems = append(h.problems, problem{kind: "moved",
			text: "moved permanently to " + resp.MovedTo + ": " + refresh.MoveFix(f.URL, resp.MovedTo)})
	}
	body, err := resp.Body()
	if err != nil {
		h.problems = append(h.problems, fetchProblem(f.URL, err))
		return h
	}
	if n := len(body); n >= largeBody {
		h.problems = append(h.problems, problem{kind: "large_body",
			text: fmt.Sprintf("very large body: %s on every poll; publish only the latest posts in the feed", sizeText(int64(n)))})
	}
	feed, d, err := parse.Diagnose(body, resp.URL, resp.ContentType)
	if err != nil {
		h.problems = append(h.problems, parseProblem(err))
		return h
	}
	h.items = len(feed.Items)
	h.problems = append(h.problems, itemProblems(d)...)
	if n := changedIDs(feed, c.known(f.URL)); n > 0 {
		h.problems = append(h.problems, problem{kind: "changed_ids",
			text: fmt.Sprintf("unstable ids: %d of %d items have another id (guid) than when village last fetched them; readers show each such post again", n, h.items)})
	}
	return h
}

func (c checker) get(ctx context.Context, f config.Feed) (*fetch.Response, error) {
	release, err := c.limits.Fetch(ctx, limit.HostKey(f.URL))
	if err != nil {
		return nil, err
	}
	defer release()
	return c.client.Get(ctx, fetch.Request{URL: f.URL, Username: f.Username, Password: f.Password})
}

// changedIDs counts the items whose link was stored before under another id.
func changedIDs(feed *parse.Feed, known map[string]string) int {
	n := 0
	for _, it := range feed.Items {
		if was, ok := known[it.Link]; ok && it.GUID != "" && it.GUID != was {
			n++
		}
	}
	return n
}

// fetchProblem words a failed fetch for the blog's author.
func fetchProblem(url string, err error) problem {
	var se *fetch.StatusError
	switch class := fetch.Class(err); {
	case errors.As(err, &se) && se.Code == http.StatusGone:
		return problem{kind: "gone", fatal: true, text: "gone: " + refresh.GoneFix(url)}
	case errors.As(err, &se):
		return problem{kind: "http_status", fatal: true,
			text: fmt.Sprintf("HTTP status: the server answered %d %s", se.Code, http.StatusText(se.Code))}
	case class == "tls":
		return problem{kind: "tls", fatal: true, text: "TLS error: " + unwrapFetch(err)}
	case class == "too_large":
		return problem{kind: "too_large", fatal: true,
			text: "very large body: " + unwrapFetch(err) + " (max_body_size); publish fewer posts in the feed"}
	}
	return problem{kind: "unreachable", fatal: true, text: "unreachable: " + unwrapFetch(err)}
}

// unwrapFetch drops the "fetch URL: " the fetch package puts on errors:
// the line names the URL already.
func unwrapFetch(err error) string {
	var fe *fetch.Error
	if errors.As(err, &fe) {
		return fe.Err.Error()
	}
	return err.Error()
}

func parseProblem(err error) problem {
	msg := err.Error()
	if errors.Is(err, parse.ErrNotFeed) {
		if _, after, ok := strings.Cut(msg, parse.ErrNotFeed.Error()+": "); ok {
			msg = after
		}
		return problem{kind: "not_feed", fatal: true, text: "not a feed: " + msg + "; is the URL the feed's and not the blog's?"}
	}
	return problem{kind: "parse", fatal: true, text: "parse error: " + msg}
}

// itemProblems words what parse.Diagnose saw in the items.
func itemProblems(d parse.Diagnosis) []problem {
	var out []problem
	if p := d.Decoding.Problem; p != "" {
		out = append(out, problem{kind: "encoding", text: "encoding: " + p})
	}
	for _, c := range []struct {
		n          int
		kind, text string
	}{
		{d.Skipped, "empty_items", fmt.Sprintf("empty items: %d items have no title, link, text or enclosure; village skips them", d.Skipped)},
		{d.NoIDOrLink, "anonymous_items", fmt.Sprintf("no ids or links: %d of %d items have neither a guid nor a link; village knows them by title, date and text, so an edit shows the post again", d.NoIDOrLink, d.Items)},
		{d.Untitled, "no_titles", fmt.Sprintf("no titles: %d of %d items have no title; village titles them from their first words", d.Untitled, d.Items)},
		{d.NoDates, "no_dates", fmt.Sprintf("no dates: %d of %d items have no readable date; village shows them as of when it first saw them", d.NoDates, d.Items)},
		{d.RelativeLinks, "relative_links", fmt.Sprintf("relative links without a base: %d of %d items link to a relative URL and the feed sets no xml:base; use absolute URLs", d.RelativeLinks, d.Items)},
		{len(d.DuplicateIDs), "duplicate_ids", fmt.Sprintf("duplicate ids: %s used by more than one item; each post needs its own id", quoteList(d.DuplicateIDs, 3)) + sharedNote(d.SharedIDs)},
		{d.NoIDs, "missing_ids", fmt.Sprintf("unstable ids: %d of %d items have no id (guid); they are known by their link, so a changed link shows the post again", d.NoIDs, d.Items)},
	} {
		if c.n > 0 {
			out = append(out, problem{kind: c.kind, text: c.text})
		}
	}
	return out
}

// sharedNote says how village copes with posts that share an id.
func sharedNote(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" (village tells the %d posts with different links apart by id and link)", n)
}

func quoteList(l []string, most int) string {
	q := make([]string, 0, min(len(l), most))
	for _, s := range l[:min(len(l), most)] {
		q = append(q, fmt.Sprintf("%q", s))
	}
	out := strings.Join(q, ", ")
	if len(l) > most {
		out += fmt.Sprintf(" and %d more", len(l)-most)
	}
	return out
}

// sizeText formats a byte count for people: "1.5 MiB", "800 KiB".
func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
