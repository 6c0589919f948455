package publish

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/model"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const golden = "testdata/merged.golden.xml"

func render(t testing.TB, m Meta, entries []model.Entry, sources map[int64]model.Source) []byte {
	t.Helper()
	out, err := Atom(m, entries, sources)
	if err != nil {
		t.Fatalf("Atom: %v", err)
	}
	return out
}

func TestAtomGolden(t *testing.T) {
	got := render(t, fixtureMeta, fixtureEntries(), fixtureSources())
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("read golden (run with -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run with -update if intended)\n--- got ---\n%s", golden, got)
	}
	if !bytes.HasPrefix(got, []byte(`<?xml version="1.0" encoding="UTF-8"?>`)) {
		t.Errorf("output does not start with the XML declaration: %.60q", got)
	}
}

// TestAtomRelaxNG validates against the RFC 4287 grammar with xmllint.
func TestAtomRelaxNG(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		const msg = "xmllint not found: install libxml2-utils (apt-get install -y libxml2-utils)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	tests := []struct {
		name    string
		meta    Meta
		entries []model.Entry
	}{
		{"merged", fixtureMeta, fixtureEntries()},
		{"empty", fixtureMeta, nil},
		{"minimal meta", Meta{Title: "P", Link: "https://p.example/"}, fixtureEntries()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "feed.xml")
			if err := os.WriteFile(file, render(t, tt.meta, tt.entries, fixtureSources()), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(xmllint, "--noout", "--relaxng", "testdata/atom.rng", file).CombinedOutput()
			if err != nil {
				t.Fatalf("xmllint: %v\n%s", err, out)
			}
		})
	}
}

func TestAtomDeterministic(t *testing.T) {
	a := render(t, fixtureMeta, fixtureEntries(), fixtureSources())
	b := render(t, fixtureMeta, fixtureEntries(), fixtureSources())
	if !bytes.Equal(a, b) {
		t.Fatal("two renders of the same input differ")
	}

	// The store may hand back times in any location; the bytes must not change.
	zone := time.FixedZone("X", -7*3600)
	entries := fixtureEntries()
	for i := range entries {
		e := &entries[i]
		e.Published, e.Updated, e.FirstSeen = e.Published.In(zone), e.Updated.In(zone), e.FirstSeen.In(zone)
	}
	if c := render(t, fixtureMeta, entries, fixtureSources()); !bytes.Equal(a, c) {
		t.Fatal("render depends on the time.Location of the entries")
	}

	ids := func(out []byte) []string {
		var s []string
		for _, e := range parse(t, out).Entries {
			s = append(s, e.ID)
		}
		return s
	}
	first, second := ids(a), ids(b)
	seen := map[string]bool{}
	for i, id := range first {
		if id == "" || seen[id] {
			t.Errorf("entry %d: id %q empty or repeated", i, id)
		}
		seen[id] = true
		if second[i] != id {
			t.Errorf("entry %d: id %q, then %q", i, id, second[i])
		}
	}
}

// Decoded shapes, with the Atom namespace on every element, so that an
// element in no namespace or a wrong one does not match.
type (
	xFeed struct {
		XMLName   xml.Name  `xml:"http://www.w3.org/2005/Atom feed"`
		ID        string    `xml:"http://www.w3.org/2005/Atom id"`
		Title     xText     `xml:"http://www.w3.org/2005/Atom title"`
		Updated   string    `xml:"http://www.w3.org/2005/Atom updated"`
		Author    []xPerson `xml:"http://www.w3.org/2005/Atom author"`
		Generator struct {
			URI     string `xml:"uri,attr"`
			Version string `xml:"version,attr"`
			Name    string `xml:",chardata"`
		} `xml:"http://www.w3.org/2005/Atom generator"`
		Links   []xLink  `xml:"http://www.w3.org/2005/Atom link"`
		Entries []xEntry `xml:"http://www.w3.org/2005/Atom entry"`
	}
	xEntry struct {
		ID         string    `xml:"http://www.w3.org/2005/Atom id"`
		Title      xText     `xml:"http://www.w3.org/2005/Atom title"`
		Links      []xLink   `xml:"http://www.w3.org/2005/Atom link"`
		Published  string    `xml:"http://www.w3.org/2005/Atom published"`
		Updated    string    `xml:"http://www.w3.org/2005/Atom updated"`
		Author     []xPerson `xml:"http://www.w3.org/2005/Atom author"`
		Categories []struct {
			Term string `xml:"term,attr"`
		} `xml:"http://www.w3.org/2005/Atom category"`
		Summary []xText   `xml:"http://www.w3.org/2005/Atom summary"`
		Content []xText   `xml:"http://www.w3.org/2005/Atom content"`
		Source  []xSource `xml:"http://www.w3.org/2005/Atom source"`
	}
	xSource struct {
		ID      string  `xml:"http://www.w3.org/2005/Atom id"`
		Title   xText   `xml:"http://www.w3.org/2005/Atom title"`
		Updated string  `xml:"http://www.w3.org/2005/Atom updated"`
		Links   []xLink `xml:"http://www.w3.org/2005/Atom link"`
	}
	xText struct {
		Type string `xml:"type,attr"`
		Body string `xml:",chardata"`
	}
	xPerson struct {
		Name string `xml:"http://www.w3.org/2005/Atom name"`
	}
	xLink struct {
		Rel   string `xml:"rel,attr"`
		Href  string `xml:"href,attr"`
		Type  string `xml:"type,attr"`
		Title string `xml:"title,attr"`
	}
)

func parse(t testing.TB, out []byte) xFeed {
	t.Helper()
	var f xFeed
	if err := xml.Unmarshal(out, &f); err != nil {
		t.Fatalf("output is not well-formed Atom: %v", err)
	}
	return f
}

func links(ls []xLink, rel string) []xLink {
	var out []xLink
	for _, l := range ls {
		if l.Rel == rel {
			out = append(out, l)
		}
	}
	return out
}

func TestAtomFeed(t *testing.T) {
	f := parse(t, render(t, fixtureMeta, fixtureEntries(), fixtureSources()))
	if f.ID != "https://planet.example/" || f.Title != (xText{"text", "Village Planet"}) {
		t.Errorf("id, title = %q, %+v", f.ID, f.Title)
	}
	if f.Updated != "2024-05-04T09:00:00Z" {
		t.Errorf("updated = %q, want the newest entry updated 2024-05-04T09:00:00Z", f.Updated)
	}
	if len(f.Author) != 1 || f.Author[0].Name != "The Village" {
		t.Errorf("author = %+v", f.Author)
	}
	if g := f.Generator; g.Name != "village" || g.Version != "1.0.0" || g.URI != fixtureMeta.URI {
		t.Errorf("generator = %+v", g)
	}
	want := []xLink{
		{Rel: "self", Href: "https://planet.example/atom.xml", Type: "application/atom+xml"},
		{Rel: "alternate", Href: "https://planet.example/", Type: "text/html"},
		{Rel: "hub", Href: "https://hub.example/"},
		{Rel: "next", Href: "https://planet.example/atom.xml?page=2", Type: "application/atom+xml", Title: "Older"},
	}
	if !equalLinks(f.Links, want) {
		t.Errorf("links = %+v, want %+v", f.Links, want)
	}
}

func equalLinks(a, b []xLink) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestAtomEmptyFeed(t *testing.T) {
	f := parse(t, render(t, Meta{Title: "P", Link: "https://p.example/"}, nil, nil))
	if f.Updated != "1970-01-01T00:00:00Z" || len(f.Entries) != 0 {
		t.Errorf("updated = %q, %d entries; want the epoch and none", f.Updated, len(f.Entries))
	}
	if len(f.Author) != 1 || f.Author[0].Name != "P" {
		t.Errorf("author = %+v, want the title when Meta.Author is empty", f.Author)
	}
}

func TestAtomEntries(t *testing.T) {
	f := parse(t, render(t, fixtureMeta, fixtureEntries(), fixtureSources()))
	type want struct {
		id, title, author, published, updated string
		categories                            []string
		summary, content                      string
		related                               []xLink
		source                                xSource
	}
	alice := xSource{
		ID: "tag:alice.example,2024:feed", Title: xText{"text", "Alice's Blog"}, Updated: "2024-05-04T09:00:00Z",
		Links: []xLink{{Rel: "self", Href: "https://alice.example/feed.xml"}, {Rel: "alternate", Href: "https://alice.example/", Type: "text/html"}},
	}
	wants := []want{
		{
			id: "https://alice.example/posts/cross", title: "Cross-posted: A & B <together>", author: "Alice",
			published: "2024-05-03T10:00:00Z", updated: "2024-05-03T12:00:00Z",
			categories: []string{"go", "rss", "planet"},
			content:    fixtureEntries()[0].Content,
			related: []xLink{
				{Rel: "related", Href: "https://bob.example/2024/cross", Title: "Bob & Co <Weekly>"},
				{Rel: "related", Href: "https://carol.example/reposts/cross", Title: "carol.example"},
			},
			source: alice,
		},
		{
			id: "https://bob.example/2024/05/02/hello", title: "Hello world !", author: "Bob & Co <Weekly>",
			published: "2024-05-02T08:30:00Z", updated: "2024-05-02T08:30:00Z",
			summary: "<p>Short &amp; sweet</p>", content: "<p>Body with a form feed and 5 < 6</p>",
			source: xSource{
				ID: "https://bob.example/atom.xml", Title: xText{"text", "Bob & Co <Weekly>"}, Updated: "2024-05-02T08:30:00Z",
				Links: []xLink{{Rel: "self", Href: "https://bob.example/atom.xml"}},
			},
		},
		{
			id: uuidURN("https://carol.example/rss\nguid:post-7"), title: "Carol's seventh", author: "carol.example",
			published: "2024-05-01T00:00:00Z", updated: "2024-05-01T00:00:00Z",
			content: "<p>No author, no summary, no canonical URL.</p>",
			// It names its original feed itself: that stays its source.
			source: xSource{
				ID: "tag:dave.example,2024:feed", Title: xText{"text", "Dave's original"}, Updated: "2024-04-30T00:00:00Z",
				Links: []xLink{{Rel: "self", Href: "https://dave.example/feed.atom"}, {Rel: "alternate", Href: "https://dave.example/", Type: "text/html"}},
			},
		},
		{
			id: "tag:alice.example,2024:old", title: "An old post, edited", author: "Alice",
			published: "2024-04-01T00:00:00Z", updated: "2024-05-04T09:00:00Z",
			content: "<p>Edited later.</p>", source: alice,
		},
	}
	if len(f.Entries) != len(wants) {
		t.Fatalf("%d entries, want %d", len(f.Entries), len(wants))
	}
	in := fixtureEntries()
	for i, w := range wants {
		e := f.Entries[i]
		if e.ID != w.id || e.Title != (xText{"text", w.title}) || e.Published != w.published || e.Updated != w.updated {
			t.Errorf("entry %d: id %q title %+v published %q updated %q\nwant %q %q %q %q", i, e.ID, e.Title, e.Published, e.Updated, w.id, w.title, w.published, w.updated)
		}
		if alt := links(e.Links, "alternate"); len(alt) != 1 || alt[0].Href != in[i].Link {
			t.Errorf("entry %d: alternate links %+v, want exactly one to %q", i, alt, in[i].Link)
		}
		if rel := links(e.Links, "related"); !equalLinks(rel, w.related) {
			t.Errorf("entry %d: related links %+v, want %+v", i, rel, w.related)
		}
		if len(e.Author) != len(in[i].Authors) && len(e.Author) != 1 || e.Author[0].Name != w.author {
			t.Errorf("entry %d: author %+v, want %q", i, e.Author, w.author)
		}
		var terms []string
		for _, c := range e.Categories {
			terms = append(terms, c.Term)
		}
		if strings.Join(terms, "|") != strings.Join(w.categories, "|") {
			t.Errorf("entry %d: categories %q, want %q", i, terms, w.categories)
		}
		if w.summary == "" && len(e.Summary) != 0 || w.summary != "" && (len(e.Summary) != 1 || e.Summary[0] != (xText{"html", w.summary})) {
			t.Errorf("entry %d: summary %+v, want %q", i, e.Summary, w.summary)
		}
		if len(e.Content) != 1 || e.Content[0] != (xText{"html", w.content}) {
			t.Errorf("entry %d: content %+v, want %q", i, e.Content, w.content)
		}
		if len(e.Source) != 1 || !equalSource(e.Source[0], w.source) {
			t.Errorf("entry %d: source %+v, want %+v", i, e.Source, w.source)
		}
	}
}

func equalSource(a, b xSource) bool {
	return a.ID == b.ID && a.Title == b.Title && a.Updated == b.Updated && equalLinks(a.Links, b.Links)
}

// TestAtomCleansControlCharacters checks that the invalid characters are
// stripped, not left for encoding/xml to turn into U+FFFD.
func TestAtomCleansControlCharacters(t *testing.T) {
	out := render(t, fixtureMeta, fixtureEntries(), fixtureSources())
	for i, c := range out {
		if c < 0x20 && c != '\n' && c != '\t' && c != '\r' {
			t.Fatalf("control byte %#x at %d", c, i)
		}
	}
	if bytes.Contains(out, []byte("\uFFFD")) || bytes.Contains(out, []byte("&#xFFFD;")) {
		t.Error("output holds U+FFFD: a character was replaced, not stripped")
	}
}

func TestAtomEscapesOnce(t *testing.T) {
	out := string(render(t, fixtureMeta, fixtureEntries(), fixtureSources()))
	for _, want := range []string{
		"Cross-posted: A &amp; B &lt;together&gt;",
		"&lt;p&gt;Fish &amp;amp; chips &amp;lt;3",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

func TestAtomContentFallsBackToSummary(t *testing.T) {
	src := fixtureSources()
	e := model.Entry{ID: 1, SourceID: 3, Link: "https://carol.example/a", Title: "t", Summary: "<p>only a summary</p>", Published: date0("2024-01-01T00:00:00Z")}
	f := parse(t, render(t, fixtureMeta, []model.Entry{e}, src))
	got := f.Entries[0]
	if len(got.Content) != 1 || got.Content[0].Body != e.Summary || len(got.Summary) != 0 {
		t.Errorf("content %+v, summary %+v; want the summary as content, once", got.Content, got.Summary)
	}
}

func TestAtomUnknownSource(t *testing.T) {
	entries := fixtureEntries()
	entries[2].SourceID = 42
	_, err := Atom(fixtureMeta, entries, fixtureSources())
	if !errors.Is(err, ErrUnknownSource) {
		t.Fatalf("err = %v, want ErrUnknownSource", err)
	}
}

func TestAtomRepeatedGUID(t *testing.T) {
	// Two sources reuse one GUID for different posts.
	entries := fixtureEntries()[:3]
	entries[1].GUID = entries[0].GUID
	entries[1].CanonicalURL = ""
	f := parse(t, render(t, fixtureMeta, entries, fixtureSources()))
	if f.Entries[0].ID != entries[0].GUID {
		t.Errorf("first id = %q, want the GUID", f.Entries[0].ID)
	}
	if f.Entries[1].ID == f.Entries[0].ID || !strings.HasPrefix(f.Entries[1].ID, "urn:uuid:") {
		t.Errorf("second id = %q, want a distinct urn:uuid", f.Entries[1].ID)
	}
}

// FuzzAtom checks that any title and content come out well-formed and read
// back as their cleaned selves.
func FuzzAtom(f *testing.F) {
	f.Add("A & B <c>", "<p>x</p>\r\n")
	f.Add("\x00\x1f\ufffe", "\xff\xfe]]>")
	f.Fuzz(func(t *testing.T, title, content string) {
		e := model.Entry{ID: 1, SourceID: 1, GUID: title, Link: "https://alice.example/" + title, Title: title, Content: content, Categories: []string{title}}
		out, err := Atom(fixtureMeta, []model.Entry{e}, fixtureSources())
		if err != nil {
			t.Fatal(err)
		}
		got := parse(t, out).Entries[0]
		if got.Title.Body != clean(title) || got.Content[0].Body != clean(content) {
			t.Errorf("title %q content %q, want %q %q", got.Title.Body, got.Content[0].Body, clean(title), clean(content))
		}
	})
}

func BenchmarkAtom(b *testing.B) {
	content := strings.Repeat("<p>Lorem ipsum dolor sit amet, &amp; consectetur <a href=\"https://x.example/\">adipiscing</a>.</p>\n", 6*1024/92)
	src := fixtureSources()
	entries := make([]model.Entry, 50)
	for i := range entries {
		entries[i] = fixtureEntries()[i%4]
		entries[i].ID = int64(i)
		entries[i].GUID = ""
		entries[i].CanonicalURL = "https://alice.example/posts/" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		entries[i].Content = content
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Atom(fixtureMeta, entries, src); err != nil {
			b.Fatal(err)
		}
	}
}
