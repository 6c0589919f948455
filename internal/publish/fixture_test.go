package publish

import (
	"time"

	"github.com/villagefeeds/village/internal/model"
)

// fixtureMeta, fixtureSources and fixtureEntries are the input of the golden
// file testdata/merged.golden.xml.
var fixtureMeta = Meta{
	Title:     "Village Planet",
	Link:      "https://planet.example/",
	SelfURL:   "https://planet.example/atom.xml",
	Author:    "The Village",
	Generator: "village",
	Version:   "1.0.0",
	URI:       "https://github.com/villagefeeds/village",
	Links: []Link{
		{Rel: "hub", Href: "https://hub.example/"},
		{Rel: "next", Href: "https://planet.example/atom.xml?page=2", Type: "application/atom+xml", Title: "Older"},
	},
}

func fixtureSources() map[int64]model.Source {
	return map[int64]model.Source{
		1: {ID: 1, Name: "Alice's Blog", URL: "https://alice.example/feed.xml", Homepage: "https://alice.example/", FeedID: "tag:alice.example,2024:feed", FeedTitle: "Alice writes"},
		2: {ID: 2, FeedTitle: "Bob & Co <Weekly>", URL: "https://bob.example/atom.xml"},
		3: {ID: 3, URL: "https://carol.example/rss", Homepage: "https://carol.example/"},
	}
}

func date0(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// fixtureEntries are newest first by publication date, as the store returns
// them. The last one was edited after the first was published, so the feed's
// atom:updated is not the first entry's.
func fixtureEntries() []model.Entry {
	return []model.Entry{
		{
			ID: 10, SourceID: 1,
			GUID:         "https://alice.example/posts/cross",
			Link:         "https://alice.example/posts/cross",
			CanonicalURL: "https://alice.example/posts/cross",
			Title:        "Cross-posted: A & B <together>",
			Author:       "Alice, Ann",
			Authors: []model.Person{
				{Name: "Alice", URI: "https://alice.example/about", Email: "alice@alice.example"},
				{Name: "Ann"},
			},
			Lang:       "en-GB",
			Content:    "<p>Fish &amp; chips &lt;3 “quoted” > more</p>\n<p>Second <a href=\"https://x.example/?a=1&amp;b=2\">link</a></p>",
			Categories: []string{"go", "Go", " rss ", "", "planet"},
			Published:  date0("2024-05-03T10:00:00Z"),
			Updated:    date0("2024-05-03T14:00:00+02:00"),
			FirstSeen:  date0("2024-05-03T12:05:00Z"),
			Alternates: []model.Alternate{
				{SourceID: 2, GUID: "99", Link: "https://bob.example/2024/cross"},
				{SourceID: 3, GUID: "", Link: "https://carol.example/reposts/cross"},
			},
		},
		{
			ID: 11, SourceID: 2,
			GUID:         "1234",
			Link:         "https://bob.example/2024/05/02/hello",
			CanonicalURL: "https://bob.example/2024/05/02/hello",
			Title:        "Hello\x00 \x0bworld\x1f \ufffe!",
			Summary:      "<p>Short &amp; sweet</p>",
			Content:      "<p>Body\x0c with a form feed\x08 and 5 < 6</p>",
			Published:    date0("2024-05-02T08:30:00Z"),
			FirstSeen:    date0("2024-05-02T09:00:00Z"),
		},
		{
			ID: 12, SourceID: 3,
			GUID:      "post-7",
			Link:      "https://carol.example/p/7",
			Title:     "Carol's seventh",
			Content:   "<p>No author, no summary, no canonical URL.</p>",
			Published: date0("2024-05-01T00:00:00Z"),
			FirstSeen: date0("2024-05-01T00:10:00Z"),
			Enclosures: []model.Enclosure{
				{URL: "https://carol.example/p/7.mp3", Type: "audio/mpeg", Length: 12345678, Title: "Episode 7"},
				{URL: "https://carol.example/p/7.ogg", Type: "audio/ogg"},
			},
			Origin: &model.Origin{ID: "tag:dave.example,2024:feed", Title: "Dave's original", Link: "https://dave.example/",
				Self: "https://dave.example/feed.atom", Updated: date0("2024-04-30T00:00:00Z")},
		},
		{
			ID: 13, SourceID: 1,
			GUID:         "tag:alice.example,2024:old",
			Link:         "https://alice.example/posts/old",
			CanonicalURL: "https://alice.example/posts/old",
			Title:        "An old post, edited",
			Author:       "Alice",
			Content:      "<p>Edited later.</p>",
			Published:    date0("2024-04-01T00:00:00Z"),
			Updated:      date0("2024-05-04T09:00:00Z"),
			FirstSeen:    date0("2024-04-01T01:00:00Z"),
		},
	}
}
