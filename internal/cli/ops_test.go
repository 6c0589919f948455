package cli

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/store"
)

// opsPlanet is a feeds.yaml in a temp directory whose sources are served
// by srv: /five.xml (five dated posts), /moved.xml (301 to /five.xml) and
// /gone.xml (410). hits counts requests for /gone.xml.
type opsPlanet struct {
	cfg, dir string
	srv      *httptest.Server
	goneHits atomic.Int32
}

func newOpsPlanet(t *testing.T, feeds ...string) *opsPlanet {
	t.Helper()
	p := &opsPlanet{dir: t.TempDir()}
	var items []string
	for i := 1; i <= 5; i++ {
		items = append(items, rssItem(fmt.Sprintf("p%d", i), fmt.Sprintf("https://blog.example/p%d", i),
			time.Date(2024, 1, i, 0, 0, 0, 0, time.UTC).Format(time.RFC1123Z)))
	}
	five := rssItems(items...)
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/five.xml":
			fmt.Fprint(w, five)
		case "/moved.xml":
			http.Redirect(w, r, "/five.xml", http.StatusMovedPermanently)
		case "/gone.xml":
			p.goneHits.Add(1)
			http.Error(w, "closed", http.StatusGone)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(p.srv.Close)
	p.cfg = filepath.Join(p.dir, "feeds.yaml")
	var b strings.Builder
	b.WriteString("# ops test planet\nallow_private_networks: true\nfeeds:\n")
	for _, f := range feeds {
		fmt.Fprintf(&b, "  - name: %s\n    url: %s/%s\n", strings.TrimSuffix(f, ".xml"), p.srv.URL, f)
	}
	writeFile(t, p.cfg, b.String())
	return p
}

func (p *opsPlanet) run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return run(t, append(args, "--config", p.cfg, "--log-level", "error")...)
}

func (p *opsPlanet) count(t *testing.T) int {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(p.dir, "village.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	n, err := st.CountEntries(context.Background(), store.Query{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestFetchPlainLinesWhenNotATerminal(t *testing.T) {
	p := newOpsPlanet(t, "five.xml", "moved.xml", "gone.xml")
	out, err := os.Create(filepath.Join(t.TempDir(), "out.txt")) // a file is no terminal either
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	var stderr strings.Builder
	if code := Main(context.Background(), []string{"fetch", "--config", p.cfg, "--log-level", "error"}, out, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	b, _ := os.ReadFile(out.Name())
	got := string(b)
	if strings.ContainsAny(got, "\r\x1b") {
		t.Errorf("plain output has terminal control characters: %q", got)
	}
	lines := strings.Split(strings.TrimSpace(got), "\n")
	if len(lines) != 4 {
		t.Fatalf("want one line per source and a total, got %d:\n%s", len(lines), got)
	}
	// five.xml and moved.xml are one feed: whichever is stored first has
	// the five posts as new, the other as duplicates.
	var news, dups int
	for _, line := range lines {
		if strings.Contains(line, "/five.xml>") || strings.Contains(line, "/moved.xml>") {
			news += strings.Count(line, "new   5  ")
			dups += strings.Count(line, "duplicates   5  ")
		}
	}
	if news != 1 || dups != 1 {
		t.Errorf("want the one feed's five posts new once and duplicates once:\n%s", got)
	}
	for _, want := range []string{
		"ok        200  new   ",
		fmt.Sprintf(`moved permanently: in feeds.yaml, change "url: %[1]s/moved.xml" to "url: %[1]s/five.xml"`, p.srv.URL),
		fmt.Sprintf(`gone      410  new   0  updated   0  duplicates   0  gone <%s/gone.xml>`, p.srv.URL),
		"total: 3 sources: 1 ok, 0 unchanged, 1 moved, 1 gone, 0 failed; 5 new",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}

	// The gone source is not asked again; the file is left as it was.
	before, _ := os.ReadFile(p.cfg)
	code, stdout, _ := p.run(t, "fetch")
	if code != 0 || p.goneHits.Load() != 1 {
		t.Errorf("second fetch: exit %d, %d requests for the gone feed; want 1", code, p.goneHits.Load())
	}
	if !strings.Contains(stdout, "gone      410") || !strings.Contains(stdout, "delete") {
		t.Errorf("second fetch does not report the gone source:\n%s", stdout)
	}
	if after, _ := os.ReadFile(p.cfg); string(after) != string(before) {
		t.Error("fetch rewrote feeds.yaml")
	}
}

func TestPruneCommand(t *testing.T) {
	p := newOpsPlanet(t, "five.xml")
	if code, _, stderr := p.run(t, "fetch"); code != 0 {
		t.Fatal(stderr)
	}
	for _, tc := range []struct {
		args     []string
		code     int
		out, err string
	}{
		{[]string{"prune"}, 1, "", "nothing to prune by"},
		{[]string{"prune", "--max-age", "3h"}, 1, "", "--max-age: must be at least 1d"},
		{[]string{"prune", "--max-age", "soon"}, 1, "", `--max-age: expected a duration like "90d"`},
		{[]string{"prune", "--max-entries", "0"}, 1, "", "--max-entries: must be at least 1"},
		// Item key and URL each; "Some text." is too short for a content hash.
		{[]string{"prune", "--max-entries", "2"}, 0, "pruned 3 entries (6 new tombstones)", ""},
		{[]string{"prune", "--max-entries", "2"}, 0, "pruned 0 entries", ""},
	} {
		code, stdout, stderr := p.run(t, tc.args...)
		if code != tc.code || !strings.Contains(stdout, tc.out) || !strings.Contains(stderr, tc.err) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want %d, %q, %q", tc.args, code, stdout, stderr, tc.code, tc.out, tc.err)
		}
	}
	if n := p.count(t); n != 2 {
		t.Fatalf("%d entries after prune; want 2", n)
	}
	// The source still lists all five: the three pruned stay out.
	if _, stdout, _ := p.run(t, "fetch"); !strings.Contains(stdout, "; 0 new") || p.count(t) != 2 {
		t.Errorf("fetch after prune brought entries back (%d stored):\n%s", p.count(t), stdout)
	}
}

func TestPruneUsesFeedsYAMLRetention(t *testing.T) {
	p := newOpsPlanet(t, "five.xml")
	cfg, _ := os.ReadFile(p.cfg)
	writeFile(t, p.cfg, string(cfg)+"retention:\n  max_entries: 4\n")
	p.run(t, "fetch")
	if code, stdout, stderr := p.run(t, "prune"); code != 0 || !strings.Contains(stdout, "pruned 1 entries") {
		t.Errorf("prune with retention in feeds.yaml: exit %d, %q %q", code, stdout, stderr)
	}
}

func TestBackupCommand(t *testing.T) {
	p := newOpsPlanet(t, "five.xml")
	p.run(t, "fetch")
	dst := filepath.Join(t.TempDir(), "copy.db")
	code, stdout, stderr := p.run(t, "backup", dst)
	if code != 0 || !strings.Contains(stdout, "backed up") {
		t.Fatalf("backup: exit %d, %q %q", code, stdout, stderr)
	}
	st, err := store.Open(context.Background(), dst)
	if err != nil {
		t.Fatal(err)
	}
	n, err := st.CountEntries(context.Background(), store.Query{})
	st.Close()
	if err != nil || n != 5 {
		t.Errorf("the backup holds %d entries (%v); want 5", n, err)
	}
	if code, _, stderr := p.run(t, "backup", dst); code != 1 || !strings.Contains(stderr, "exists") {
		t.Errorf("backup over an existing file: exit %d, stderr %q; want a refusal", code, stderr)
	}
	if code, _, _ := p.run(t, "backup"); code == 0 {
		t.Error("backup without FILE succeeded")
	}
}

func TestCompletion(t *testing.T) {
	for _, tc := range []struct{ shell, want string }{
		{"bash", "bash completion V2 for village"},
		{"zsh", "#compdef village"},
		{"fish", "fish completion for village"},
		{"powershell", "powershell completion for village"},
	} {
		code, stdout, stderr := run(t, "completion", tc.shell)
		if code != 0 || !strings.Contains(stdout, tc.want) {
			t.Errorf("completion %s: exit %d, stderr %q, output starts %.80q", tc.shell, code, stderr, stdout)
		}
	}
	// The scripts complete village's own verbs.
	code, stdout, _ := run(t, "__complete", "pru")
	if code != 0 || !strings.Contains(stdout, "prune") {
		t.Errorf("__complete pru: exit %d, %q", code, stdout)
	}
	code, stdout, _ = run(t, "__complete", "check", "--fe")
	if code != 0 || !strings.Contains(stdout, "--fetch") {
		t.Errorf("__complete check --fe: exit %d, %q", code, stdout)
	}
}
