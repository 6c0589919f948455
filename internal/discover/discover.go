// Package discover finds a blog's feed from any URL a member sends: the feed itself, or a page that links to it.
package discover

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/villagefeeds/village/internal/fetch"
	"github.com/villagefeeds/village/internal/parse"
)

// ErrNoFeed is wrapped when neither the page, nor the feeds it links to,
// nor any of the common feed paths gave a feed.
var ErrNoFeed = errors.New("no feed found")

// Getter fetches one URL; *fetch.Client is one.
type Getter interface {
	Get(ctx context.Context, r fetch.Request) (*fetch.Response, error)
}

// Result is the feed found.
type Result struct {
	URL  string      // the URL to list in feeds.yaml
	Feed *parse.Feed // the feed as fetched and parsed once
}

// CommonPaths are tried, in order, when a page names no feed: first below
// the page's own directory, then at the root of the site.
var CommonPaths = []string{"feed.xml", "index.xml", "atom.xml", "rss.xml", "feed", "rss", "feed.json"}

// Find fetches rawURL. When it is a feed, that is the feed. When it is an
// HTML page, the feeds its <link rel="alternate"> elements name are tried
// in document order, then the CommonPaths. The first candidate that parses
// wins: a link to a dead feed does not hide a working one.
func Find(ctx context.Context, g Getter, rawURL string) (*Result, error) {
	page, err := url.Parse(rawURL)
	if err != nil || page.Scheme != "http" && page.Scheme != "https" || page.Host == "" {
		return nil, fmt.Errorf("discover %s: not an absolute http(s) URL", rawURL)
	}
	resp, err := g.Get(ctx, fetch.Request{URL: rawURL})
	if err != nil {
		return nil, fmt.Errorf("discover %s: %w", rawURL, err)
	}
	body, err := resp.Body()
	if err != nil {
		return nil, fmt.Errorf("discover %s: %w", rawURL, err)
	}
	if feed, perr := parse.Parse(body, resp.URL); perr == nil {
		return &Result{URL: listedURL(rawURL, resp), Feed: feed}, nil
	} else if !errors.Is(perr, parse.ErrNotFeed) {
		return nil, fmt.Errorf("discover %s: %w", rawURL, perr)
	}
	base, _ := url.Parse(resp.URL)
	if base == nil {
		base = page
	}
	links := Alternates(body, base)
	tried := make(map[string]bool)
	for _, cand := range append(links, commonURLs(base)...) {
		if tried[cand] {
			continue
		}
		tried[cand] = true
		if res := try(ctx, g, cand); res != nil {
			return res, nil
		}
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("discover %s: %w", rawURL, context.Cause(ctx))
	}
	return nil, fmt.Errorf("discover %s: %w (%d linked from the page; tried %s)",
		rawURL, ErrNoFeed, len(links), strings.Join(CommonPaths, ", "))
}

// try fetches and parses one candidate; nil when it is not a working feed.
func try(ctx context.Context, g Getter, cand string) *Result {
	resp, err := g.Get(ctx, fetch.Request{URL: cand})
	if err != nil {
		return nil
	}
	body, err := resp.Body()
	if err != nil {
		return nil
	}
	feed, err := parse.Parse(body, resp.URL)
	if err != nil {
		return nil
	}
	return &Result{URL: listedURL(cand, resp), Feed: feed}
}

// listedURL is the URL to write down: where a permanent redirect points,
// else the URL asked for, since a temporary redirect may change again.
func listedURL(asked string, resp *fetch.Response) string {
	if resp.MovedTo != "" {
		return resp.MovedTo
	}
	return asked
}

// commonURLs resolves CommonPaths against the page's directory and then
// the site root, without repeats.
func commonURLs(page *url.URL) []string {
	dir := *page
	dir.RawQuery, dir.Fragment, dir.RawFragment = "", "", ""
	if !strings.HasSuffix(dir.Path, "/") {
		dir.Path += "/" // a blog's home "/blog" means the directory /blog/
		dir.RawPath = ""
	}
	var out []string
	seen := make(map[string]bool)
	for _, root := range []string{"", "/"} {
		for _, p := range CommonPaths {
			ref := &url.URL{Path: root + p}
			if s := dir.ResolveReference(ref).String(); !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}
