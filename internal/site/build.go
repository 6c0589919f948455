package site

import (
	"context"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/publish"
	"github.com/villagefeeds/village/internal/redact"
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
	// updated is when the newest post was first stored, for the pages'
	// "updated" line: it changes with the content, not with every render.
	updated time.Time
}

func newBuild(b *Builder, st Store, opts Options, th *theme, srcs []model.Source) *build {
	bd := &build{b: b, st: st, opts: opts, theme: th, models: map[int64]model.Source{}, byID: map[int64]*Source{}}
	slugs := Slugs(srcs)
	bd.list = make([]Source, len(srcs))
	for i, s := range srcs {
		bd.models[s.ID] = s
		bd.list[i] = newSource(s, slugs[s.ID], opts.Redact)
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
		slug = model.UniqueSlug(slug, taken)
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
		ls = append(ls, listing{kind: "source", path: "/" + s.Page, title: s.Name, query: store.Query{SourceID: s.ID}, source: s, paged: true})
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
// With every set it renders every page of the paged listings; else only
// the first, and it returns how many entries the home listing has.
func (bd *build) all(ctx context.Context, every bool) (docs []Doc, total int, err error) {
	ls := bd.listings()
	results := make([][]Doc, len(ls))
	counts := make([]int, len(ls))
	errs := make([]error, len(ls))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(ls)) {
		wg.Go(func() {
			for i := range jobs {
				results[i], counts[i], errs[i] = bd.render(ctx, &ls[i], every)
			}
		})
	}
	for i := range ls {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	for i := range ls {
		if errs[i] != nil {
			return nil, 0, errs[i]
		}
		docs = append(docs, results[i]...)
	}
	opml, err := bd.opml()
	if err != nil {
		return nil, 0, err
	}
	docs = append(docs, bd.faceDocs()...)
	return append(docs, opml, Doc{Path: "/style.css", Page: 1, ContentType: TypeCSS, Body: bd.theme.style}), counts[0], nil
}

// render renders the first page of l and its feeds, and with every the
// later pages too. It returns how many entries l has (0 when not paged).
func (bd *build) render(ctx context.Context, l *listing, every bool) ([]Doc, int, error) {
	per := bd.opts.PerPage
	entries, err := bd.st.Entries(ctx, withPage(l.query, per, 1))
	if err != nil {
		return nil, 0, err
	}
	count := 0
	if l.paged {
		// A short first page is the whole listing: no need to count.
		if count = len(entries); count == per {
			if count, err = bd.st.CountEntries(ctx, l.query); err != nil {
				return nil, 0, err
			}
		}
	}
	pages := max(1, (count+per-1)/per)
	docs, err := bd.pageDocs(l, 1, pages, entries)
	if err != nil || !every {
		return docs, count, err
	}
	// The later pages are read a chunk of pages at a time: each query
	// walks past its offset, so one query per page costs the square of
	// the archive's length.
	for n := 2; n <= pages; n += chunkPages {
		q := l.query
		q.Limit, q.Offset = per*chunkPages, (n-1)*per
		entries, err := bd.st.Entries(ctx, q)
		if err != nil {
			return nil, 0, err
		}
		for i := 0; i < chunkPages && n+i <= pages; i++ {
			more, err := bd.pageDocs(l, n+i, pages, entries[min(i*per, len(entries)):min((i+1)*per, len(entries))])
			if err != nil {
				return nil, 0, err
			}
			docs = append(docs, more...)
		}
	}
	return docs, count, nil
}

// chunkPages is how many pages a full build reads from the store at once
// (a variable for the tests).
var chunkPages = 20

// withPage is q narrowed to page n of per entries.
func withPage(q store.Query, per, n int) store.Query {
	q.Limit, q.Offset = per, (n-1)*per
	return q
}

// pageDocs renders page n of l: the HTML page, then its feeds.
func (bd *build) pageDocs(l *listing, n, pages int, entries []model.Entry) ([]Doc, error) {
	page, err := bd.page(l, n, pages, entries)
	if err != nil {
		return nil, err
	}
	fs, err := bd.feeds(l, n, pages, entries)
	if err != nil {
		return nil, err
	}
	return append([]Doc{page}, fs...), nil
}

// newSource is what the pages show of s: URLs with their secrets hidden,
// and the last error in plain words, never the full one.
func newSource(s model.Source, slug string, rd *redact.Redactor) Source {
	s.URL, s.MovedTo = rd.URL(s.URL), rd.URL(s.MovedTo)
	out := Source{
		ID:           s.ID,
		Name:         publish.SourceName(s),
		Slug:         slug,
		Page:         "sources/" + slug + "/",
		Feed:         "sources/" + slug + "/atom.xml",
		URL:          s.URL,
		Homepage:     s.Homepage,
		Tags:         s.Tags,
		State:        s.State(),
		Problem:      problem(s),
		LastError:    s.PublicError(),
		LastSuccess:  s.LastSuccess,
		LastFetch:    "never",
		FailingSince: s.FailingSince,
		Fetched:      fetched(s),
	}
	if !s.LastSuccess.IsZero() {
		out.LastFetch = s.LastSuccess.UTC().Format(timeFormat)
	}
	out.Face, out.faceFile = face(s.Face, slug)
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

// newest returns when the newest of the latest posts was first stored, or
// zero when there are none.
func newest(ctx context.Context, st Store, per int) (time.Time, error) {
	latest, err := st.Entries(ctx, store.Query{Limit: per})
	if err != nil {
		return time.Time{}, err
	}
	var t time.Time
	for _, e := range latest {
		if e.FirstSeen.After(t) {
			t = e.FirstSeen
		}
	}
	return t, nil
}
