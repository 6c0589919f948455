package site

import (
	"context"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/publish"
	"github.com/villagefeeds/village/internal/store"
)

// Media types of the documents.
const (
	TypeHTML = "text/html; charset=utf-8"
	TypeCSS  = "text/css; charset=utf-8"
	TypeAtom = "application/atom+xml; charset=utf-8"
	TypeRSS  = "application/rss+xml; charset=utf-8"
	TypeJSON = "application/feed+json; charset=utf-8"
	TypeOPML = "text/x-opml; charset=utf-8"
)

// build is one run of Builder.Build.
type build struct {
	b      *Builder
	st     Store
	opts   Options
	theme  *theme
	models map[int64]model.Source
	byID   map[int64]*Source
	list   []Source // in feeds.yaml order
	tags   []Tag
	info   Info
}

func newBuild(b *Builder, st Store, opts Options, th *theme, srcs []model.Source) *build {
	bd := &build{b: b, st: st, opts: opts, theme: th, models: map[int64]model.Source{}, byID: map[int64]*Source{}}
	slugs := Slugs(srcs)
	bd.list = make([]Source, len(srcs))
	for i, s := range srcs {
		bd.models[s.ID] = s
		bd.list[i] = newSource(s, slugs[s.ID])
	}
	for i := range bd.list {
		bd.byID[bd.list[i].ID] = &bd.list[i]
	}
	bd.tags = collectTags(srcs)
	bd.info = Info{Title: opts.Title, Link: opts.Link, Author: opts.Author, Description: opts.Description,
		Generator: opts.Generator, Version: opts.Version}
	return bd
}

// collectTags returns the tags of srcs by name, each with a unique slug.
func collectTags(srcs []model.Source) []Tag {
	count := map[string]int{}
	for _, s := range srcs {
		for _, t := range s.Tags {
			count[t]++
		}
	}
	names := make([]string, 0, len(count))
	for n := range count {
		names = append(names, n)
	}
	sort.Strings(names)
	taken := map[string]bool{}
	tags := make([]Tag, len(names))
	for i, n := range names {
		slug := Slugify(n)
		if slug == "" {
			slug = "tag"
		}
		slug = unique(slug, taken)
		tags[i] = Tag{Name: n, Slug: slug, Page: "tags/" + slug + "/", Sources: count[n]}
	}
	return tags
}

// listing is a list of entries with its pages and feeds.
type listing struct {
	kind    string
	path    string // "/", "/sources/slug/", "/tags/slug/"
	title   string
	query   store.Query
	source  *Source
	tag     *Tag
	sidebar []Source
	paged   bool     // every page; else only the first
	formats []string // feeds besides Atom: "rss", "json"
}

func (bd *build) listings() []listing {
	ls := []listing{{kind: "home", path: "/", title: bd.opts.Title, sidebar: bd.list, paged: true, formats: []string{"rss", "json"}}}
	for i := range bd.list {
		s := &bd.list[i]
		ls = append(ls, listing{kind: "source", path: "/" + s.Page, title: s.Name, query: store.Query{SourceID: s.ID}, source: s})
	}
	for i := range bd.tags {
		t := &bd.tags[i]
		var side []Source
		for _, s := range bd.list {
			if slices.Contains(s.Tags, t.Name) {
				side = append(side, s)
			}
		}
		ls = append(ls, listing{kind: "tag", path: "/" + t.Page, title: "Posts tagged " + t.Name, query: store.Query{Tag: t.Name},
			tag: t, sidebar: side, formats: []string{"rss", "json"}})
	}
	return ls
}

// all renders every listing, a few at once, then the OPML and stylesheet.
func (bd *build) all(ctx context.Context) ([]Doc, error) {
	ls := bd.listings()
	results := make([][]Doc, len(ls))
	errs := make([]error, len(ls))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(ls)) {
		wg.Go(func() {
			for i := range jobs {
				results[i], errs[i] = bd.render(ctx, &ls[i])
			}
		})
	}
	for i := range ls {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	var docs []Doc
	for i := range ls {
		if errs[i] != nil {
			return nil, errs[i]
		}
		docs = append(docs, results[i]...)
	}
	opml, err := bd.opml()
	if err != nil {
		return nil, err
	}
	return append(docs, opml, Doc{Path: "/style.css", Page: 1, ContentType: TypeCSS, Body: bd.theme.style}), nil
}

// render renders the pages and feeds of l.
func (bd *build) render(ctx context.Context, l *listing) ([]Doc, error) {
	per := bd.opts.PerPage
	pages := 1
	if l.paged {
		n, err := bd.st.CountEntries(ctx, l.query)
		if err != nil {
			return nil, err
		}
		pages = max(1, (n+per-1)/per)
	}
	var docs []Doc
	for n := 1; n <= pages; n++ {
		q := l.query
		q.Limit, q.Offset = per, (n-1)*per
		entries, err := bd.st.Entries(ctx, q)
		if err != nil {
			return nil, err
		}
		page, err := bd.page(l, n, pages, entries)
		if err != nil {
			return nil, err
		}
		docs = append(docs, page)
		feeds, err := bd.feeds(l, n, pages, entries)
		if err != nil {
			return nil, err
		}
		docs = append(docs, feeds...)
	}
	return docs, nil
}

func newSource(s model.Source, slug string) Source {
	out := Source{
		ID:          s.ID,
		Name:        publish.SourceName(s),
		Slug:        slug,
		Page:        "sources/" + slug + "/",
		Feed:        "sources/" + slug + "/atom.xml",
		URL:         s.URL,
		Homepage:    s.Homepage,
		Tags:        s.Tags,
		State:       s.State(),
		Problem:     problem(s),
		LastError:   s.LastError,
		LastSuccess: s.LastSuccess,
		LastFetch:   "never",
	}
	if !s.LastSuccess.IsZero() {
		out.LastFetch = s.LastSuccess.UTC().Format("2 Jan 2006 15:04 UTC")
	}
	return out
}

// rootOf is the relative path from the directory of URL path p to the root.
func rootOf(p string) string {
	depth := strings.Count(p, "/") - 1
	if depth <= 0 {
		return "./"
	}
	return strings.Repeat("../", depth)
}
