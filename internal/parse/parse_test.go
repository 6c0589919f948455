package parse

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json from the current output")

// fixtureURL is where every testdata feed is taken to have been fetched from.
const fixtureURL = "https://example.org/index.xml"

// TestGolden parses every testdata/NAME.xml and NAME.json, and those of the
// corpus of odd feeds in testdata/corpus/ (see its README.md), and compares
// the result with NAME.golden.json beside it. A NAME.content-type file, when
// there is one, is the Content-Type the feed is served with. A new case is
// a new pair of files.
func TestGolden(t *testing.T) {
	var inputs []string
	for _, pattern := range []string{"testdata/*", "testdata/corpus/*"} {
		in, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, in...)
	}
	seen := map[string]bool{}
	for _, in := range inputs {
		ext := filepath.Ext(in)
		if (ext != ".xml" && ext != ".json") || strings.HasSuffix(in, ".golden.json") {
			continue
		}
		name := strings.TrimSuffix(in, ext)
		if seen[name] {
			t.Fatalf("two inputs named %s would share one golden file", name)
		}
		seen[name] = true
		t.Run(strings.TrimPrefix(name, "testdata/"), func(t *testing.T) {
			body, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			contentType, _ := os.ReadFile(name + ".content-type")
			feed, err := ParseHTTP(body, fixtureURL, strings.TrimSpace(string(contentType)))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			checkInvariants(t, feed)
			got := marshal(t, feed)
			golden := name + ".golden.json"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (run go test -update and review the diff):\n%s", golden, got)
			}
		})
	}
	if len(seen) == 0 {
		t.Fatal("no fixtures found")
	}
}

func marshal(t *testing.T, feed *Feed) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(feed); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// checkInvariants asserts what must hold for any parsed feed: XML-safe
// strings, absolute http(s) links, no active content, UTC dates.
func checkInvariants(t *testing.T, f *Feed) {
	t.Helper()
	for _, s := range []string{f.ID, f.Title, f.Link, f.Author} {
		assertClean(t, "feed", s)
	}
	assertLink(t, "feed link", f.Link)
	for i, it := range f.Items {
		for _, s := range append([]string{it.GUID, it.Link, it.Title, it.Author, it.Summary, it.Content, it.Text}, it.Categories...) {
			assertClean(t, it.GUID, s)
		}
		assertLink(t, "item link", it.Link)
		for _, html := range []string{it.Summary, it.Content} {
			if bad := activeContent(html); bad != "" {
				t.Errorf("item %d: %q survived in %q", i, bad, html)
			}
		}
		for _, d := range []struct {
			name string
			loc  string
		}{{"published", it.Published.Location().String()}, {"updated", it.Updated.Location().String()}} {
			if d.loc != "UTC" {
				t.Errorf("item %d: %s not in UTC: %s", i, d.name, d.loc)
			}
		}
	}
}

// activeContent returns the first sign, inside a tag, of markup that could
// run code or restyle the page around it, or "". Sanitised HTML escapes
// every "<" in text, so each "<" starts a tag.
func activeContent(html string) string {
	for _, tag := range strings.Split(strings.ToLower(html), "<")[1:] {
		tag, _, _ = strings.Cut(tag, ">")
		fields := strings.Fields(tag)
		if len(fields) == 0 {
			continue
		}
		switch name := strings.Trim(fields[0], "/"); name {
		case "script", "style", "svg", "math", "iframe", "object", "embed", "param", "form", "input",
			"button", "meta", "base", "link", "noscript", "frame", "frameset", "applet", "template":
			return "<" + name
		}
		for _, bad := range []string{"javascript:", "vbscript:", `="data:`, "data:image", "expression("} {
			if strings.Contains(tag, bad) {
				return bad
			}
		}
		for _, field := range fields[1:] {
			if eventHandler.MatchString(field) {
				return "on…"
			}
			for _, attr := range []string{"style=", "target=", "formaction="} {
				if strings.HasPrefix(field, attr) {
					return attr + "…"
				}
			}
		}
	}
	return ""
}

// eventHandler is an attribute that runs code: on, a name, then "=" (a
// word of an attribute's value, such as a srcset descriptor, may begin
// with "on" too).
var eventHandler = regexp.MustCompile(`^on[a-z]+=`)

func assertClean(t *testing.T, where, s string) {
	t.Helper()
	if !isClean(s) {
		t.Errorf("%s: XML-invalid character in %q", where, s)
	}
}

func assertLink(t *testing.T, where, s string) {
	t.Helper()
	if s != "" && !strings.HasPrefix(s, "https://") && !strings.HasPrefix(s, "http://") {
		t.Errorf("%s %q is not an absolute http(s) URL", where, s)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		notFeed  bool
		contains string
	}{
		{"html page", "<!DOCTYPE html>\n<html><head><title>Moved</title></head><body><p>Our feed moved.</p></body></html>", true, "HTML page"},
		{"html without doctype", "  <html lang=en><body>hi</body></html>", true, "HTML page"},
		{"xhtml page", `<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>`, true, "HTML page"},
		{"garbage", "\x00\x01garbage\xff\xfe not a feed", true, "not a feed"},
		{"empty", "", true, "not a feed"},
		{"plain text", "just some text", true, "not a feed"},
		{"other xml", `<?xml version="1.0"?><config><a/></config>`, true, "not a feed"},
		{"other json", `{"error": "rate limited"}`, true, "not a feed"},
		{"broken json", `{"version": "https://jsonfeed.org/version/1", "items": [`, false, "parse json feed"},
		{"truncated rss", `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>y`, false, "parse rss"},
		{"truncated atom", `<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>y</title>`, false, "parse atom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			feed, err := Parse([]byte(tt.body), fixtureURL)
			if err == nil {
				t.Fatalf("Parse returned %+v, want an error", feed)
			}
			if got := errors.Is(err, ErrNotFeed); got != tt.notFeed {
				t.Errorf("errors.Is(err, ErrNotFeed) = %v, want %v (err: %v)", got, tt.notFeed, err)
			}
			if !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("error %q does not mention %q", err, tt.contains)
			}
		})
	}
}

// TestNoDates checks that an item without any date keeps zero times, which
// the store reads as "use the first-seen time".
func TestNoDates(t *testing.T) {
	tests := []struct{ file, link string }{
		{"testdata/rss092.xml", "http://www.scripting.example/blog/no-dates"},
		{"testdata/jsonfeed11.json", "https://links.example.com/notes/7"},
	}
	for _, tt := range tests {
		feed := parseFile(t, tt.file, fixtureURL)
		found := false
		for _, it := range feed.Items {
			if it.Link != tt.link {
				continue
			}
			found = true
			if !it.Published.IsZero() || !it.Updated.IsZero() {
				t.Errorf("%s: Published %v, Updated %v, want zero", tt.file, it.Published, it.Updated)
			}
		}
		if !found {
			t.Errorf("%s: no item with link %s", tt.file, tt.link)
		}
	}
}

// TestPlainTextDescription: a mailing list's archive sends an RSS
// description in plain text, paragraphs apart by blank lines. Read as
// HTML it would be one paragraph; it is read as text, its references as
// HTML's. A description with markup, or with no blank line, is HTML.
func TestPlainTextDescription(t *testing.T) {
	rss := func(desc string) string {
		return `<rss version="2.0"><channel><title>list</title><item><title>t</title>` +
			`<link>https://lists.example.org/m/1.html</link><description>` + desc + `</description></item></channel></rss>`
	}
	for _, tt := range []struct{ desc, want string }{
		{"Hello,\n\nThe release is out &amp;amp; signed.\nSecond line.\n\nRead more: https://blog.example.org/p/",
			`<p>Hello,</p><p>The release is out &amp; signed.<br>Second line.</p><p>Read more: https://blog.example.org/p/</p>`},
		{"&lt;p&gt;Markup.&lt;/p&gt;\n\n&lt;p&gt;More.&lt;/p&gt;", "<p>Markup.</p>\n\n<p>More.</p>"},
		{"One line of text.", "One line of text."},
	} {
		feed, err := Parse([]byte(rss(tt.desc)), "https://lists.example.org/rss")
		if err != nil {
			t.Fatal(err)
		}
		if got := feed.Items[0].Content; got != tt.want {
			t.Errorf("description %q: content %q, want %q", tt.desc, got, tt.want)
		}
	}
}
