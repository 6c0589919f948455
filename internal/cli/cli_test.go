package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
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
		"failed    503",
		"total: 2 sources: 1 ok, 0 unchanged, 0 moved, 0 gone, 1 failed; 2 new, 0 updated, 0 duplicates",
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

	// The second pass gets the same bytes (the server ignores conditional
	// GET): the feed is unchanged, and nothing is stored twice.
	_, stdout, _ = run(t, "fetch", "--config", cfg, "--log-level", "error")
	if !strings.Contains(stdout, "unchanged 200  new   0") ||
		!strings.Contains(stdout, "total: 2 sources: 0 ok, 1 unchanged, 0 moved, 0 gone, 1 failed; 0 new") {
		t.Errorf("second fetch read the same body again, or stored entries again:\n%s", stdout)
	}
}

func TestServeRejectsAnInvalidConfig(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "feeds.yaml")
	writeFile(t, cfg, "feeds:\n  - url: https://a.example/feed\n    tags: [a, b\n")
	code, _, stderr := run(t, "serve", "--config", cfg)
	if code == 0 || !strings.Contains(stderr, `feeds.yaml:3: syntax error: a list opened with "[" on this line is not closed with "]"`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestBadLogFlags(t *testing.T) {
	if code, _, stderr := run(t, "fetch", "--log-format", "xml"); code == 0 || !strings.Contains(stderr, "--log-format") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestFetchAndFeedsReportOddItems: a feed whose items have neither guid nor
// link is stored, not dropped with "ok, new 0", and fetch and feeds say
// what village had to work around.
func TestFetchAndFeedsReportOddItems(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Odd</title><link>https://odd.example/</link>
<item><title>First</title><description>No guid, no link.</description><pubDate>Mon, 01 Jan 2024 00:00:00 +0000</pubDate></item>
<item><description>No title either: this sentence becomes one.</description></item>
<item></item>
</channel></rss>`)
	}))
	defer srv.Close()
	cfg := filepath.Join(t.TempDir(), "feeds.yaml")
	writeFile(t, cfg, fmt.Sprintf("allow_private_networks: true\nfeeds:\n  - name: Odd\n    url: %s/odd.xml\n", srv.URL))

	code, stdout, stderr := run(t, "fetch", "--config", cfg, "--log-level", "error")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"ok        200  new   2",
		"1 empty items skipped (no title, link, text or enclosure)",
		"2 items without id or link, known by title, date and text",
		"1 items without a title, titled from their first words",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("fetch output lacks %q:\n%s", want, stdout)
		}
	}
	if _, stdout, _ = run(t, "fetch", "--config", cfg, "--log-level", "error"); !strings.Contains(stdout, "; 0 new,") {
		t.Errorf("second fetch stored the items again:\n%s", stdout)
	}

	_, stdout, _ = run(t, "feeds", "--json", "--config", cfg)
	rows := decodeRows(t, stdout)
	if len(rows) != 1 || rows[0].Entries != 2 || len(rows[0].Notes) != 3 {
		t.Errorf("feeds --json: %+v", rows)
	}
	if _, stdout, _ = run(t, "feeds", "--config", cfg); !strings.Contains(stdout, "note: 1 empty items skipped") {
		t.Errorf("feeds table shows no note:\n%s", stdout)
	}
}

// TestFetchFull: a fetch after the first gets 304 from a server that
// honours validators; fetch --full sends none and reads the feed whole.
func TestFetchFull(t *testing.T) {
	var mu sync.Mutex
	var conditional []bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		conditional = append(conditional, r.Header.Get("If-None-Match") != "")
		mu.Unlock()
		w.Header().Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, `<rss version="2.0"><channel><title>Good</title><link>https://good.example.org/</link>`+
			`<item><title>One</title><link>https://good.example.org/one/</link><description>The first post.</description></item>`+
			`</channel></rss>`)
	}))
	t.Cleanup(srv.Close)
	cfg := filepath.Join(t.TempDir(), "feeds.yaml")
	writeFile(t, cfg, fmt.Sprintf("allow_private_networks: true\nfeeds:\n  - name: Good\n    url: %s/good.xml\n", srv.URL))
	for _, step := range []struct {
		args []string
		want string
	}{
		{[]string{"fetch"}, "ok        200  new   1"},
		{[]string{"fetch"}, "unchanged 304  new   0"},
		{[]string{"fetch", "--full"}, "ok        200  new   0"},
	} {
		_, stdout, _ := run(t, append(step.args, "--config", cfg, "--log-level", "error")...)
		if !strings.Contains(stdout, step.want) {
			t.Errorf("village %s: stdout lacks %q:\n%s", strings.Join(step.args, " "), step.want, stdout)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if want := []bool{false, true, false}; !slices.Equal(conditional, want) {
		t.Errorf("requests were conditional %v, want %v", conditional, want)
	}
}
