package daemon

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReloadThroughASymlink edits the file a symlinked feeds.yaml points
// to, in another directory, as an editor does (write and rename): the
// daemon reloads it.
func TestReloadThroughASymlink(t *testing.T) {
	srv := newFeedServer(t)
	dir := t.TempDir()
	real := filepath.Join(dir, "shared", "feeds.yaml")
	link := filepath.Join(dir, "etc", "feeds.yaml")
	for _, d := range []string{filepath.Dir(real), filepath.Dir(link)} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeConfig(t, real, srv.URL, communityFeeds[2])
	symlink(t, "../shared/feeds.yaml", link)
	p := runPlanet(t, link, srv)
	p.waitFeed("the OSPO posts", hasEntries(10))

	writeConfig(t, real, srv.URL, communityFeeds[2], communityFeeds[3])
	p.waitEvent("reloaded")
	p.waitFeed("the series posts too", moreThan(10))
}

// TestReloadOnConfigMapSwap lays feeds.yaml out as Kubernetes mounts a
// ConfigMap and swaps it as the kubelet does: a new timestamped directory,
// a new ..data link renamed over the old, the old directory removed.
func TestReloadOnConfigMapSwap(t *testing.T) {
	srv := newFeedServer(t)
	dir := t.TempDir()
	version := func(name string, feeds ...string) {
		if err := os.Mkdir(filepath.Join(dir, name), 0o755); err != nil {
			t.Fatal(err)
		}
		writeConfig(t, filepath.Join(dir, name, "feeds.yaml"), srv.URL, feeds...)
	}
	version("..2024_05_01_12_00_00.1", communityFeeds[2])
	symlink(t, "..2024_05_01_12_00_00.1", filepath.Join(dir, "..data"))
	symlink(t, "..data/feeds.yaml", filepath.Join(dir, "feeds.yaml"))
	p := runPlanet(t, filepath.Join(dir, "feeds.yaml"), srv)
	p.waitFeed("the OSPO posts", hasEntries(10))

	version("..2024_05_02_12_00_00.2", communityFeeds[2], communityFeeds[3])
	symlink(t, "..2024_05_02_12_00_00.2", filepath.Join(dir, "..data_tmp"))
	if err := os.Rename(filepath.Join(dir, "..data_tmp"), filepath.Join(dir, "..data")); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(dir, "..2024_05_01_12_00_00.1")); err != nil {
		t.Fatal(err)
	}
	p.waitEvent("reloaded")
	p.waitFeed("the series posts too", moreThan(10))
}

func moreThan(n int) func(atomFeed) bool {
	return func(f atomFeed) bool { return len(f.Entries) > n }
}

// TestHealthzHidesPaths removes feeds.yaml under a running daemon: /healthz
// says the file is missing without the directory it lives in.
func TestHealthzHidesPaths(t *testing.T) {
	p := startPlanet(t, communityFeeds[2])
	p.waitFeed("the OSPO posts", hasEntries(10))
	if err := os.Remove(p.config); err != nil {
		t.Fatal(err)
	}
	p.waitEvent("reload_failed")
	body := getBody(t, p.base+"/healthz")
	if !strings.Contains(body, "feeds.yaml: no such file or directory") || strings.Contains(body, filepath.Dir(p.config)) {
		t.Errorf("healthz = %s; want the missing file named without its directory", body)
	}
}

// TestEditWhileTheWatchBegins edits feeds.yaml after the daemon read it but
// before its watch began, so that no event tells of the edit: the daemon
// reads the file again once it watches, and applies the edit.
func TestEditWhileTheWatchBegins(t *testing.T) {
	srv := newFeedServer(t)
	config := filepath.Join(t.TempDir(), "feeds.yaml")
	writeConfig(t, config, srv.URL, communityFeeds[2])
	watchStarting = func(path string) {
		if path == config {
			writeConfig(t, config, srv.URL, communityFeeds[2], communityFeeds[3])
		}
	}
	t.Cleanup(func() { watchStarting = nil })
	p := runPlanet(t, config, srv)
	p.waitEvent("reloaded")
	p.waitFeed("the series posts too", moreThan(10))
}

// TestUnchangedConfigIsNotReloaded: at a start without an edit, the file
// read again is the config in force, so the watch does not reload it.
func TestUnchangedConfigIsNotReloaded(t *testing.T) {
	p := startPlanet(t, communityFeeds[2])
	p.waitFeed("the OSPO posts", hasEntries(10))
	if p.d.configMoved() {
		t.Error("feeds.yaml as it was read counts as edited")
	}
	writeConfig(t, p.config, p.sources, communityFeeds[2], communityFeeds[3])
	if !p.d.configMoved() {
		t.Error("an edited feeds.yaml counts as the one in force")
	}
}
