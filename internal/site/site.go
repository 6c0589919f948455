// Package site builds every document of the planet's web site from the store: the HTML pages, the feeds in each format, the OPML list and the stylesheet.
package site

import (
	"context"
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

// Key is the document's address on the daemon: its path, with ?page=N
// after the first page.
func (d Doc) Key() string { return Key(d.Path, d.Page) }

// Key is the address of page n of path: path itself for the first page.
func Key(path string, page int) string {
	if page <= 1 {
		return path
	}
	return path + "?page=" + strconv.Itoa(page)
}

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

// Build renders every document of the site from st, in a stable order:
// every page of every listing, as a static copy of the site needs.
func (b *Builder) Build(ctx context.Context, st Store, opts Options) ([]Doc, error) {
	_, docs, err := b.build(ctx, st, opts, true)
	return docs, err
}

// Head renders the documents that change with every new post and cost
// little whatever the archive's size: the first page of every listing with
// its feeds, the OPML list and the stylesheet. The returned Snapshot renders
// the later pages on demand, so a render does not grow with the archive.
func (b *Builder) Head(ctx context.Context, st Store, opts Options) (*Snapshot, []Doc, error) {
	return b.build(ctx, st, opts, false)
}

func (b *Builder) build(ctx context.Context, st Store, opts Options, every bool) (*Snapshot, []Doc, error) {
	if opts.PerPage <= 0 {
		opts.PerPage = 50
	}
	if !strings.HasSuffix(opts.Link, "/") {
		opts.Link += "/"
	}
	th, err := loadTheme(opts.ThemeDir)
	if err != nil {
		return nil, nil, err
	}
	srcs, err := st.Sources(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("build site: %w", err)
	}
	bd := newBuild(b, st, opts, th, srcs)
	if bd.updated, err = newest(ctx, st, opts.PerPage); err != nil {
		return nil, nil, fmt.Errorf("build site: %w", err)
	}
	docs, total, err := bd.all(ctx, every)
	if err != nil {
		return nil, nil, fmt.Errorf("build site: %w", err)
	}
	b.folder.sweep()
	return newSnapshot(bd, total), docs, nil
}
