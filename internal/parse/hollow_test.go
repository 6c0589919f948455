package parse

import (
	"fmt"
	"html"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/villagefeeds/village/internal/farm"
	nethtml "golang.org/x/net/html"
)

// hollowCases are Atom documents made to find where reading a construct
// in the scan could differ from gofeed: references of every kind, CDATA,
// markup, comments, attributes gofeed might read otherwise, xml:base
// relative, nested and pointing at a file.
var hollowCases = []string{
	`&lt;p&gt;plain &amp;amp; simple&lt;/p&gt;`,
	`&amp;LT;b&amp;GT;shouted&amp;LT;/b&amp;GT; &amp;nbsp;&amp;copy;&amp;copy=2; &amp;amp;copy; &#60;i&#62;x&lt;/i&gt;`,
	`&amp;#0; &amp;#xD800; &amp; alone &amp;; &amp;unknown; &amp;a b; &amp;` + strings.Repeat("x", 70) + `; &amp;`,
	`&LT;b&GT;shouted&LT;/b&GT; &nbsp;&copy;&copy=2;`,
	`&#0; &#xD800;`,
	`& alone &; &unknown; &a b;`,
	`<![CDATA[<p>raw <b>bold</b></p>]]>`,
	`before &lt;em&gt;x&lt;/em&gt; <![CDATA[<p>in</p>]]> between &amp; <![CDATA[<i>two</i>]]> after`,
	`<![CDATA[<p>unterminated`,
	`<div xmlns="http://www.w3.org/1999/xhtml"><p>markup in html</p></div>`,
	`<!-- a comment --> &lt;p&gt;x&lt;/p&gt;`,
	`  &lt;p&gt;spaces around&lt;/p&gt;  `,
	`&lt;p&gt;&lt;a href="../up/"&gt;up&lt;/a&gt; &lt;img src="i.png"&gt;&lt;br&gt;&lt;a href="?q=1#f"&gt;q&lt;/a&gt;&lt;a href="http://%zz"&gt;bad&lt;/a&gt;&lt;video poster="p.jpg" src="v.mp4"&gt;&lt;/video&gt;&lt;p&gt;unclosed`,
	``,
}

// hollowAttrs are the start tags the cases are tried under.
var hollowAttrs = []string{
	`type="html"`, `type="HTML"`, `type=" html"`, `type="html" mode="escaped"`, `type="text/html"`,
	`type="html" xml:base="https://example.org/a/b.html"`, `type="html" xml:base="sub/"`, `type="html" xml:base=""`,
	`type="html" xml:base="http://[::1"`, `type="html" xmlns:x="urn:x" x:type="text"`,
}

// hollowRSS are RSS documents whose items hold %[1]s, a case, in the
// places where gofeed reads or does not read an item's description and
// content: content:encoded under its prefix, another, none declared and
// the default namespace; a description twice, in another namespace, in an
// RDF item, and under roots whose namespace gofeed may or may not take for
// RSS's.
var hollowRSS = []string{
	`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title>` +
		`<item><title>a</title><description>%[1]s</description><content:encoded>%[1]s</content:encoded></item>` +
		`<item><title>b</title><description>%[1]s</description><description><b>raw</b></description></item>` +
		`<item><title>c</title><description><b>raw</b></description><description>%[1]s</description></item>` +
		`<item><title>d</title><c:encoded xmlns:c="http://purl.org/rss/1.0/modules/content/">%[1]s</c:encoded><content:encoded>x</content:encoded></item>` +
		`<item><title>e</title><encoded xmlns="http://purl.org/rss/1.0/modules/content/">%[1]s</encoded><dc:description xmlns:dc="http://purl.org/dc/elements/1.1/">%[1]s</dc:description></item>` +
		`</channel></rss>`,
	`<rss version="2.0"><channel><item><title>f</title><content:encoded>%[1]s</content:encoded><description/><description>%[1]s</description></item></channel>` +
		`<item><title>outside</title><description>%[1]s</description></item></rss>`,
	`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel><title>t</title></channel>` +
		`<item><title>g</title><description>%[1]s</description></item><item><title>h</title><description>%[1]s</description></item></rdf:RDF>`,
	`<rss version="2.0" xmlns="http://example.org/bogus"><channel><item><title>i</title><description>%[1]s</description></item></channel></rss>`,
	`<rss version="2.0" xmlns="http://www.w3.org/2005/Atom"><channel><item><title>j</title><description>%[1]s</description></item></channel></rss>`,
	`<RSS version="2.0"><Channel><Item><Title>k</Title><Description>%[1]s</Description></Item></Channel></RSS>`,
}

func hollowFeeds(t *testing.T) map[string][]byte {
	t.Helper()
	feeds := map[string][]byte{}
	for _, pattern := range []string{"testdata/*.xml", "testdata/*/*.xml", "../dedup/testdata/*/*.xml", "../dedup/testdata/*/*/*.xml"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			body, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			feeds[file] = body
		}
	}
	for i, attrs := range hollowAttrs {
		for j, c := range hollowCases {
			feeds[fmt.Sprintf("case %d/%d", i, j)] = fmt.Appendf(nil, `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example/posts/"><title>t</title>`+
				`<entry xml:base="e%d/x"><id>e%d</id><title>e%d</title><link href="p%d"/><summary %s>%s</summary><content %s>%s</content></entry>`+
				`<entry><id>plain</id><content type="html">&lt;p&gt;another&lt;/p&gt;</content></entry></feed>`, j, j, j, j, attrs, c, attrs, c)
		}
	}
	for i, doc := range hollowRSS {
		for j, c := range hollowCases {
			feeds[fmt.Sprintf("rss %d/%d", i, j)] = fmt.Appendf(nil, doc, c)
		}
	}
	f, err := farm.Start(farm.Options{Feeds: 20, Entries: 5, Hosts: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, u := range f.URLs() {
		p, _ := url.Parse(u)
		rec := httptest.NewRecorder()
		f.ServeHTTP(rec, httptest.NewRequest("GET", p.Path, nil))
		feeds[u] = rec.Body.Bytes()
	}
	return feeds
}

// TestHollowMatchesGofeed parses every feed at hand with and without
// hollowing (see hollow.go): the results must be equal, and the feeds
// must have given the scan constructs to take.
func TestHollowMatchesGofeed(t *testing.T) {
	cuts := 0
	for name, body := range hollowFeeds(t) {
		if x := scanExtras(body, nil); x != nil {
			cuts += len(x.cuts)
		}
		checkHollow(t, name, body)
	}
	if cuts < 100 {
		t.Errorf("the feeds had %d constructs to hollow, want many", cuts)
	}
}

func checkHollow(t *testing.T, name string, body []byte) {
	t.Helper()
	got, _, gotErr := parseDocWith(body, "https://example.org/feed.xml", "", true)
	want, _, wantErr := parseDocWith(body, "https://example.org/feed.xml", "", false)
	if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
		t.Fatalf("%s: error %v, without hollowing %v", name, gotErr, wantErr)
	}
	// Hollowed, an item's HTML is digested before its URLs are resolved
	// under its xml:base; the digests differ, what is read does not. Nor
	// is it parsed into a document and rendered again, as gofeed does to
	// resolve them: the URLs must be the same, the markup may be written
	// otherwise (<br> for <br/>, a <p> left for the reader to close).
	for _, f := range []*Feed{got, want} {
		if f == nil {
			continue
		}
		for i := range f.Items {
			it := &f.Items[i]
			it.Digest = nil
			it.Content, it.Summary = rendered(t, it.Content), rendered(t, it.Summary)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: hollowing changed the result", name)
		if got != nil && want != nil && len(got.Items) == len(want.Items) {
			for i := range got.Items {
				if !reflect.DeepEqual(got.Items[i], want.Items[i]) {
					t.Errorf("item %d:\n got %+v\nwant %+v", i, got.Items[i], want.Items[i])
				}
			}
		}
	}
}

// rendered is fragment parsed as the body of an HTML document and
// rendered again.
func rendered(t *testing.T, fragment string) string {
	t.Helper()
	doc, err := nethtml.Parse(strings.NewReader(fragment))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := nethtml.Render(&b, doc); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestXMLEscapes holds decodeEntities' shortcut to the way it decodes
// every other reference.
func TestXMLEscapes(t *testing.T) {
	for ref, want := range xmlEscapes {
		dec := html.UnescapeString(ref)
		if dec != want || dec == html.UnescapeString(ref[:len(ref)-1])+";" {
			t.Errorf("%s decodes to %q, the shortcut to %q", ref, dec, want)
		}
	}
}

// TestEmptyURLUnderXMLBase pins where reading HTML under an xml:base
// differs from gofeed: an empty URL is dropped, as everywhere, where
// gofeed made it the base; the others are resolved as gofeed does.
func TestEmptyURLUnderXMLBase(t *testing.T) {
	body := `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://example.org/base"><title>t</title>` +
		`<entry><id>e</id><title>e</title><content type="html">&lt;a href&gt;empty&lt;/a&gt; &lt;a href="x"&gt;x&lt;/a&gt;</content></entry></feed>`
	f, err := Parse([]byte(body), "https://example.org/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	want := `empty <a href="https://example.org/base/x">x</a>`
	if got := f.Items[0].Content; got != want {
		t.Errorf("content %q, want the empty link dropped and %q", got, want)
	}
}
