package daemon

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
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
