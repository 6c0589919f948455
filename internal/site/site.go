// Package site builds every document of the planet's web site from the store: the HTML pages, the feeds in each format, the OPML list and the stylesheet.
package site

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/redact"
	"github.com/villagefeeds/village/internal/store"
)

// Options describe the planet to build.
type Options struct {
	Title       string
	Link        string // public URL, ends with "/"; feeds carry absolute URLs under it
	Author      string
	Description string
	Generator   string
	Version     string
	PerPage     int    // entries per page and feed; default 50
	Hub         string // WebSub hub; "" for none
	ThemeDir    string // overrides embedded templates and stylesheet; "" for none
	// Static names pages as files (page/2/index.html, atom-2.xml) and links
	// them so, for a static web server that ignores ?page=N.
	Static bool
	// Redact hides the secrets of feed URLs on pages, in feeds and in the
	// OPML list; nil hides the default ones.
	Redact *redact.Redactor
}

// Store is what a build reads.
type Store interface {
	Sources(ctx context.Context) ([]model.Source, error)
	Entries(ctx context.Context, q store.Query) ([]model.Entry, error)
	CountEntries(ctx context.Context, q store.Query) (int, error)
}

// Doc is one document of the site.
type Doc struct {
	Path        string // URL path: "/", "/atom.xml", "/sources/slug/"
	Page        int    // 1 for the first page
	ContentType string
	Body        []byte
	Topic       bool // a feed's first page: WebSub subscribers follow it
}

// Key is the document's address.
func (d Doc) Key() Key { return Key{Path: d.Path, Page: d.Page} }

// Key is the address of a document: its URL path and page, from 1. The
// daemon serves page N > 1 at path?page=N; a static copy names it as
// File says.
type Key struct {
	Path string
	Page int
}

// String is the key as a request names it: the path, with ?page=N after
// the first page.
func (k Key) String() string {
	if k.Page <= 1 {
		return k.Path
	}
	return k.Path + "?page=" + strconv.Itoa(k.Page)
}

// ErrNoPage is the answer for a document the site does not have: an
// unknown path, or a page beyond the last.
var ErrNoPage = errors.New("no such page")

// File is the document's file name under a static output directory: a path
// ending in "/" is a directory with index.html; later pages of a directory
// are page/N/index.html under it, and of a file name-N.ext beside it.
func (d Doc) File() string {
	p := strings.TrimPrefix(d.Path, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		if d.Page > 1 {
			p += "page/" + strconv.Itoa(d.Page) + "/"
		}
		return p + "index.html"
	}
	if d.Page <= 1 {
		return p
	}
	dot := strings.LastIndexByte(p, '.')
	if dot < strings.LastIndexByte(p, '/') {
		dot = -1
	}
	if dot < 0 {
		return p + "-" + strconv.Itoa(d.Page)
	}
	return p[:dot] + "-" + strconv.Itoa(d.Page) + p[dot:]
}

// Builder builds sites. It keeps what it can reuse from one build to the
// next (folded posts), so keep one per planet. It is safe for concurrent use.
type Builder struct {
	folder *folder
}

// NewBuilder returns a Builder.
func NewBuilder() *Builder { return &Builder{folder: newFolder()} }

// Snapshot reads what every document of the site shares (the sources,
// their slugs and tags, the theme) from st. The Snapshot then renders the
// documents, from the store as it is when each is asked for.
func (b *Builder) Snapshot(ctx context.Context, st Store, opts Options) (*Snapshot, error) {
	if opts.PerPage <= 0 {
		opts.PerPage = 50
	}
	if !strings.HasSuffix(opts.Link, "/") {
		opts.Link += "/"
	}
	th, err := loadTheme(opts.ThemeDir)
	if err != nil {
		return nil, err
	}
	srcs, err := st.Sources(ctx)
	if err != nil {
		return nil, fmt.Errorf("build site: %w", err)
	}
	b.folder.sweep()
	return newSnapshot(newBuild(b, st, opts, th, srcs)), nil
}

// Build renders every document of the site from st, every page of every
// listing, in a stable order: what a static copy of the site holds.
func (b *Builder) Build(ctx context.Context, st Store, opts Options) ([]Doc, error) {
	snap, err := b.Snapshot(ctx, st, opts)
	if err != nil {
		return nil, err
	}
	var docs []Doc
	err = snap.Walk(ctx, nil, func(d Doc) error {
		docs = append(docs, d)
		return nil
	})
	return docs, err
}
