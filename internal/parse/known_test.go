package parse

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/model"
)

// TestDigestCoversEveryField changes each field an item is read from, one
// at a time, and wants a new digest every time: an item the digest did not
// tell apart from its stored reading would never be read again.
func TestDigestCoversEveryField(t *testing.T) {
	base := func() *entry {
		e := &entry{
			guid: "g", link: "/a", title: "T", titleKind: kindText,
			authors:    []model.Person{{Name: "Ann", URI: "https://a.example/", Email: "a@a.example"}},
			content:    "<p>c</p>",
			summary:    "<p>s</p>",
			categories: []string{"x"},
			enclosures: []model.Enclosure{{URL: "/e.mp3", Type: "audio/mpeg", Length: 1, Title: "E"}},
			lang:       "en",
			origin:     &model.Origin{ID: "o", Title: "O", Link: "/o", Self: "/o.xml", Updated: time.Unix(1, 0)},
			published:  time.Unix(2, 0).UTC(),
			updated:    time.Unix(3, 0).UTC(),
		}
		e.shell(mustURL(t, "https://blog.example/feed.xml"), feedDefaults{authors: []model.Person{{Name: "Feed"}}, lang: "de"})
		return e
	}
	changes := map[string]func(e *entry){
		"guid":        func(e *entry) { e.guid = "h" },
		"link":        func(e *entry) { e.link = "/b" },
		"title":       func(e *entry) { e.title = "U" },
		"titleKind":   func(e *entry) { e.titleKind = kindHTML },
		"authors":     func(e *entry) { e.authors[0].Email = "b@a.example" },
		"content":     func(e *entry) { e.content = "<p>d</p>" },
		"summary":     func(e *entry) { e.summary = "<p>t</p>" },
		"categories":  func(e *entry) { e.categories = []string{"x", "y"} },
		"enclosures":  func(e *entry) { e.enclosures[0].Length = 2 },
		"lang":        func(e *entry) { e.lang = "fr" },
		"origin":      func(e *entry) { e.origin.Updated = time.Unix(4, 0) },
		"published":   func(e *entry) { e.published = e.published.Add(time.Nanosecond) },
		"updated":     func(e *entry) { e.updated = e.updated.In(time.FixedZone("X", 3600)) },
		"base":        func(e *entry) { e.base = mustURL(t, "https://blog.example/other.xml") },
		"def":         func(e *entry) { e.def.lang = "it" },
		"contentBase": func(e *entry) { e.contentBase = mustURL(t, "https://blog.example/c/") },
		"summaryBase": func(e *entry) { e.summaryBase = mustURL(t, "https://blog.example/s/") },
	}
	// What shell derives from the others, and fill's own mark.
	derived := map[string]bool{"htmlBase": true, "filled": true}
	typ := reflect.TypeFor[entry]()
	for i := range typ.NumField() {
		name := typ.Field(i).Name
		if _, ok := changes[name]; !ok && !derived[name] {
			t.Errorf("entry.%s is not covered: add it to digest and to this test", name)
		}
	}
	want := base().digest()
	if len(want) != DigestSize {
		t.Fatalf("digest of %d bytes, want %d", len(want), DigestSize)
	}
	if got := base().digest(); !bytes.Equal(got, want) {
		t.Fatal("two digests of one entry differ")
	}
	for name, change := range changes {
		e := base()
		change(e)
		if bytes.Equal(e.digest(), want) {
			t.Errorf("changing %s left the digest as it was", name)
		}
	}
	// Values that only differ in where one ends and the next begins.
	a, b := base(), base()
	a.guid, a.link = "ab", "c"
	b.guid, b.link = "a", "bc"
	if bytes.Equal(a.digest(), b.digest()) {
		t.Error(`guid "ab" + link "c" and guid "a" + link "bc" share a digest`)
	}
}

// TestParseKnown reads a feed twice, the second time told that some of
// its items are stored as they read: those come back Known, without their
// HTML, and every other item exactly as ParseHTTP reads it.
func TestParseKnown(t *testing.T) {
	for _, name := range []string{"atom10_xmlbase.xml", "rss20_content.xml", "jsonfeed11.json", "hugo.xml"} {
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			full, err := ParseHTTP(body, fixtureURL, "")
			if err != nil {
				t.Fatal(err)
			}
			if len(full.Items) < 2 {
				t.Fatalf("%d items; the test needs two", len(full.Items))
			}
			stored := map[string][]byte{} // every other item
			for i, it := range full.Items {
				if len(it.Digest) != DigestSize {
					t.Fatalf("item %d: digest %x", i, it.Digest)
				}
				if i%2 == 0 {
					stored[it.Key] = it.Digest
				}
			}
			asked := 0
			known := func(key string, digest []byte) bool {
				asked++
				return bytes.Equal(stored[key], digest)
			}
			got, err := ParseKnown(body, fixtureURL, "", known)
			if err != nil {
				t.Fatal(err)
			}
			if asked != len(full.Items) {
				t.Errorf("known asked %d times for %d items", asked, len(full.Items))
			}
			checkInvariants(t, got)
			for i, it := range got.Items {
				want := full.Items[i]
				if i%2 == 1 {
					if !reflect.DeepEqual(it, want) {
						t.Errorf("item %d, not known:\n got %+v\nwant %+v", i, it, want)
					}
					continue
				}
				if !it.Known || it.Content != "" || it.Summary != "" || it.Text != "" {
					t.Errorf("item %d, known: Known %v, content %q, text %q", i, it.Known, it.Content, it.Text)
				}
				if it.Key != want.Key || it.GUID != want.GUID || it.Link != want.Link || !bytes.Equal(it.Digest, want.Digest) {
					t.Errorf("item %d, known: key %q guid %q link %q, want %q %q %q", i, it.Key, it.GUID, it.Link, want.Key, want.GUID, want.Link)
				}
			}
			if !reflect.DeepEqual(got.Report, full.Report) {
				t.Errorf("report %+v, want %+v", got.Report, full.Report)
			}
		})
	}
}

// TestParseKnownDigestFollowsTheItem edits one item of a feed: only its
// digest changes.
func TestParseKnownDigestFollowsTheItem(t *testing.T) {
	feed := func(second string) []byte {
		return []byte(`<rss version="2.0"><channel><title>B</title><link>https://b.example/</link>
<item><guid>1</guid><link>https://b.example/1</link><title>One</title><description>&lt;p&gt;first&lt;/p&gt;</description></item>
<item><guid>2</guid><link>https://b.example/2</link><title>Two</title><description>` + second + `</description></item>
</channel></rss>`)
	}
	before, err := Parse(feed("&lt;p&gt;second&lt;/p&gt;"), "https://b.example/feed")
	if err != nil {
		t.Fatal(err)
	}
	after, err := Parse(feed("&lt;p&gt;second, fixed&lt;/p&gt;"), "https://b.example/feed")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before.Items[0].Digest, after.Items[0].Digest) {
		t.Error("the digest of the item left alone changed")
	}
	if bytes.Equal(before.Items[1].Digest, after.Items[1].Digest) {
		t.Error("the digest of the edited item did not change")
	}
	moved, err := Parse(feed("&lt;p&gt;second&lt;/p&gt;"), "https://mirror.example/feed")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(before.Items[0].Digest, moved.Items[0].Digest) {
		t.Error("the same item read from another URL kept its digest")
	}
}

// TestParseKnownNeedsText: an item known by a digest of its text, or kept
// only for its text, is read whatever known says.
func TestParseKnownNeedsText(t *testing.T) {
	body := []byte(`<rss version="2.0"><channel><title>B</title>
<item><description>&lt;p&gt;no id, no link, no title&lt;/p&gt;</description></item>
<item><guid isPermaLink="false">x</guid><description>&lt;p&gt;an id, nothing else&lt;/p&gt;</description></item>
</channel></rss>`)
	got, err := ParseKnown(body, "https://b.example/feed", "", func(string, []byte) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Items) != 2 {
		t.Fatalf("%d items, want 2", len(got.Items))
	}
	for i, it := range got.Items {
		if it.Known || !strings.Contains(it.Text, "no") && !strings.Contains(it.Text, "nothing") {
			t.Errorf("item %d: Known %v, text %q", i, it.Known, it.Text)
		}
		if it.Title == "" {
			t.Errorf("item %d: untitled", i)
		}
	}
}

// TestParseKnownListedTwice: a key the feed lists twice is never known.
func TestParseKnownListedTwice(t *testing.T) {
	body := []byte(`<rss version="2.0"><channel><title>B</title>
<item><guid>1</guid><link>https://b.example/1</link><title>One</title><description>first</description></item>
<item><guid>1</guid><link>https://b.example/1</link><title>One, again</title><description>again</description></item>
<item><guid>2</guid><link>https://b.example/2</link><title>Two</title><description>second</description></item>
</channel></rss>`)
	got, err := ParseKnown(body, "https://b.example/feed", "", func(string, []byte) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	var known []bool
	for _, it := range got.Items {
		known = append(known, it.Known)
	}
	if !reflect.DeepEqual(known, []bool{false, false, true}) {
		t.Errorf("known %v, want [false false true]", known)
	}
}
