package parse

import (
	"fmt"
	"reflect"
	"testing"
)

var utf8OK = Decoding{Encoding: "utf-8"}

func TestDiagnose(t *testing.T) {
	const rssHead = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://blog.example/</link>`
	const rssTail = `</channel></rss>`
	const atomHead = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"%s><title>T</title><id>urn:t</id><updated>2024-01-01T00:00:00Z</updated>`
	for _, tc := range []struct {
		name string
		body string
		want Diagnosis
	}{
		{"clean rss", rssHead +
			`<item><guid>a</guid><link>https://blog.example/a</link><pubDate>Mon, 01 Jan 2024 00:00:00 +0000</pubDate></item>` +
			`<item><guid>b</guid><link>https://blog.example/b</link><pubDate>Tue, 02 Jan 2024 00:00:00 +0000</pubDate></item>` + rssTail,
			Diagnosis{Items: 2, Report: Report{Decoding: utf8OK, Untitled: 2}}},
		{"rss with every problem", rssHead +
			`<item><guid>a</guid><link>/a</link></item>` +
			`<item><guid>a</guid><link>/b</link><pubDate>Tue, 02 Jan 2024 00:00:00 +0000</pubDate></item>` +
			`<item><link>https://blog.example/c</link><pubDate>not a date</pubDate></item>` + rssTail,
			Diagnosis{Items: 3, NoDates: 2, RelativeLinks: 2, NoIDs: 1, DuplicateIDs: []string{"a"},
				Report: Report{Decoding: utf8OK, Untitled: 3, SharedIDs: 2}}},
		{"rss with empty and anonymous items", rssHead +
			`<item><description>Said without a title, id or link.</description></item>` +
			`<item><guid isPermaLink="false">only-an-id</guid></item>` +
			`<item><title>T</title><guid isPermaLink="false">b</guid></item>` + rssTail,
			Diagnosis{Items: 2, NoDates: 2, Report: Report{Decoding: utf8OK, Skipped: 1, Untitled: 1, NoIDOrLink: 1}}},
		{"atom relative links without a base",
			fmt.Sprintf(atomHead, "") +
				`<entry><id>urn:1</id><title>x</title><link href="/posts/1"/><updated>2024-01-01T00:00:00Z</updated></entry></feed>`,
			Diagnosis{Items: 1, RelativeLinks: 1, Report: Report{Decoding: utf8OK}}},
		{"atom relative links under xml:base",
			fmt.Sprintf(atomHead, ` xml:base="https://blog.example/"`) +
				`<entry><id>urn:1</id><title>x</title><link href="/posts/1"/><updated>2024-01-01T00:00:00Z</updated></entry></feed>`,
			Diagnosis{Items: 1, Report: Report{Decoding: utf8OK}}},
		{"json feed", `{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[` +
			`{"id":"1","url":"/p/1","content_text":"x"},{"id":"1","url":"https://blog.example/p/2","content_text":"y","date_published":"2024-01-01T00:00:00Z"}]}`,
			Diagnosis{Items: 2, NoDates: 1, RelativeLinks: 1, DuplicateIDs: []string{"1"},
				Report: Report{Decoding: utf8OK, Untitled: 2, SharedIDs: 2}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			feed, d, err := Diagnose([]byte(tc.body), "https://blog.example/feed.xml", "")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(d, tc.want) {
				t.Errorf("Diagnose = %+v; want %+v", d, tc.want)
			}
			// What Parse returns is untouched.
			plain, err := Parse([]byte(tc.body), "https://blog.example/feed.xml")
			if err != nil || !reflect.DeepEqual(feed, plain) {
				t.Errorf("Diagnose's feed differs from Parse's (%v)", err)
			}
		})
	}
}

func TestDiagnoseNotAFeed(t *testing.T) {
	if _, _, err := Diagnose([]byte("<!doctype html><html></html>"), "https://blog.example/", ""); err == nil {
		t.Error("an HTML page diagnosed without error")
	}
}
