package daemon

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

func TestResolveLinks(t *testing.T) {
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// A ConfigMap as the kubelet lays it out, and a link to it from
	// elsewhere through a relative path with "..".
	must(os.MkdirAll(filepath.Join(dir, "cm", "..2024_05_01"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "cm", "..2024_05_01", "feeds.yaml"), nil, 0o644))
	symlink(t, "..2024_05_01", filepath.Join(dir, "cm", "..data"))
	symlink(t, "..data/feeds.yaml", filepath.Join(dir, "cm", "feeds.yaml"))
	must(os.Mkdir(filepath.Join(dir, "etc"), 0o755))
	symlink(t, "../cm/feeds.yaml", filepath.Join(dir, "etc", "feeds.yaml"))
	must(os.WriteFile(filepath.Join(dir, "plain.yaml"), nil, 0o644))

	c, err := resolveLinks(filepath.Join(dir, "etc", "feeds.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	wantTarget := filepath.Join(dir, "cm", "..2024_05_01", "feeds.yaml")
	wantLinks := []string{filepath.Join(dir, "etc", "feeds.yaml"), filepath.Join(dir, "cm", "feeds.yaml"), filepath.Join(dir, "cm", "..data")}
	if c.target != wantTarget || !slices.Equal(c.links, wantLinks) {
		t.Errorf("resolveLinks = %+v\nwant target %s, links %v", c, wantTarget, wantLinks)
	}
	wantDirs := []string{filepath.Join(dir, "cm", "..2024_05_01"), filepath.Join(dir, "etc"), filepath.Join(dir, "cm")}
	if got := c.dirs(); !slices.Equal(got, wantDirs) {
		t.Errorf("dirs = %v, want %v", got, wantDirs)
	}
	if !c.concerns(filepath.Join(dir, "cm", "..data")) || c.concerns(filepath.Join(dir, "cm", "..data_tmp")) {
		t.Error("concerns: want ..data, not ..data_tmp")
	}

	if c, err := resolveLinks(filepath.Join(dir, "plain.yaml")); err != nil || len(c.links) != 0 || c.target != filepath.Join(dir, "plain.yaml") {
		t.Errorf("plain file: %+v, %v", c, err)
	}
	// A dangling link: the missing name it leads to is where to watch.
	symlink(t, "..data/password", filepath.Join(dir, "cm", "password"))
	c, err = resolveLinks(filepath.Join(dir, "cm", "password"))
	if want := filepath.Join(dir, "cm", "..2024_05_01", "password"); err == nil || c.target != want {
		t.Errorf("dangling link: %+v, %v; want target %s and an error", c, err, want)
	}
	symlink(t, "loop", filepath.Join(dir, "loop"))
	if _, err := resolveLinks(filepath.Join(dir, "loop")); err == nil {
		t.Error("a link to itself resolved")
	}
}

// TestWatchFollowsALinkToAMissingFile repoints a watched link at a file
// in another directory that does not exist yet, then creates the file:
// the watch sees it appear, though the link's old chain never passed
// that directory.
func TestWatchFollowsALinkToAMissingFile(t *testing.T) {
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"etc", "old", "new"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "old", "password"), []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "etc", "password")
	symlink(t, "../old/password", link)
	w, err := fsnotify.NewWatcher()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	cw := &configWatch{w: w, paths: []string{link}}
	if err := cw.follow(); err != nil {
		t.Fatal(err)
	}

	// Repoint the link as an editor would: a new link renamed over it.
	symlink(t, "../new/password", link+".tmp")
	if err := os.Rename(link+".tmp", link); err != nil {
		t.Fatal(err)
	}
	waitChange(t, cw, link)
	if !slices.Contains(cw.watched, filepath.Join(dir, "new")) {
		t.Fatalf("watching %v: not the directory the link now points into", cw.watched)
	}
	if err := os.WriteFile(filepath.Join(dir, "new", "password"), []byte("new"), 0o600); err != nil {
		t.Fatal(err)
	}
	waitChange(t, cw, filepath.Join(dir, "new", "password"))
}

// waitChange reads cw's events until one on name counts as a change.
func waitChange(t *testing.T, cw *configWatch, name string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case ev := <-cw.w.Events:
			if cw.changed(filepath.Clean(ev.Name)) && filepath.Clean(ev.Name) == name {
				return
			}
		case err := <-cw.w.Errors:
			t.Fatal(err)
		case <-deadline:
			t.Fatalf("no change seen on %s within 10s", name)
		}
	}
}

// TestWatchIgnoresItsNeighbours writes to a database beside feeds.yaml, as
// village's default layout has it: SQLite's writes make an event each,
// and none may cost a look at the files the watch follows. An edit of
// feeds.yaml that follows them still counts.
func TestWatchIgnoresItsNeighbours(t *testing.T) {
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	config, wal := filepath.Join(dir, "feeds.yaml"), filepath.Join(dir, "village.db-wal")
	if err := os.WriteFile(config, []byte("title: a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	cw := &configWatch{w: w, paths: []string{config}}
	if err := cw.follow(); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(wal)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		if _, err := f.WriteAt([]byte("page"), int64(i)*4096); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(config, []byte("title: b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	walEvents := 0
	deadline := time.After(10 * time.Second)
	for {
		select {
		case ev := <-w.Events:
			name, before := filepath.Clean(ev.Name), cw.follows
			changed := cw.changed(name)
			if name == wal {
				walEvents++
				if changed || cw.follows != before {
					t.Fatalf("an event on %s counted as a change (%v) or resolved the config again", ev, changed)
				}
			}
			if changed && name == config {
				if walEvents == 0 {
					t.Fatal("no event on the database's file came before the edit: nothing was tested")
				}
				return
			}
		case err := <-w.Errors:
			t.Fatal(err)
		case <-deadline:
			t.Fatal("no change seen on feeds.yaml within 10s")
		}
	}
}
