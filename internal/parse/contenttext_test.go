package parse_test

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/villagefeeds/village/internal/farm"
	"github.com/villagefeeds/village/internal/parse"
)

// TestContentTextGivesItemText holds the promise the store reads stored
// entries by: the text of an item's content, read again by ContentText
// (and by Text), is the item's text. Over every feed of testdata and the
// benchmark farm's generated posts.
func TestContentTextGivesItemText(t *testing.T) {
	var bodies [][]byte
	for _, g := range []string{"testdata/*", "testdata/corpus/*", "testdata/community/*"} {
		m, _ := filepath.Glob(g)
		for _, f := range m {
			if b, err := os.ReadFile(f); err == nil {
				bodies = append(bodies, b)
			}
		}
	}
	f, err := farm.Start(farm.Options{Feeds: 40, Entries: 30, Hosts: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, u := range f.URLs() {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, b)
	}
	items := 0
	for _, b := range bodies {
		feed, err := parse.Parse(b, "https://example.org/blog/feed.xml")
		if err != nil {
			continue
		}
		for _, it := range feed.Items {
			items++
			if got := parse.ContentText(it.Content); got != it.Text {
				t.Errorf("%q: ContentText of its content is\n%q\nwant its text\n%q", it.Title, got, it.Text)
			}
			if got := parse.Text(it.Content); got != it.Text {
				t.Errorf("%q: Text of its content is\n%q\nwant its text\n%q", it.Title, got, it.Text)
			}
		}
	}
	if items < 1300 {
		t.Errorf("only %d items read", items)
	}
}
