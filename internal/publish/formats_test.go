package publish

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/villagefeeds/village/internal/model"
)

// checkGolden compares got with testdata/name, rewriting it under -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run with -update if intended)\n--- got ---\n%s", path, got)
	}
}

type format struct {
	name, golden string
	render       func(Meta, []model.Entry, map[int64]model.Source) ([]byte, error)
}

var formats = []format{
	{"atom", "merged.golden.xml", Atom},
	{"rss", "merged.golden.rss", RSS},
	{"json", "merged.golden.json", JSON},
}

func TestFormatsGolden(t *testing.T) {
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			got, err := f.render(fixtureMeta, fixtureEntries(), fixtureSources())
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, f.golden, got)
			again, _ := f.render(fixtureMeta, fixtureEntries(), fixtureSources())
			if !bytes.Equal(got, again) {
				t.Error("two renders of the same input differ")
			}
		})
	}
}

func TestFormatsUnknownSource(t *testing.T) {
	entries := fixtureEntries()
	entries[1].SourceID = 99
	for _, f := range formats {
		if _, err := f.render(fixtureMeta, entries, fixtureSources()); err == nil {
			t.Errorf("%s: no error for an entry of an unknown source", f.name)
		}
	}
}

type rssFeed struct {
	XMLName xml.Name `xml:"rss"`
	Version string   `xml:"version,attr"`
	Channel struct {
		Title       string `xml:"title"`
		Description string `xml:"description"`
		// RSS's link and atom:link share a local name, which encoding/xml
		// cannot tell apart by tag: both land here, told apart by XMLName.
		Links []struct {
			XMLName xml.Name
			Rel     string `xml:"rel,attr"`
			Href    string `xml:"href,attr"`
			Text    string `xml:",chardata"`
		} `xml:"link"`
		Items []struct {
			Title string `xml:"title"`
			Link  string `xml:"link"`
			GUID  struct {
				ID          string `xml:",chardata"`
				IsPermaLink string `xml:"isPermaLink,attr"`
			} `xml:"guid"`
			PubDate string `xml:"pubDate"`
			Creator string `xml:"http://purl.org/dc/elements/1.1/ creator"`
		} `xml:"item"`
	} `xml:"channel"`
}

func TestRSS(t *testing.T) {
	out, err := RSS(fixtureMeta, fixtureEntries(), fixtureSources())
	if err != nil {
		t.Fatal(err)
	}
	var f rssFeed
	if err := xml.Unmarshal(out, &f); err != nil {
		t.Fatalf("not well-formed: %v", err)
	}
	rels, link := map[string]string{}, ""
	for _, l := range f.Channel.Links {
		switch l.XMLName.Space {
		case "":
			link = l.Text
		case atomNS:
			rels[l.Rel] = l.Href
		}
	}
	if f.Version != "2.0" || f.Channel.Title == "" || link != fixtureMeta.Link || f.Channel.Description == "" {
		t.Errorf("channel lacks a required element: %+v", f.Channel)
	}
	atom := parse(t, render(t, fixtureMeta, fixtureEntries(), fixtureSources()))
	if len(f.Channel.Items) != len(atom.Entries) {
		t.Fatalf("%d items, want %d", len(f.Channel.Items), len(atom.Entries))
	}
	seen := map[string]bool{}
	for i, it := range f.Channel.Items {
		if it.GUID.ID != atom.Entries[i].ID {
			t.Errorf("item %d: guid %q, want the Atom id %q", i, it.GUID.ID, atom.Entries[i].ID)
		}
		if seen[it.GUID.ID] {
			t.Errorf("item %d: guid %q repeated", i, it.GUID.ID)
		}
		seen[it.GUID.ID] = true
		wantPerma := "false"
		if it.GUID.ID == it.Link {
			wantPerma = "true"
		}
		if it.GUID.IsPermaLink != wantPerma {
			t.Errorf("item %d: guid %q link %q isPermaLink=%q, want %q", i, it.GUID.ID, it.Link, it.GUID.IsPermaLink, wantPerma)
		}
		if it.PubDate == "" || it.Creator == "" {
			t.Errorf("item %d: pubDate %q, dc:creator %q", i, it.PubDate, it.Creator)
		}
	}
	if rels["self"] != fixtureMeta.SelfURL || rels["hub"] == "" || rels["next"] == "" {
		t.Errorf("atom:links %v, want self, hub and next", rels)
	}
}

// TestJSONFeed checks the fields JSON Feed 1.1 requires, and the ids.
func TestJSONFeed(t *testing.T) {
	out, err := JSON(fixtureMeta, fixtureEntries(), fixtureSources())
	if err != nil {
		t.Fatal(err)
	}
	var f map[string]any
	if err := json.Unmarshal(out, &f); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if f["version"] != JSONFeedVersion || f["title"] == "" || f["title"] == nil {
		t.Errorf("version %v, title %v", f["version"], f["title"])
	}
	if f["feed_url"] != fixtureMeta.SelfURL || f["home_page_url"] != fixtureMeta.Link || f["next_url"] == nil {
		t.Errorf("feed_url %v, home_page_url %v, next_url %v", f["feed_url"], f["home_page_url"], f["next_url"])
	}
	if hubs, _ := f["hubs"].([]any); len(hubs) != 1 {
		t.Errorf("hubs = %v, want the one hub", f["hubs"])
	}
	items, _ := f["items"].([]any)
	atom := parse(t, render(t, fixtureMeta, fixtureEntries(), fixtureSources()))
	if len(items) != len(atom.Entries) {
		t.Fatalf("%d items, want %d", len(items), len(atom.Entries))
	}
	for i, x := range items {
		it := x.(map[string]any)
		if it["id"] != atom.Entries[i].ID {
			t.Errorf("item %d: id %v, want %q", i, it["id"], atom.Entries[i].ID)
		}
		if it["content_html"] == nil && it["content_text"] == nil {
			t.Errorf("item %d: neither content_html nor content_text", i)
		}
		if _, ok := it["authors"].([]any); !ok {
			t.Errorf("item %d: no authors", i)
		}
	}
}

// TestPagedAtomRelaxNG validates every page of a three-page feed and checks
// the RFC 5005 link relations each one carries.
func TestPagedAtomRelaxNG(t *testing.T) {
	xmllint := lookXmllint(t)
	base := "https://planet.example/atom.xml"
	pages := []struct {
		page  int
		links []Link
		want  map[string]string
	}{
		{1, []Link{{Rel: "first", Href: base}, {Rel: "next", Href: base + "?page=2"}},
			map[string]string{"self": base, "first": base, "next": base + "?page=2"}},
		{2, []Link{{Rel: "first", Href: base}, {Rel: "previous", Href: base}, {Rel: "next", Href: base + "?page=3"}},
			map[string]string{"self": base + "?page=2", "first": base, "previous": base, "next": base + "?page=3"}},
		{3, []Link{{Rel: "first", Href: base}, {Rel: "previous", Href: base + "?page=2"}},
			map[string]string{"self": base + "?page=3", "first": base, "previous": base + "?page=2"}},
	}
	all := fixtureEntries()
	for _, p := range pages {
		m := fixtureMeta
		m.SelfURL = p.want["self"]
		m.Links = append([]Link{{Rel: "hub", Href: "https://hub.example/"}}, p.links...)
		entries := all[min(p.page-1, len(all)):min(p.page, len(all))]
		out := render(t, m, entries, fixtureSources())
		file := filepath.Join(t.TempDir(), "page.xml")
		os.WriteFile(file, out, 0o644)
		if o, err := exec.Command(xmllint, "--noout", "--relaxng", "testdata/atom.rng", file).CombinedOutput(); err != nil {
			t.Fatalf("page %d: xmllint: %v\n%s", p.page, err, o)
		}
		got := map[string]string{}
		for _, l := range parse(t, out).Links {
			if l.Rel != "alternate" && l.Rel != "hub" {
				got[l.Rel] = l.Href
			}
		}
		if len(got) != len(p.want) {
			t.Errorf("page %d: links %v, want %v", p.page, got, p.want)
		}
		for rel, href := range p.want {
			if got[rel] != href {
				t.Errorf("page %d: rel=%s href %q, want %q", p.page, rel, got[rel], href)
			}
		}
	}
}

func lookXmllint(t *testing.T) string {
	t.Helper()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		const msg = "xmllint not found: install libxml2-utils (apt-get install -y libxml2-utils)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return xmllint
}
