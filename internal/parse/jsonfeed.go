package parse

import (
	"net/url"
	"strings"

	jsonfeed "github.com/mmcdole/gofeed/json"

	"github.com/villagefeeds/village/internal/model"
)

// isJSONFeed tells a JSON Feed from any other JSON document, which gofeed
// would happily decode into an empty feed.
func isJSONFeed(f *jsonfeed.Feed) bool {
	return strings.Contains(f.Version, "jsonfeed.org/version/") || f.Items != nil
}

// fromJSON maps JSON Feed 1.0 (author) and 1.1 (authors, language). Its
// titles are plain text, whatever they look like.
func fromJSON(f *jsonfeed.Feed, base *url.URL) (*Feed, []*entry) {
	_, home := absLink(base, f.HomePageURL)
	_, self := absLink(base, f.FeedURL)
	def := feedDefaults{authors: cleanPeople(jsonAuthors(f.Authors, f.Author), base), lang: cleanLang(f.Language)}
	feed := def.feed(firstNonEmpty(self, home), collapseSpace(f.Title), home, len(f.Items))
	raw := make([]*entry, 0, len(f.Items))
	for _, it := range f.Items {
		if it == nil {
			continue
		}
		e := jsonEntry(it)
		raw = append(raw, e)
		feed.Items = append(feed.Items, e.shell(base, def))
	}
	return feed, raw
}

func jsonEntry(it *jsonfeed.Item) *entry {
	e := &entry{
		guid:       it.ID,
		link:       firstNonEmpty(it.URL, it.ExternalURL),
		title:      it.Title,
		titleKind:  kindText,
		authors:    jsonAuthors(it.Authors, it.Author),
		content:    it.ContentHTML,
		summary:    textToHTML(it.Summary), // plain text in JSON Feed
		categories: it.Tags,
		lang:       it.Language,
		published:  parseDate(it.DatePublished),
		updated:    parseDate(it.DateModified),
	}
	if e.content == "" {
		e.content = textToHTML(it.ContentText)
	}
	if e.link == "" && isHTTPURL(it.ID) {
		e.link = it.ID
	}
	if it.Attachments != nil {
		for _, a := range *it.Attachments {
			e.enclosures = append(e.enclosures, model.Enclosure{URL: a.URL, Type: a.MimeType, Length: a.SizeInBytes, Title: a.Title})
		}
	}
	return e
}

// jsonAuthors returns the 1.1 authors list, else the 1.0 author object. An
// author url that is a mailto: link is the author's e-mail address.
func jsonAuthors(authors []*jsonfeed.Author, author *jsonfeed.Author) []model.Person {
	if len(authors) == 0 && author != nil {
		authors = []*jsonfeed.Author{author}
	}
	var out []model.Person
	for _, a := range authors {
		if a == nil {
			continue
		}
		p := model.Person{Name: a.Name, URI: a.URL}
		if strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.URL)), "mailto:") {
			p.URI, p.Email = "", a.URL
		}
		out = append(out, p)
	}
	return out
}
