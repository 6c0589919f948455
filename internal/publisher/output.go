package publisher

import (
	"context"
	"strings"

	"github.com/villagefeeds/village/internal/site"
)

// output keeps output_dir current with the static form of the site, whose
// links name files rather than ?page=N.
type output struct {
	dir   *site.Dir
	path  string
	valid bool // the last sync of path succeeded
}

// sync brings output_dir up to date after a burst. After a reload, a
// failed write or on the first burst it walks the whole site; otherwise
// only the listings the changed sources ids show (and the front page,
// whose pages shift with every new post), keeping the other files as they
// are. Either way Dir writes only the files whose bytes changed, so a
// 10,000-source planet is neither rendered nor rewritten whole on every
// poll. It returns how many files it wrote or removed.
func (o *output) sync(ctx context.Context, b *site.Builder, st Store, cfg Config, all bool, ids []int64) (int, error) {
	if cfg.OutputDir == "" {
		o.dir = nil
		return 0, nil
	}
	full := all || !o.valid || o.dir == nil || o.path != cfg.OutputDir
	if !full && len(ids) == 0 {
		return 0, nil
	}
	if o.dir == nil || o.path != cfg.OutputDir {
		o.dir, o.path = site.NewDir(cfg.OutputDir), cfg.OutputDir
	}
	snap, err := staticSnapshot(ctx, b, st, cfg)
	if err != nil {
		o.valid = false
		return 0, err
	}
	var only map[string]bool
	var keep func(string) bool
	if !full {
		only = map[string]bool{"/": true}
		for _, l := range snap.Affected(ids) {
			only[l] = true
		}
		keep = func(file string) bool { return !only[fileListing(file)] }
	}
	n, err := o.dir.Sync(keep, func(put func(site.Doc) error) error { return snap.Walk(ctx, only, put) })
	o.valid = err == nil
	return n, err
}

func staticSnapshot(ctx context.Context, b *site.Builder, st Store, cfg Config) (*site.Snapshot, error) {
	opts := cfg.Site
	opts.Static = true
	return b.Snapshot(ctx, st, opts)
}

// fileListing is the path of the listing a static file belongs to:
// "sources/a/page/2/index.html" is "/sources/a/"'s, "atom-3.xml" the front
// page's.
func fileListing(file string) string {
	for _, dir := range []string{"sources/", "tags/"} {
		if rest, ok := strings.CutPrefix(file, dir); ok {
			if slug, _, ok := strings.Cut(rest, "/"); ok {
				return "/" + dir + slug + "/"
			}
		}
	}
	return "/"
}

// WriteDir writes the whole static site into dir from the store, as
// `village build` does: each file atomically, only when its bytes changed,
// and the files of pages that are gone removed. It returns how many files
// the site has and how many were written or removed.
func (p *Publisher) WriteDir(ctx context.Context, dir string) (files, changed int, err error) {
	p.mu.Lock()
	cfg := p.cfg
	p.mu.Unlock()
	snap, err := staticSnapshot(ctx, p.builder, p.st, cfg)
	if err != nil {
		return 0, 0, err
	}
	changed, err = site.NewDir(dir).Sync(nil, func(put func(site.Doc) error) error {
		return snap.Walk(ctx, nil, func(d site.Doc) error {
			files++
			return put(d)
		})
	})
	return files, changed, err
}
