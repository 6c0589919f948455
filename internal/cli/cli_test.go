package cli

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run runs the command line as a user would and returns its exit status
// and outputs.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCheckReportsEveryProblemWithItsLine(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "feeds.yaml")
	writeFile(t, cfg, "title: T\nfeeds:\n  - name: a\n    url: not-a-url\n  - name: b\n    url: https://b.example.org/feed.xml\n    intervall: 1h\n")
	code, _, stderr := run(t, "check", "--config", cfg)
	if code != 1 {
		t.Errorf("exit status %d; want 1", code)
	}
	for _, want := range []string{
		"feeds.yaml:4: feeds[0].url: not an absolute http(s) URL",
		"feeds.yaml:7: feeds[1].intervall: unknown key",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

func TestCheckAcceptsAValidConfig(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "feeds.yaml")
	writeFile(t, cfg, "feeds:\n  - url: https://b.example.org/feed.xml\n")
	code, stdout, stderr := run(t, "check", "--config", cfg)
	if code != 0 || !strings.Contains(stdout, "ok, 1 sources") {
		t.Errorf("exit %d stdout %q stderr %q", code, stdout, stderr)
	}
}

func TestConfigFromEnvironment(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "planet.yaml")
	writeFile(t, cfg, "feeds:\n  - url: https://b.example.org/feed.xml\n")
	t.Setenv("VILLAGE_CONFIG", cfg)
	if code, stdout, _ := run(t, "check"); code != 0 || !strings.Contains(stdout, "planet.yaml") {
		t.Errorf("VILLAGE_CONFIG not used: exit %d, %q", code, stdout)
	}
}

func TestVersion(t *testing.T) {
	code, stdout, _ := run(t, "version")
	if code != 0 || !strings.HasPrefix(stdout, "village ") {
		t.Errorf("version: exit %d, %q", code, stdout)
	}
}

func TestHelpOnEveryVerb(t *testing.T) {
	for _, verb := range []string{"serve", "fetch", "check", "version", "add", "remove", "import", "export", "feeds", "build", "prune", "backup", "completion"} {
		code, stdout, _ := run(t, verb, "--help")
		if code != 0 || !strings.Contains(stdout, "Usage:") {
			t.Errorf("%s --help: exit %d, %q", verb, code, stdout)
		}
	}
}

func TestFetchPrintsALinePerSourceAndGoesOnAfterAFailure(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/broken.xml" {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Good</title><link>https://good.example.org/</link>
<item><title>One</title><link>https://good.example.org/one/</link><description>A short post.</description></item>
<item><title>Two</title><link>https://good.example.org/two/</link><description>Another short post.</description></item>
</channel></rss>`)
	}))
	defer srv.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "feeds.yaml")
	writeFile(t, cfg, fmt.Sprintf("output_dir: public\nallow_private_networks: true\nfeeds:\n  - name: Good\n    url: %s/good.xml\n  - name: Broken\n    url: %s/broken.xml\n", srv.URL, srv.URL))

	code, stdout, stderr := run(t, "fetch", "--config", cfg, "--log-level", "error")
	if code != 0 {
		t.Fatalf("exit %d; stderr %s", code, stderr)
	}
	wantLines := []string{
		"ok        200  new   2",
		"error     503",
		"total: 2 sources, 2 new, 0 updated, 0 duplicates, 1 failed",
	}
	for _, want := range wantLines {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if !strings.Contains(stdout, "Broken <"+srv.URL+"/broken.xml>: fetch "+srv.URL+"/broken.xml: http 503 Service Unavailable") {
		t.Errorf("the failing line does not name the feed and its error:\n%s", stdout)
	}
	atom, err := os.ReadFile(filepath.Join(dir, "public", "atom.xml"))
	if err != nil || !bytes.Contains(atom, []byte("https://good.example.org/two/")) {
		t.Errorf("output_dir/atom.xml not written with the entries: %v", err)
	}

	// The second pass stores nothing twice.
	_, stdout, _ = run(t, "fetch", "--config", cfg, "--log-level", "error")
	if !strings.Contains(stdout, "total: 2 sources, 0 new") {
		t.Errorf("second fetch stored entries again:\n%s", stdout)
	}
}

func TestServeRejectsAnInvalidConfig(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "feeds.yaml")
	writeFile(t, cfg, "feeds: []\n")
	code, _, stderr := run(t, "serve", "--config", cfg)
	if code == 0 || !strings.Contains(stderr, "feeds.yaml:1: feeds: no sources listed") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestBadLogFlags(t *testing.T) {
	if code, _, stderr := run(t, "fetch", "--log-format", "xml"); code == 0 || !strings.Contains(stderr, "--log-format") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
