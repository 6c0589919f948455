package publish

import (
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/villagefeeds/village/internal/model"
)

// TestNoEmptyTitle: an entry stored without a title (before untitled
// posts were titled at ingest) goes out titled in every format.
func TestNoEmptyTitle(t *testing.T) {
	for _, tc := range []struct {
		e    model.Entry
		want string
	}{
		{model.Entry{Title: "Own title"}, "Own title"},
		{model.Entry{Content: "<p>First words of the post.</p><p>More.</p>"}, "First words of the post. More."},
		{model.Entry{Link: "https://x.example/p"}, "https://x.example/p"},
		{model.Entry{Title: "  "}, "Untitled"},
	} {
		if got := Title(&tc.e); got != tc.want {
			t.Errorf("Title(%+v) = %q, want %q", tc.e, got, tc.want)
		}
	}

	srcs := map[int64]model.Source{1: {ID: 1, URL: "https://x.example/feed"}}
	entries := []model.Entry{{ID: 1, SourceID: 1, GUID: "urn:x:1", Content: "<p>Only text here.</p>", Published: date0("2024-01-01T00:00:00Z")}}
	atom := render(t, fixtureMeta, entries, srcs)
	if !strings.Contains(string(atom), `<title type="text">Only text here.</title>`) {
		t.Errorf("atom title:\n%s", atom)
	}
	rss, err := RSS(fixtureMeta, entries, srcs)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(rss), "<title>Only text here.</title>") || strings.Contains(string(rss), "<title></title>") {
		t.Errorf("rss title:\n%s", rss)
	}
	js, err := JSON(fixtureMeta, entries, srcs)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"title": "Only text here."`) {
		t.Errorf("json title:\n%s", js)
	}
}

// TestAuthorsAddressesInEveryFormat: an author's web and e-mail addresses
// go out where each format has room for them.
func TestAuthorsAddressesInEveryFormat(t *testing.T) {
	srcs := map[int64]model.Source{1: {ID: 1, URL: "https://x.example/feed"}}
	entries := []model.Entry{{ID: 1, SourceID: 1, GUID: "urn:x:1", Title: "T", Content: "<p>x</p>",
		Author: "Ann, Bo", Authors: []model.Person{{Name: "Ann", Email: "ann@x.example"}, {Name: "Bo", URI: "https://bo.example/"}},
		Published: date0("2024-01-01T00:00:00Z")}}
	var a struct {
		Entry struct {
			Author []struct {
				Name  string `xml:"name"`
				URI   string `xml:"uri"`
				Email string `xml:"email"`
			} `xml:"author"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(render(t, fixtureMeta, entries, srcs), &a); err != nil {
		t.Fatal(err)
	}
	if len(a.Entry.Author) != 2 || a.Entry.Author[0].Email != "ann@x.example" || a.Entry.Author[1].URI != "https://bo.example/" {
		t.Errorf("atom authors %+v", a.Entry.Author)
	}
	rss, _ := RSS(fixtureMeta, entries, srcs)
	for _, want := range []string{"<author>ann@x.example (Ann)</author>", "<dc:creator>Ann</dc:creator>", "<dc:creator>Bo</dc:creator>"} {
		if !strings.Contains(string(rss), want) {
			t.Errorf("rss lacks %s:\n%s", want, rss)
		}
	}
	js, _ := JSON(fixtureMeta, entries, srcs)
	var j struct {
		Items []struct {
			Authors []struct{ Name, URL string } `json:"authors"`
		} `json:"items"`
	}
	if err := json.Unmarshal(js, &j); err != nil {
		t.Fatal(err)
	}
	if got := j.Items[0].Authors; len(got) != 2 || got[0].URL != "mailto:ann@x.example" || got[1].URL != "https://bo.example/" {
		t.Errorf("json authors %+v", got)
	}
}
