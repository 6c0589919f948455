package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/villagefeeds/village/internal/config"
)

const blogAtom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom  Blog</title><id>urn:blog</id>
<link href="/"/><updated>2024-01-02T00:00:00Z</updated>
<entry><id>urn:1</id><title>One</title><link href="/1"/><updated>2024-01-01T00:00:00Z</updated>
<content type="html">&lt;p&gt;The first post of the blog, long enough to be hashed as a post.&lt;/p&gt;</content></entry>
<entry><id>urn:2</id><title>Two</title><link href="/2"/><updated>2024-01-02T00:00:00Z</updated>
<content type="html">&lt;p&gt;The second post of the blog, also long enough to be hashed.&lt;/p&gt;</content></entry>
</feed>`

const blogRSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>RSS Blog</title>
<link>https://rss.example/</link><description>d</description></channel></rss>`

// blogPage is a home page naming its feeds; the first feed-typed link works.
const blogPage = `<!doctype html><html><head><title>Blog</title>
<link rel="alternate" type="text/html" hreflang="fr" href="/fr/">
<link rel="alternate" type="application/atom+xml" href="feed.atom">
<link rel="alternate" type="application/rss+xml" href="/feed.rss">
</head><body></body></html>`

// blogServer serves pages by path and 404 for anything else.
func blogServer(t *testing.T, pages map[string]string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// commented copies testdata/sources/feeds.yaml, a commented planet, into
// a temporary directory and returns its path and text.
func commented(t *testing.T) (string, string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "sources", "feeds.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "feeds.yaml")
	writeFile(t, path, string(data))
	return path, string(data)
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// insertAfter returns text with add inserted after the first line equal
// to line, failing the test when there is none.
func insertAfter(t *testing.T, text, line, add string) string {
	t.Helper()
	if !strings.Contains(text, line+"\n") {
		t.Fatalf("no line %q", line)
	}
	return strings.Replace(text, line+"\n", line+"\n"+add, 1)
}

func TestAddDiscoversTheFeedAndKeepsTheFile(t *testing.T) {
	srv := blogServer(t, map[string]string{"/": blogPage, "/feed.atom": blogAtom, "/feed.rss": blogRSS})
	cfg, orig := commented(t)
	code, stdout, stderr := run(t, "add", srv.URL+"/", "--tag", "Go", "--tag", "community", "-c", cfg)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, `added "Atom Blog" <`+srv.URL+`/feed.atom>`) {
		t.Errorf("stdout %q", stdout)
	}
	want := insertAfter(t, orig, "    interval: 1h",
		"  - name: Atom Blog\n    url: "+srv.URL+"/feed.atom\n    homepage: "+srv.URL+"/\n    tags: [go, community]\n")
	if got := readFile(t, cfg); got != want {
		t.Errorf("feeds.yaml:\n%s\nwant:\n%s", got, want)
	}
}

func TestAddWithName(t *testing.T) {
	srv := blogServer(t, map[string]string{"/rss": blogRSS})
	cfg, orig := commented(t)
	if code, _, stderr := run(t, "add", srv.URL+"/rss", "--name", "Bob: yes", "-c", cfg); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := insertAfter(t, orig, "    interval: 1h",
		"  - name: 'Bob: yes'\n    url: "+srv.URL+"/rss\n    homepage: https://rss.example/\n")
	if got := readFile(t, cfg); got != want {
		t.Errorf("feeds.yaml:\n%s\nwant:\n%s", got, want)
	}
}

func TestAddRefuses(t *testing.T) {
	srv := blogServer(t, map[string]string{"/": blogPage, "/feed.atom": blogAtom, "/feed.rss": blogRSS, "/none": "<html></html>"})
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"listed, written differently", []string{"http://KUBERNETES.io/feed.xml/"}, "feeds.yaml:9 as <https://kubernetes.io/feed.xml>"},
		{"listed, found from its page", []string{srv.URL + "/"}, "feeds.yaml:25 as <" + srv.URL + "/feed.atom>"},
		{"name taken", []string{srv.URL + "/feed.rss", "--name", "ospo"}, `feeds.yaml:22; choose another with --name`},
		{"no feed", []string{srv.URL + "/none"}, srv.URL + "/none: no feed found"},
		{"bad tag", []string{srv.URL + "/", "--tag", "-x"}, `--tag "-x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, _ := commented(t)
			// The blog's feed is listed already (line 25) for the second case.
			writeFile(t, cfg, insertAfter(t, readFile(t, cfg), "    interval: 1h", "  - url: "+srv.URL+"/feed.atom\n"))
			before := readFile(t, cfg)
			code, _, stderr := run(t, append([]string{"add", "-c", cfg}, tt.args...)...)
			if code != 1 || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want 1 and %q", code, stderr, tt.want)
			}
			if got := readFile(t, cfg); got != before {
				t.Errorf("feeds.yaml changed:\n%s", got)
			}
		})
	}
}

func TestRemove(t *testing.T) {
	tests := []struct {
		arg, gone string
	}{
		{"alice: NOTES", "  # Alice posts weekly; her old Blogger feed is gone.\n  - name: \"Alice: notes\"\n" +
			"    url: https://alice.example.net/atom.xml   # moved here in 2023\n    tags:\n      - go\n      - notes\n    # interval: 2h\n\n"},
		{"http://ospo.example.com/blog/index.xml", "  - name: OSPO\n    url: https://ospo.example.com/blog/index.xml\n    interval: 1h\n\n"},
		{"Kubernetes Blog", "  # Core project blogs\n  - name: Kubernetes Blog\n    url: https://kubernetes.io/feed.xml\n" +
			"    homepage: https://kubernetes.io/blog/\n    tags: [k8s, project]\n\n"},
	}
	for _, tt := range tests {
		t.Run(tt.arg, func(t *testing.T) {
			cfg, orig := commented(t)
			code, stdout, stderr := run(t, "remove", tt.arg, "-c", cfg)
			if code != 0 || !strings.HasPrefix(stdout, "removed ") {
				t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
			}
			if !strings.Contains(orig, tt.gone) {
				t.Fatalf("fixture lacks %q", tt.gone)
			}
			want := strings.Replace(orig, tt.gone, "", 1)
			if got := readFile(t, cfg); got != want {
				t.Errorf("feeds.yaml:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestRemoveUnknown(t *testing.T) {
	cfg, orig := commented(t)
	code, _, stderr := run(t, "remove", "nobody", "-c", cfg)
	if code != 1 || !strings.Contains(stderr, `no source named "nobody"`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if readFile(t, cfg) != orig {
		t.Error("feeds.yaml changed")
	}
}

type sourceView struct {
	Name, URL, Homepage string
	Tags                []string
}

func sourcesOf(t *testing.T, path string) []sourceView {
	t.Helper()
	c, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]sourceView, len(c.Feeds))
	for i, f := range c.Feeds {
		out[i] = sourceView{f.Name, f.URL, f.Homepage, f.Tags}
	}
	return out
}

func TestExportImportRoundTrip(t *testing.T) {
	from, _ := commented(t)
	code, exported, stderr := run(t, "export", "-c", from)
	if code != 0 || !strings.Contains(exported, `<outline text="Alice: notes" title="Alice: notes" type="rss" xmlUrl="https://alice.example.net/atom.xml" category="go,notes">`) {
		t.Fatalf("export: exit %d, stderr %q, stdout:\n%s", code, stderr, exported)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "planet.opml")
	writeFile(t, file, exported)
	to := filepath.Join(dir, "feeds.yaml")
	writeFile(t, to, "# A new planet.\ntitle: Copy\n")

	code, stdout, stderr := run(t, "import", file, "-c", to)
	if code != 0 || !strings.Contains(stdout, "imported 3 sources") {
		t.Fatalf("import: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if got, want := sourcesOf(t, to), sourcesOf(t, from); !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
	}
	if text := readFile(t, to); !strings.HasPrefix(text, "# A new planet.\ntitle: Copy\nfeeds:\n  - name: Kubernetes Blog\n") {
		t.Errorf("imported file:\n%s", text)
	}

	// Importing again adds nothing and says why.
	before := readFile(t, to)
	code, stdout, _ = run(t, "import", file, "-c", to)
	if code != 0 || strings.Count(stdout, "feeds.yaml:") != 3 || !strings.Contains(stdout, "imported 0 sources") {
		t.Errorf("second import: exit %d, stdout:\n%s", code, stdout)
	}
	if readFile(t, to) != before {
		t.Error("second import changed feeds.yaml")
	}
}

func TestImportFoldersAndDuplicates(t *testing.T) {
	cfg, orig := commented(t)
	file := filepath.Join(t.TempDir(), "reader.opml")
	writeFile(t, file, `<?xml version="1.0"?>
<opml version="1.0"><head><title>Reader</title></head><body>
  <outline text="Open Source">
    <outline text="Carol" type="rss" xmlUrl="https://carol.example/feed" htmlUrl="https://carol.example/" category="Café,/Tech/Cloud Native"/>
    <outline text="K8s again" xmlUrl="http://kubernetes.io/feed.xml"/>
  </outline>
  <outline text="ospo" xmlUrl="https://other-ospo.example/rss"/>
  <outline text="https://dave.example/atom" xmlUrl="https://dave.example/atom"/>
  <outline text="Carol twice" xmlUrl="https://carol.example/feed/"/>
  <outline text="Broken" xmlUrl="feed.xml"/>
</body></opml>`)
	code, stdout, stderr := run(t, "import", file, "-c", cfg)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"skipped <http://kubernetes.io/feed.xml>: already listed at " + cfg + ":9",
		"skipped <https://carol.example/feed/>: repeated in " + file,
		"skipped <feed.xml>: not an absolute http(s) URL",
		"imported 3 sources from " + file + " into " + cfg + ", skipped 3",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	want := insertAfter(t, orig, "    interval: 1h",
		"  - name: Carol\n    url: https://carol.example/feed\n    homepage: https://carol.example/\n    tags: [cafe, tech, cloud-native, open-source]\n"+
			"  - url: https://other-ospo.example/rss\n"+
			"  - url: https://dave.example/atom\n")
	if got := readFile(t, cfg); got != want {
		t.Errorf("feeds.yaml:\n%s\nwant:\n%s", got, want)
	}
}

func TestFeedsShowsHealthFromTheStore(t *testing.T) {
	srv := blogServer(t, map[string]string{"/a.atom": blogAtom, "/c.rss": blogRSS})
	dir := t.TempDir()
	cfg := filepath.Join(dir, "feeds.yaml")
	writeFile(t, cfg, "database: planet.db\nallow_private_networks: true\nfeeds:\n  - name: A\n    url: "+srv.URL+"/a.atom\n  - name: B\n    url: "+srv.URL+"/b.xml\n")

	// Without a database every source is new, and none is created.
	code, stdout, stderr := run(t, "feeds", "--json", "-c", cfg)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if rows := decodeRows(t, stdout); len(rows) != 2 || rows[0].State != "new" || rows[1].State != "new" {
		t.Errorf("before any fetch: %+v", rows)
	}
	if _, err := os.Stat(filepath.Join(dir, "planet.db")); err == nil {
		t.Error("feeds created the database")
	}

	run(t, "fetch", "-c", cfg, "--log-level", "error")
	if code, _, stderr := run(t, "add", srv.URL+"/c.rss", "-c", cfg); code != 0 {
		t.Fatalf("add: %s", stderr)
	}
	code, stdout, stderr = run(t, "feeds", "--json", "-c", cfg)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rows := decodeRows(t, stdout)
	if len(rows) != 3 {
		t.Fatalf("%d rows: %s", len(rows), stdout)
	}
	a, b, c := rows[0], rows[1], rows[2]
	if a.Name != "A" || a.State != "ok" || a.Entries != 2 || a.ErrorCount != 0 || a.LastSuccess == nil || a.NextCheck == nil || a.LastStatus != 200 {
		t.Errorf("A: %+v", a)
	}
	if b.State != "failing" || b.ErrorCount != 1 || b.LastStatus != 404 || !strings.Contains(b.LastError, "404") || b.LastSuccess != nil {
		t.Errorf("B: %+v", b)
	}
	if c.Name != "RSS Blog" || c.State != "new" || c.URL != srv.URL+"/c.rss" || c.Entries != 0 {
		t.Errorf("C: %+v", c)
	}

	code, stdout, _ = run(t, "feeds", "-c", cfg)
	if code != 0 || !strings.HasPrefix(stdout, "NAME") || !strings.Contains(stdout, "failing") || !strings.Contains(stdout, "never") {
		t.Errorf("table: exit %d:\n%s", code, stdout)
	}
}

func decodeRows(t *testing.T, out string) []feedRow {
	t.Helper()
	var rows []feedRow
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("feeds --json: %v\n%s", err, out)
	}
	return rows
}

func TestTagify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Go", "go"},
		{"Open Source", "open-source"},
		{"Café  & Crème", "cafe-creme"},
		{"._-x", "x"},
		{"日本", ""},
		{"v1.2_beta", "v1.2_beta"},
	}
	for _, tt := range tests {
		got := tagify(tt.in)
		if got != tt.want {
			t.Errorf("tagify(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got != "" && !config.ValidTag(got) {
			t.Errorf("tagify(%q) = %q is not a valid tag", tt.in, got)
		}
	}
}
