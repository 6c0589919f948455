package site

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"flag"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func buildFixture(t *testing.T, static bool) []Doc {
	t.Helper()
	o := fixtureOptions
	o.Static = static
	docs, err := NewBuilder().Build(context.Background(), fixture(), o)
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

// TestGolden keeps every document of both forms of the fixture site under
// testdata/golden/{served,static}/, by file name.
func TestGolden(t *testing.T) {
	for _, mode := range []struct {
		name   string
		static bool
	}{{"served", false}, {"static", true}} {
		t.Run(mode.name, func(t *testing.T) {
			dir := filepath.Join("testdata", "golden", mode.name)
			docs := buildFixture(t, mode.static)
			if *update {
				os.RemoveAll(dir)
			}
			names := map[string]bool{}
			for _, d := range docs {
				name := filepath.FromSlash(d.File())
				names[name] = true
				path := filepath.Join(dir, name)
				if *update {
					os.MkdirAll(filepath.Dir(path), 0o755)
					os.WriteFile(path, d.Body, 0o644)
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Errorf("%s: %v (run with -update)", d.Key(), err)
					continue
				}
				if !bytes.Equal(d.Body, want) {
					t.Errorf("%s differs from %s (run with -update if intended)\n%s", d.Key(), path, d.Body)
				}
			}
			filepath.WalkDir(dir, func(path string, e os.DirEntry, err error) error {
				if err == nil && !e.IsDir() && !names[strings.TrimPrefix(path, dir+string(filepath.Separator))] {
					t.Errorf("%s is no longer built (run with -update)", path)
				}
				return nil
			})
		})
	}
}

func TestDeterministic(t *testing.T) {
	a, b := buildFixture(t, false), buildFixture(t, false)
	if len(a) != len(b) {
		t.Fatalf("%d docs, then %d", len(a), len(b))
	}
	for i := range a {
		if a[i].Key() != b[i].Key() || !bytes.Equal(a[i].Body, b[i].Body) {
			t.Errorf("doc %d (%s) differs between two builds", i, a[i].Key())
		}
	}
}

func TestDocuments(t *testing.T) {
	keys := map[string]string{}
	for _, d := range buildFixture(t, false) {
		if _, dup := keys[d.Key().String()]; dup {
			t.Errorf("%s built twice", d.Key())
		}
		keys[d.Key().String()] = d.ContentType
	}
	want := map[string]string{
		"/": TypeHTML, "/?page=2": TypeHTML, "/?page=3": TypeHTML,
		"/atom.xml": TypeAtom, "/atom.xml?page=2": TypeAtom, "/atom.xml?page=3": TypeAtom,
		"/rss.xml": TypeRSS, "/feed.json": TypeJSON, "/opml.xml": TypeOPML, "/style.css": TypeCSS,
		"/sources/alices-blog/": TypeHTML, "/sources/alices-blog/atom.xml": TypeAtom,
		"/sources/bob-co/": TypeHTML, "/sources/carol-example/": TypeHTML,
		"/tags/go/": TypeHTML, "/tags/go/atom.xml": TypeAtom, "/tags/go/rss.xml": TypeRSS, "/tags/go/feed.json": TypeJSON,
		"/tags/k8s/": TypeHTML,
	}
	for k, ct := range want {
		if keys[k] != ct {
			t.Errorf("%s: type %q, want %q", k, keys[k], ct)
		}
	}
}

func TestDocFile(t *testing.T) {
	tests := []struct {
		path string
		page int
		want string
	}{
		{"/", 1, "index.html"},
		{"/", 2, "page/2/index.html"},
		{"/sources/a/", 1, "sources/a/index.html"},
		{"/sources/a/", 3, "sources/a/page/3/index.html"},
		{"/atom.xml", 1, "atom.xml"},
		{"/atom.xml", 2, "atom-2.xml"},
		{"/tags/go/feed.json", 4, "tags/go/feed-4.json"},
		{"/v1.0/feed", 2, "v1.0/feed-2"},
	}
	for _, tt := range tests {
		if got := (Doc{Path: tt.path, Page: tt.page}).File(); got != tt.want {
			t.Errorf("File(%q, %d) = %q, want %q", tt.path, tt.page, got, tt.want)
		}
	}
}

var hrefRE = regexp.MustCompile(`(?:href|src)="([^"]*)"`)

// TestStaticLinksResolve serves the static site under a sub-path and
// follows every relative link of every page: each must name a file.
func TestStaticLinksResolve(t *testing.T) {
	docs := buildFixture(t, true)
	files := map[string]bool{}
	for _, d := range docs {
		files[d.File()] = true
	}
	base, _ := url.Parse("https://static.example/some/sub/path/")
	checked := 0
	for _, d := range docs {
		if d.ContentType != TypeHTML {
			continue
		}
		page := base.ResolveReference(&url.URL{Path: strings.TrimSuffix(d.File(), "index.html")})
		for _, m := range hrefRE.FindAllStringSubmatch(string(d.Body), -1) {
			ref, err := url.Parse(htmlUnescape(m[1]))
			if err != nil || ref.IsAbs() || strings.HasPrefix(m[1], "data:") || strings.HasPrefix(m[1], "#") {
				continue
			}
			if strings.HasPrefix(ref.Path, "/") || ref.RawQuery != "" {
				t.Errorf("%s: link %q is root-relative or has a query: it breaks on a static host", d.File(), m[1])
				continue
			}
			target := page.ResolveReference(ref)
			rel, ok := strings.CutPrefix(target.Path, base.Path)
			if !ok {
				t.Errorf("%s: link %q leaves the site: %s", d.File(), m[1], target)
				continue
			}
			if rel == "" || strings.HasSuffix(rel, "/") {
				rel += "index.html"
			}
			if !files[rel] {
				t.Errorf("%s: link %q leads to %s, which is not built", d.File(), m[1], rel)
			}
			checked++
		}
	}
	if checked < 50 {
		t.Errorf("only %d relative links checked", checked)
	}
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&#43;", "+").Replace(s)
}

// TestServedPaging follows the pager of the served site: ?page=N links.
func TestServedPaging(t *testing.T) {
	body := map[string]string{}
	for _, d := range buildFixture(t, false) {
		body[d.Key().String()] = string(d.Body)
	}
	for _, want := range []struct{ key, link string }{
		{"/", `href="./?page=2"`},
		{"/?page=2", `href="./"`},
		{"/?page=2", `href="./?page=3"`},
		{"/?page=3", `href="./?page=2"`},
	} {
		if !strings.Contains(body[want.key], want.link) {
			t.Errorf("%s lacks %s", want.key, want.link)
		}
	}
}

func TestPageContent(t *testing.T) {
	body := map[string]string{}
	for _, d := range buildFixture(t, false) {
		body[d.Key().String()] = string(d.Body)
	}
	home := body["/"]
	for _, want := range []string{
		`<a href="https://alice.example/posts/cross">Cross-posted &lt;b&gt;twice&lt;/b&gt;</a>`,
		`Also published at <a href="https://bob.example/cross">Bob &amp; Co</a>`,
		`<details class="more">`,
		`The last poll failed: HTTP 404 Not Found (3 failed polls in a row).`,
		`The feed has moved permanently to https://carol.example/new.xml`,
		`<span class="fetched">last successful fetch: 1 May 2024 12:00 UTC</span>`,
		`<span class="fetched">last successful fetch: never (failing since 1 May 2024 10:00 UTC)</span>`,
		`<span class="fetched">not fetched yet</span>`,
		`<li class="state-new">`,
		`<p class="updated">updated <time datetime="2024-05-01T11:00:00Z">1 May 2024 11:00 UTC</time></p>`,
		`<img class="face" src="https://alice.example/alice.jpg" alt="" width="24" height="24" loading="lazy">`,
		`<img class="face" src="./faces/bob-co.png" alt="" width="24" height="24" loading="lazy">`,
		`<a href="#subscriptions">Subscriptions</a> · <a href="#subscribe">Feeds</a>`,
		`<link rel="alternate" type="application/rss&#43;xml" title="RSS" href="./rss.xml">`,
	} {
		if !strings.Contains(home, want) {
			t.Errorf("front page lacks %s", want)
		}
	}
	if strings.Contains(home+body["/?page=2"]+body["/?page=3"], "<script") {
		t.Error("a page holds a script element")
	}
	if strings.Contains(home, "javascript:") {
		t.Error("a javascript: face made it onto the page")
	}
	if !strings.Contains(home, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("a title's markup is not escaped")
	}
	bob := body["/sources/bob-co/"]
	if !strings.Contains(bob, "The last poll failed: HTTP 404 Not Found") || strings.Contains(bob, "fetch https://") {
		t.Errorf("source page should show the error in plain words, not the full one:\n%s", bob)
	}
	for _, want := range []string{
		`<img class="face" src="../../faces/bob-co.png" alt="" width="64" height="64">`,
		`<img class="face" src="../../faces/bob-co.png" alt="" width="48" height="48" loading="lazy">`,
		`<a href="../../#subscriptions">Subscriptions</a>`,
	} {
		if !strings.Contains(bob, want) {
			t.Errorf("Bob's page lacks %s", want)
		}
	}
	png, err := os.ReadFile(filepath.Join("testdata", "bob.png"))
	if err != nil || body["/faces/bob-co.png"] != string(png) {
		t.Errorf("the face file is not served at /faces/bob-co.png (%v)", err)
	}
	// Folding happens on the page only: the feed carries the whole post.
	if !strings.Contains(body["/atom.xml"], "Paragraph 30 of a long post") {
		t.Error("the feed lacks the end of the long post")
	}
}

// TestAtomPagesValid validates every Atom document against RFC 4287's
// grammar and checks the RFC 5005 links of the paged merged feed.
func TestAtomPagesValid(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		const msg = "xmllint not found: install libxml2-utils (apt-get install -y libxml2-utils)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	dir := t.TempDir()
	rels := map[string]map[string]string{}
	for _, d := range buildFixture(t, false) {
		switch d.ContentType {
		case TypeAtom:
			file := filepath.Join(dir, "feed.xml")
			os.WriteFile(file, d.Body, 0o644)
			if out, err := exec.Command(xmllint, "--noout", "--relaxng", "testdata/atom.rng", file).CombinedOutput(); err != nil {
				t.Errorf("%s: %v\n%s", d.Key(), err, out)
			}
			var f struct {
				Links []struct {
					Rel  string `xml:"rel,attr"`
					Href string `xml:"href,attr"`
				} `xml:"http://www.w3.org/2005/Atom link"`
			}
			xml.Unmarshal(d.Body, &f)
			rels[d.Key().String()] = map[string]string{}
			for _, l := range f.Links {
				rels[d.Key().String()][l.Rel] = l.Href
			}
		case TypeOPML, TypeRSS:
			if err := xml.Unmarshal(d.Body, new(struct{})); err != nil {
				t.Errorf("%s: not well-formed: %v", d.Key(), err)
			}
		case TypeJSON:
			if !json.Valid(d.Body) {
				t.Errorf("%s: not JSON", d.Key())
			}
		}
	}
	const base = "https://planet.example/village/atom.xml"
	want := map[string]map[string]string{
		"/atom.xml":        {"self": base, "first": base, "next": base + "?page=2", "last": base + "?page=3", "hub": "https://hub.example/"},
		"/atom.xml?page=2": {"self": base + "?page=2", "first": base, "previous": base, "next": base + "?page=3", "last": base + "?page=3"},
		"/atom.xml?page=3": {"self": base + "?page=3", "first": base, "previous": base + "?page=2", "last": base + "?page=3"},
	}
	for key, w := range want {
		for rel, href := range w {
			if rels[key][rel] != href {
				t.Errorf("%s: rel=%s is %q, want %q", key, rel, rels[key][rel], href)
			}
		}
		if _, ok := w["next"]; !ok && rels[key]["next"] != "" {
			t.Errorf("%s: the last page has rel=next", key)
		}
	}
}

func TestThemeDir(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "style.css"), []byte("body{color:red}"), 0o644)
	os.WriteFile(filepath.Join(dir, "entry.html"), []byte(`<p class="mine">{{.Title}} by {{.Source.Name}}</p>`), 0o644)
	o := fixtureOptions
	o.ThemeDir = dir
	docs, err := NewBuilder().Build(context.Background(), fixture(), o)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		switch d.Key().String() {
		case "/style.css":
			if string(d.Body) != "body{color:red}" {
				t.Errorf("style.css = %q, want the theme's", d.Body)
			}
		case "/":
			if !strings.Contains(string(d.Body), `<p class="mine">Two by Alice&#39;s Blog</p>`) &&
				!strings.Contains(string(d.Body), `<p class="mine">Cross-posted &lt;b&gt;twice&lt;/b&gt; by Alice&#39;s Blog</p>`) {
				t.Errorf("front page does not use the theme's entry.html:\n%s", d.Body)
			}
			if !strings.Contains(string(d.Body), `id="subscriptions"`) {
				t.Error("the embedded sidebar.html is gone")
			}
		}
	}
	os.WriteFile(filepath.Join(dir, "page.html"), []byte(`{{.Nope}}`), 0o644)
	if _, err := NewBuilder().Build(context.Background(), fixture(), o); err == nil {
		t.Error("a theme template that fails gives no error")
	}
}

// TestFeedIDsSameServedAndStatic: a reader subscribed to the served site
// and one subscribed to the static copy (village build, output_dir) see
// the same feed: every feed's atom:id and home page are the same.
func TestFeedIDsSameServedAndStatic(t *testing.T) {
	ids := func(static bool) map[string]string {
		out := map[string]string{}
		for _, d := range buildFixture(t, static) {
			if d.ContentType != TypeAtom {
				continue
			}
			var f struct {
				ID string `xml:"id"`
			}
			if err := xml.Unmarshal(d.Body, &f); err != nil {
				t.Fatalf("%s: %v", d.Key(), err)
			}
			out[d.Key().String()] = f.ID
		}
		return out
	}
	served, static := ids(false), ids(true)
	if len(served) == 0 || len(served) != len(static) {
		t.Fatalf("%d served feeds, %d static", len(served), len(static))
	}
	for key, id := range served {
		if static[key] != id {
			t.Errorf("%s: atom:id %q served, %q static", key, id, static[key])
		}
		if strings.HasSuffix(id, "index.html") {
			t.Errorf("%s: atom:id %q names a file", key, id)
		}
	}
	if served["/atom.xml"] != fixtureOptions.Link {
		t.Errorf("merged feed id %q, want the planet's link %q", served["/atom.xml"], fixtureOptions.Link)
	}
}
