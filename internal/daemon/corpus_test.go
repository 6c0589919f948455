package daemon

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusDir is parse's corpus of odd feeds (see its README.md).
const corpusDir = "../parse/testdata/corpus"

// TestCorpusPublishesValidAtom serves every feed of the corpus of odd
// feeds, each with its Content-Type, to a running planet, waits until each
// has been fetched, and validates every page of the merged Atom feed
// against RFC 4287's grammar. The RSS and JSON Feed documents must parse,
// no title may go out empty, and what the odd feeds say must come through.
func TestCorpusPublishesValidAtom(t *testing.T) {
	var feeds []string
	inputs, _ := filepath.Glob(filepath.Join(corpusDir, "*"))
	for _, in := range inputs {
		ext := filepath.Ext(in)
		if (ext == ".xml" || ext == ".json") && !strings.HasSuffix(in, ".golden.json") {
			name := strings.TrimSuffix(filepath.Base(in), ext)
			feeds = append(feeds, name+"="+filepath.Base(in))
		}
	}
	if len(feeds) < 30 {
		t.Fatalf("only %d corpus feeds in %s", len(feeds), corpusDir)
	}
	srv := httptest.NewServer(http.HandlerFunc(serveCorpus))
	t.Cleanup(srv.Close)
	p := startPlanetOn(t, io.Discard, srv.URL, feeds...)
	rows := p.waitSources("every corpus feed fetched", func(rows map[string]sourceRow) bool {
		if len(rows) != len(feeds) {
			return false
		}
		for _, r := range rows {
			if r.LastStatus != http.StatusOK {
				return false
			}
		}
		return true
	})
	total := 0
	for _, r := range rows {
		total += r.Entries
	}
	if total > 100 { // writeConfig's entries: the first page must show them all
		t.Fatalf("%d entries do not fit the first page", total)
	}
	p.waitFeed(fmt.Sprint(total, " entries"), hasEntries(total))
	t.Logf("%d corpus feeds, %d entries", len(feeds), total)

	var merged strings.Builder
	for page := 1; ; page++ {
		url := fmt.Sprintf("%s/atom.xml?page=%d", p.base, page)
		if resp := get(t, url, nil); resp.StatusCode == http.StatusNotFound && page > 1 {
			break // past the last page
		}
		body := getBody(t, url)
		var f atomFeed
		if err := xml.Unmarshal([]byte(body), &f); err != nil {
			t.Fatalf("page %d: %v", page, err)
		}
		if len(f.Entries) == 0 {
			t.Fatalf("page %d of the merged feed is empty", page)
		}
		assertValidAtom(t, url)
		if strings.Contains(body, `<title type="text"></title>`) {
			t.Errorf("page %d has an empty title", page)
		}
		merged.WriteString(body)
	}
	for _, want := range []string{
		"Café déjà vu — “quoted” Ünïcödé", // UTF-16, UTF-32, legacy charsets
		"Привет, мир", "日本語のタイトル", "中文标题", "한국어 제목",
		"Why Vec&lt;T&gt; beats []T",                  // a text title stays text
		"Escaping strings in &lt;script&gt; tags",     // a JSON Feed title too
		"Untitled and unlinked, still a post.",        // no guid, no link, no title
		"https://blog.example.org/net/2",              // a .NET feed's a10:link
		"<id>tag:original.example.org,2024:feed</id>", // an entry's own atom:source
		`rel="enclosure" href="https://media.example.org/ep1.mp3"`,
		"<email>ann@blog.example.org</email>",
		`xml:lang="fr-CA"`,
		"After the iframe.", "After the object.", // text after removed elements
		"Decoded from &lt;em&gt;base64&lt;/em&gt;",
	} {
		if !strings.Contains(merged.String(), want) {
			t.Errorf("the merged feed lacks %s", want)
		}
	}
	for _, s := range []string{"https://blog.example.org/s/1", "https://blog.example.org/s/2"} {
		if !strings.Contains(merged.String(), `rel="alternate" href="`+s+`"`) {
			t.Errorf("the posts sharing one guid are not distinct entries: %s missing", s)
		}
	}

	var rss struct {
		Items []struct {
			Title string `xml:"title"`
		} `xml:"channel>item"`
	}
	if err := xml.Unmarshal([]byte(getBody(t, p.base+"/rss.xml")), &rss); err != nil || len(rss.Items) == 0 {
		t.Errorf("rss.xml: %v, %d items", err, len(rss.Items))
	}
	for _, it := range rss.Items {
		if strings.TrimSpace(it.Title) == "" {
			t.Error("rss.xml has an item with an empty title")
		}
	}
	var js struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal([]byte(getBody(t, p.base+"/feed.json")), &js); err != nil || len(js.Items) == 0 {
		t.Errorf("feed.json: %v, %d items", err, len(js.Items))
	}
}

// serveCorpus serves a corpus file with the Content-Type its NAME.content-type
// names, else the usual one for its extension.
func serveCorpus(w http.ResponseWriter, r *http.Request) {
	name := filepath.Base(r.URL.Path)
	body, err := os.ReadFile(filepath.Join(corpusDir, name))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	ct := "application/xml"
	if filepath.Ext(name) == ".json" {
		ct = "application/feed+json"
	}
	if b, err := os.ReadFile(filepath.Join(corpusDir, strings.TrimSuffix(name, filepath.Ext(name))+".content-type")); err == nil {
		ct = strings.TrimSpace(string(b))
	}
	w.Header().Set("Content-Type", ct)
	w.Write(body)
}

// getBody returns the body of a 200 answer to GET url.
