package publisher

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/server"
	"github.com/villagefeeds/village/internal/site"
	"github.com/villagefeeds/village/internal/store"
)

var t0 = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// recordingStore is a real store that records the entry queries the
// renders make, so a test can tell which documents were rendered.
type recordingStore struct {
	*store.Store
	mu      sync.Mutex
	queries []string
}

func (r *recordingStore) Entries(ctx context.Context, q store.Query) ([]model.Entry, error) {
	r.mu.Lock()
	r.queries = append(r.queries, describe(q))
	r.mu.Unlock()
	return r.Store.Entries(ctx, q)
}

func describe(q store.Query) string {
	switch {
	case q.SourceID != 0:
		return fmt.Sprintf("source %d", q.SourceID)
	case q.Tag != "":
		return "tag " + q.Tag
	}
	return fmt.Sprintf("home from %d", q.Offset)
}

// take returns the queries since the last take, sorted, without repeats.
func (r *recordingStore) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	q := slices.Compact(slices.Sorted(slices.Values(r.queries)))
	r.queries = nil
	return q
}

// planet is a store with three sources: a (tag go), b (tags go, k8s) and
// c (no tag), in that order of IDs.
type planet struct {
	t       *testing.T
	st      *recordingStore
	a, b, c int64
	n       int
}

func newPlanet(t *testing.T) *planet {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "village.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srcs, err := st.SyncSources(context.Background(), []model.Source{
		{Name: "a", URL: "https://a.example/feed", Tags: []string{"go"}},
		{Name: "b", URL: "https://b.example/feed", Tags: []string{"go", "k8s"}},
		{Name: "c", URL: "https://c.example/feed"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return &planet{t: t, st: &recordingStore{Store: st}, a: srcs[0].ID, b: srcs[1].ID, c: srcs[2].ID}
}

// post stores a new post on src; with link set, a copy of that post.
func (p *planet) post(src int64, link string) {
	p.t.Helper()
	p.n++
	if link == "" {
		link = fmt.Sprintf("https://%d.example/post/%d", src, p.n)
	}
	e := model.Entry{GUID: fmt.Sprintf("%d-%d", src, p.n), Link: link, CanonicalURL: link, Title: fmt.Sprintf("Post %d", p.n),
		Content: "<p>Body</p>", Published: t0.Add(time.Duration(p.n) * time.Hour)}
	at := t0.Add(time.Duration(p.n) * time.Hour)
	_, err := p.st.SaveRefresh(context.Background(), src, store.Refresh{CheckedAt: at, NextCheck: at.Add(time.Hour), Status: 200, Entries: []model.Entry{e}})
	if err != nil {
		p.t.Fatal(err)
	}
}

func (p *planet) publisher(cfg Config) *Publisher {
	if cfg.Site.Title == "" {
		cfg.Site = site.Options{Title: "Test", Link: "https://planet.example/", PerPage: 2}
	}
	return New(Options{Config: cfg, Store: p.st, Logger: slog.New(slog.DiscardHandler)})
}

func get(t *testing.T, pub *Publisher, path string, page int) *server.Document {
	t.Helper()
	d, err := pub.Document(context.Background(), site.Key{Path: path, Page: page}, false)
	if err != nil {
		t.Fatalf("Document(%s, %d): %v", path, page, err)
	}
	return d
}

// every is the documents a test reads after each change: one page per
// listing and the front page's second.
var every = []site.Key{{Path: "/", Page: 1}, {Path: "/atom.xml", Page: 1}, {Path: "/sources/a/", Page: 1}, {Path: "/sources/b/", Page: 1}, {Path: "/sources/c/", Page: 1}, {Path: "/tags/go/", Page: 1}, {Path: "/tags/k8s/", Page: 1}, {Path: "/", Page: 2}}

// TestRendersOnlyWhatChanged: after a change only the documents of the
// listings it touched are rendered again: the changed source's and its
// tags', the archive pages of the front page when entries changed, and
// the owner of an entry that gained an alternate; a change of health
// re-renders the source's and its tags' pages and keeps the validators of
// those whose bytes did not change.
func TestRendersOnlyWhatChanged(t *testing.T) {
	ctx := context.Background()
	p := newPlanet(t)
	for _, src := range []int64{p.a, p.a, p.a, p.b, p.c} {
		p.post(src, "")
	}
	pub := p.publisher(Config{})
	if err := pub.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if got := p.st.take(); len(got) != 0 {
		t.Errorf("a burst read %q; it renders nothing until asked", got)
	}
	read := func() map[site.Key]*server.Document {
		docs := map[site.Key]*server.Document{}
		for _, k := range every {
			docs[k] = get(t, pub, k.Path, k.Page)
		}
		return docs
	}
	before := read()
	p.st.take()
	if again := read(); len(p.st.take()) != 0 || again[every[0]] != before[every[0]] {
		t.Fatal("documents rendered again with no change")
	}
	for _, step := range []struct {
		name   string
		change func()
		want   []string
	}{
		{"a post on c", func() { p.post(p.c, ""); pub.Changed() },
			[]string{"home from 0", "home from 2", "source 3"}},
		{"b copies a post of a", func() { p.post(p.b, "https://1.example/post/1"); pub.Changed(p.b) },
			// a's page shows the new alternate; b's own listing gained
			// nothing, but b's health (its last fetch) is on its pages.
			[]string{"home from 0", "home from 2", "source 1", "source 2", "tag go", "tag k8s"}},
		{"health of b", func() { pub.Changed(p.b) },
			[]string{"home from 0", "source 2", "tag go", "tag k8s"}},
	} {
		step.change()
		if err := pub.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		after := read()
		if got := p.st.take(); !slices.Equal(got, step.want) {
			t.Errorf("%s: read %q, want %q", step.name, got, step.want)
		}
		before = after
	}
	// b's page has the same bytes after a change of health that was none:
	// the same document, so the same Last-Modified.
	pub.Changed(p.b)
	if err := pub.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	k := site.Key{Path: "/sources/b/", Page: 1}
	if d := get(t, pub, k.Path, k.Page); d != before[k] {
		t.Error("a page rendered again with the same bytes is a new document")
	}
}

// TestPageCountCached: a page beyond the last costs no query once the
// listing was counted.
func TestPageCountCached(t *testing.T) {
	ctx := context.Background()
	p := newPlanet(t)
	p.post(p.a, "")
	pub := p.publisher(Config{})
	if err := pub.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	p.st.take()
	for range 3 {
		if _, err := pub.Document(ctx, site.Key{Path: "/sources/a/", Page: 999999}, false); !errors.Is(err, site.ErrNoPage) {
			t.Fatalf("page 999999: %v, want ErrNoPage", err)
		}
	}
	if q := p.st.take(); len(q) != 0 {
		t.Errorf("pages beyond the last read entries: %q", q)
	}
}

// TestOutputDirIncremental: after a change only the files whose bytes
// changed are replaced; the files of an untouched source keep their inode
// and modification time.
func TestOutputDirIncremental(t *testing.T) {
	ctx := context.Background()
	p := newPlanet(t)
	for _, src := range []int64{p.a, p.b, p.c} {
		p.post(src, "")
	}
	dir := t.TempDir()
	pub := p.publisher(Config{OutputDir: dir})
	if err := pub.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	stat := func(name string) os.FileInfo {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return fi
	}
	files := []string{"sources/a/index.html", "sources/b/index.html", "sources/c/index.html", "tags/k8s/index.html", "index.html"}
	old := map[string]os.FileInfo{}
	for _, f := range files {
		old[f] = stat(f)
	}
	p.st.take()
	p.post(p.c, "")
	pub.Changed()
	if err := pub.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	for _, q := range p.st.take() {
		if q == "source 1" || q == "source 2" || q == "tag k8s" {
			t.Errorf("the static build read %s, which did not change", q)
		}
	}
	for f, replaced := range map[string]bool{"sources/a/index.html": false, "sources/b/index.html": false, "tags/k8s/index.html": false,
		"sources/c/index.html": true, "index.html": true} {
		now := stat(f)
		if same := os.SameFile(old[f], now) && now.ModTime().Equal(old[f].ModTime()); same == replaced {
			t.Errorf("%s: replaced %v, want %v", f, !same, replaced)
		}
	}
	// village build writes the same site whole.
	out := t.TempDir()
	n, written, err := pub.WriteDir(ctx, out)
	if err != nil || n < 10 || written != n {
		t.Fatalf("WriteDir: %d files, %d written, %v", n, written, err)
	}
	for _, f := range files {
		a, _ := os.ReadFile(filepath.Join(dir, f))
		b, _ := os.ReadFile(filepath.Join(out, f))
		if string(a) != string(b) {
			t.Errorf("%s: output_dir and village build differ", f)
		}
	}
}

// failingStore fails every entry query while fail is set.
type failingStore struct {
	*recordingStore
	fail atomic.Bool
}

func (f *failingStore) Entries(ctx context.Context, q store.Query) ([]model.Entry, error) {
	if f.fail.Load() {
		return nil, errors.New("disk I/O error")
	}
	return f.recordingStore.Entries(ctx, q)
}

// TestStoreFailureServesLastVersion: when the store fails, a page that
// was rendered before is served as it was; one never rendered is an error.
func TestStoreFailureServesLastVersion(t *testing.T) {
	ctx := context.Background()
	p := newPlanet(t)
	p.post(p.a, "")
	st := &failingStore{recordingStore: p.st}
	pub := New(Options{Config: Config{Site: site.Options{Title: "Test", Link: "https://planet.example/", PerPage: 2}},
		Store: st, Logger: slog.New(slog.DiscardHandler)})
	if err := pub.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	before := get(t, pub, "/sources/a/", 1)
	p.post(p.a, "")
	pub.Changed()
	if err := pub.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	st.fail.Store(true)
	if d := get(t, pub, "/sources/a/", 1); d != before {
		t.Error("the store failed and the last version of the page was not served")
	}
	if _, err := pub.Document(ctx, site.Key{Path: "/sources/b/", Page: 1}, false); err == nil || errors.Is(err, site.ErrNoPage) {
		t.Errorf("a page never rendered, store failing: %v, want the store's error", err)
	}
}

// TestSubscriptionsPageFollowsHealth: /sources/ lists every source's
// health, so a change of one source's health renders it again, as the
// front page.
func TestSubscriptionsPageFollowsHealth(t *testing.T) {
	ctx := context.Background()
	p := newPlanet(t)
	pub := p.publisher(Config{})
	if err := pub.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	k := site.Key{Path: site.SubscriptionsPath, Page: 1}
	before := get(t, pub, k.Path, k.Page)
	if n := bytes.Count(before.Body, []byte(`class="name"`)); n != 3 {
		t.Fatalf("/sources/ lists %d sources, want 3", n)
	}
	err := p.st.MarkFailed(ctx, p.b, store.Failure{CheckedAt: t0, NextCheck: t0.Add(time.Hour), Status: 503,
		Err: "http 503", Problem: "HTTP 503 Service Unavailable"})
	if err != nil {
		t.Fatal(err)
	}
	pub.Changed(p.b)
	if err := pub.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if after := get(t, pub, k.Path, k.Page); !bytes.Contains(after.Body, []byte("HTTP 503 Service Unavailable")) {
		t.Error("/sources/ does not show b's new problem after the burst")
	}
}
