package site

import (
	"slices"
	"sort"
	"strings"

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
	models []model.Source // as the store gave them
	list   []Source       // the same, for the templates
	byID   map[int64]int  // index in models and list
	bySlug map[string]int
	tags   []Tag
	info   Info
	home   listing // the front page's
}

// newBuild prepares a build over srcs. It keeps one copy of each source
// for the templates and the store's own, with two indexes: at 10,000
// sources every byte per source counts, once per change.
func newBuild(b *Builder, st Store, opts Options, th *theme, srcs []model.Source) *build {
	bd := &build{b: b, st: st, opts: opts, theme: th, models: srcs,
		byID: make(map[int64]int, len(srcs)), bySlug: make(map[string]int, len(srcs))}
	slugs := Slugs(srcs)
	bd.list = make([]Source, len(srcs))
	for i, s := range srcs {
		bd.list[i] = newSource(s, slugs[s.ID], opts.Redact)
		bd.byID[s.ID] = i
		bd.bySlug[bd.list[i].Slug] = i
	}
	bd.tags = collectTags(srcs)
	bd.home = listing{kind: "home", path: "/", title: opts.Title, sidebar: bd.list, paged: true, formats: []string{"rss.xml", "feed.json"}}
	bd.info = Info{Title: opts.Title, Link: opts.Link, Author: opts.Author, Description: opts.Description,
		Generator: opts.Generator, Version: opts.Version}
	return bd
}

// source returns the source with ID id, for the templates.
func (bd *build) source(id int64) (*Source, bool) {
	i, ok := bd.byID[id]
	if !ok {
		return nil, false
	}
	return &bd.list[i], true
}

// modelsFor returns the sources that entries and their alternates name,
// by ID: what the feed formats look up.
func (bd *build) modelsFor(entries []model.Entry) map[int64]model.Source {
	m := make(map[int64]model.Source, 4)
	add := func(id int64) {
		if i, ok := bd.byID[id]; ok {
			m[id] = bd.models[i]
		}
	}
	for i := range entries {
		add(entries[i].SourceID)
		for _, a := range entries[i].Alternates {
			add(a.SourceID)
		}
	}
	return m
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
	formats []string // feeds besides Atom: "rss.xml", "feed.json"
}

// listings returns the front page's listing and the tags'. A source's
// listing is made when asked for (sourceListing): a planet of 10,000
// sources does not keep 10,000 of them.
func (bd *build) listings() []listing {
	ls := []listing{bd.home}
	for i := range bd.tags {
		t := &bd.tags[i]
		var side []Source
		for _, s := range bd.list {
			if slices.Contains(s.Tags, t.Name) {
				side = append(side, s)
			}
		}
		ls = append(ls, listing{kind: "tag", path: "/" + t.Page, title: "Posts tagged " + t.Name, query: store.Query{Tag: t.Name},
			tag: t, sidebar: side, formats: []string{"rss.xml", "feed.json"}})
	}
	return ls
}

// sourceListing is the listing of source s.
func (bd *build) sourceListing(s *Source) *listing {
	return &listing{kind: "source", path: "/" + s.Page, title: s.Name, query: store.Query{SourceID: s.ID}, source: s, paged: true}
}

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
