package parse

import (
	"net/url"
	"strings"

	jsonfeed "github.com/mmcdole/gofeed/json"
)

// isJSONFeed tells a JSON Feed from any other JSON document, which gofeed
// would happily decode into an empty feed.
func isJSONFeed(f *jsonfeed.Feed) bool {
	return strings.Contains(f.Version, "jsonfeed.org/version/") || f.Items != nil
}

// fromJSON maps JSON Feed 1.0 (author) and 1.1 (authors).
func fromJSON(f *jsonfeed.Feed, base *url.URL) *Feed {
	_, home := absLink(base, f.HomePageURL)
	_, self := absLink(base, f.FeedURL)
	feed := &Feed{
		ID:     firstNonEmpty(self, home),
		Title:  plainText(f.Title),
		Link:   home,
		Author: joinNames(jsonAuthors(f.Authors, f.Author)),
		Items:  make([]Item, 0, len(f.Items)),
	}
	for _, it := range f.Items {
		if it == nil {
			continue
		}
		e := jsonEntry(it)
		feed.Items = append(feed.Items, e.build(base, feed.Author))
	}
	return feed
}

func jsonEntry(it *jsonfeed.Item) *entry {
	e := &entry{
		guid:       it.ID,
		link:       firstNonEmpty(it.URL, it.ExternalURL),
		title:      it.Title,
		authors:    jsonAuthors(it.Authors, it.Author),
		content:    it.ContentHTML,
		summary:    textToHTML(it.Summary), // plain text in JSON Feed
		categories: it.Tags,
		published:  parseDate(it.DatePublished),
		updated:    parseDate(it.DateModified),
	}
	if e.content == "" {
		e.content = textToHTML(it.ContentText)
	}
	if e.link == "" && isHTTPURL(it.ID) {
		e.link = it.ID
	}
	return e
}

// jsonAuthors returns the names of the 1.1 authors list, else of the 1.0
// author object.
func jsonAuthors(authors []*jsonfeed.Author, author *jsonfeed.Author) []string {
	var names []string
	for _, a := range authors {
		if a != nil && a.Name != "" {
			names = append(names, a.Name)
		}
	}
	if len(names) == 0 && author != nil && author.Name != "" {
		names = append(names, author.Name)
	}
	return names
}
