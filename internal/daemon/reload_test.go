package daemon

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
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

// TestReloadSetsBusyRate edits busy_rate: the running server paces
// answers at the new rate without a restart.
func TestReloadSetsBusyRate(t *testing.T) {
	p := startPlanet(t, communityFeeds[2])
	p.waitFeed("the OSPO posts", hasEntries(10))
	if got := p.d.pacer.Rate(); got != 100 {
		t.Fatalf("busy rate %d at start, want the default 100", got)
	}
	writeConfig(t, p.config, p.sources, communityFeeds[2])
	cfg, err := os.ReadFile(p.config)
	if err != nil {
		t.Fatal(err)
	}
	tmp := p.config + ".tmp"
	if err := os.WriteFile(tmp, append([]byte("busy_rate: 5\n"), cfg...), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, p.config); err != nil {
		t.Fatal(err)
	}
	p.waitEvent("reloaded")
	if got := p.d.pacer.Rate(); got != 5 {
		t.Errorf("busy rate %d after the edit, want 5", got)
	}
}

// TestReloadOnSecretSwap mounts a feed's password_file as Kubernetes
// mounts a Secret, and rotates it as the kubelet does: the daemon reads
// the new password without a restart or an edit of feeds.yaml.
func TestReloadOnSecretSwap(t *testing.T) {
	m := mountSecret(t)
	p := launch(t, m.config, m.feedURL)
	if e := p.waitEvent("refreshed"); e.Err == nil {
		t.Fatal("the first poll, with the old password, succeeded")
	}

	m.version("..2024_05_02_12_00_00.2", "new secret")
	symlink(t, "..2024_05_02_12_00_00.2", filepath.Join(m.dir, "..data_tmp"))
	if err := os.Rename(filepath.Join(m.dir, "..data_tmp"), filepath.Join(m.dir, "..data")); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(m.dir, "..2024_05_01_12_00_00.1")); err != nil {
		t.Fatal(err)
	}
	p.waitEvent("reloaded")
	p.d.PollNow()
	p.waitFeed("the members' post", hasEntries(1))
}

// TestPasswordFileGoneAsTheWatchBegins removes the Secret after the
// daemon read it but before its watch began (as a swap caught half done
// looks), then mounts a new one: the watch did not give up on the missing
// file, and the daemon reads the new password.
func TestPasswordFileGoneAsTheWatchBegins(t *testing.T) {
	m := mountSecret(t)
	watchStarting = func(path string) {
		if path == m.config {
			if err := os.Remove(filepath.Join(m.dir, "password")); err != nil {
				t.Error(err)
			}
		}
	}
	t.Cleanup(func() { watchStarting = nil })
	p := launch(t, m.config, m.feedURL)
	if e := p.waitEvent("reload_failed"); !strings.Contains(e.Err.Error(), "cannot read the password") {
		t.Fatalf("reload without the password file: %v", e.Err)
	}

	m.version("..2024_05_02_12_00_00.2", "new secret")
	if err := os.Remove(filepath.Join(m.dir, "..data")); err != nil {
		t.Fatal(err)
	}
	symlink(t, "..2024_05_02_12_00_00.2", filepath.Join(m.dir, "..data"))
	symlink(t, "..data/password", filepath.Join(m.dir, "password"))
	p.waitEvent("reloaded")
	p.d.PollNow()
	p.waitFeed("the members' post", hasEntries(1))
}

// secretMount is a feeds.yaml whose one feed, on a loopback server that
// wants the password "new secret", reads its password_file from a
// directory laid out as Kubernetes mounts a Secret; the password mounted
// is "old secret".
type secretMount struct {
	t       *testing.T
	dir     string // the Secret's mount
	config  string // feeds.yaml
	feedURL string
}

func mountSecret(t *testing.T) *secretMount {
	const feed = `<rss version="2.0"><channel><title>Members</title><link>https://members.example/</link>
<item><guid>m1</guid><link>https://members.example/1</link><title>For members</title><description>Only for members.</description></item>
</channel></rss>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if user, pass, ok := r.BasicAuth(); !ok || user != "reader" || pass != "new secret" {
			http.Error(w, "who are you?", http.StatusUnauthorized)
			return
		}
		io.WriteString(w, feed)
	}))
	t.Cleanup(srv.Close)
	m := &secretMount{t: t, dir: t.TempDir(), config: filepath.Join(t.TempDir(), "feeds.yaml"), feedURL: srv.URL}
	m.version("..2024_05_01_12_00_00.1", "old secret")
	symlink(t, "..2024_05_01_12_00_00.1", filepath.Join(m.dir, "..data"))
	symlink(t, "..data/password", filepath.Join(m.dir, "password"))
	yaml := fmt.Sprintf("title: Test Planet\nlink: https://planet.example.org/\nallow_private_networks: true\ndatabase: village.db\n"+
		"feeds:\n  - name: Members\n    url: %s/feed.xml\n    username: reader\n    password_file: %s\n",
		srv.URL, filepath.Join(m.dir, "password"))
	if err := os.WriteFile(m.config, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return m
}

// version writes a timestamped directory of the Secret holding password.
func (m *secretMount) version(name, password string) {
	m.t.Helper()
	if err := os.Mkdir(filepath.Join(m.dir, name), 0o700); err != nil {
		m.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(m.dir, name, "password"), []byte(password+"\n"), 0o600); err != nil {
		m.t.Fatal(err)
	}
}
