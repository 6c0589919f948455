package site

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func stat(t *testing.T, path string) os.FileInfo {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi
}

// TestDirRewritesOnlyChangedFiles: a file whose bytes did not change keeps
// its inode and modification time; a changed one is replaced by a new file
// (written beside it, renamed over it); a file of a listing the walk left
// out is kept when keep says so, removed otherwise.
func TestDirRewritesOnlyChangedFiles(t *testing.T) {
	dir := t.TempDir()
	docs := []Doc{
		{Path: "/", Page: 1, Body: []byte("home")},
		{Path: "/atom.xml", Page: 1, Body: []byte("feed")},
		{Path: "/sources/a/", Page: 1, Body: []byte("a")},
	}
	d := NewDir(dir)
	if n, err := d.Write(docs); err != nil || n != 3 {
		t.Fatalf("first write: %d, %v; want 3 files", n, err)
	}
	home, feed := stat(t, filepath.Join(dir, "index.html")), stat(t, filepath.Join(dir, "atom.xml"))

	walk := func(docs ...Doc) func(func(Doc) error) error {
		return func(put func(Doc) error) error {
			for _, doc := range docs {
				if err := put(doc); err != nil {
					return err
				}
			}
			return nil
		}
	}
	underSources := func(name string) bool { return strings.HasPrefix(name, "sources/") }
	n, err := d.Sync(underSources, walk(docs[0], Doc{Path: "/atom.xml", Page: 1, Body: []byte("new feed")}))
	if err != nil || n != 1 {
		t.Fatalf("second write: %d, %v; want the feed alone", n, err)
	}
	if now := stat(t, filepath.Join(dir, "index.html")); !os.SameFile(home, now) || !now.ModTime().Equal(home.ModTime()) {
		t.Error("the unchanged index.html was rewritten")
	}
	if now := stat(t, filepath.Join(dir, "atom.xml")); os.SameFile(feed, now) {
		t.Error("the changed atom.xml was written in place, not replaced")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "atom.xml")); string(b) != "new feed" {
		t.Errorf("atom.xml = %q", b)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "sources/a/index.html")); err != nil || string(b) != "a" {
		t.Errorf("the kept source page: %q, %v", b, err)
	}
	// Without keep, the source page is gone from the site.
	if n, err := d.Sync(nil, walk(docs[0])); err != nil || n != 2 {
		t.Fatalf("third write: %d, %v; want atom.xml and the source page removed", n, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "sources/a/index.html")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the source page is still there: %v", err)
	}
	// A walk that fails removes nothing it did not reach.
	boom := errors.New("boom")
	_, err = d.Sync(nil, func(func(Doc) error) error { return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("failed walk: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
		t.Errorf("a failed walk removed index.html: %v", err)
	}
}
