package parse

import (
	"net/url"
	"strings"

	ext "github.com/mmcdole/gofeed/extensions"
	"github.com/mmcdole/gofeed/rss"
)

// fromRSS maps RSS 0.9x, 1.0 (RDF) and 2.0, with the Dublin Core and
// content:encoded extensions. gofeed has already resolved <link> against any
// xml:base in scope.
func fromRSS(f *rss.Feed, base *url.URL) *Feed {
	_, link := absLink(base, f.Link)
	feed := &Feed{
		ID:     link,
		Title:  plainText(firstNonEmpty(f.Title, dcFirst(f.DublinCoreExt, dcTitle))),
		Link:   link,
		Author: rssFeedAuthor(f),
		Items:  make([]Item, 0, len(f.Items)),
	}
	for _, it := range f.Items {
		if it == nil {
			continue
		}
		e := rssEntry(it)
		feed.Items = append(feed.Items, e.build(base, feed.Author))
	}
	return feed
}

func rssEntry(it *rss.Item) *entry {
	dc := it.DublinCoreExt
	e := &entry{
		link:    it.Link,
		title:   firstNonEmpty(it.Title, dcFirst(dc, dcTitle)),
		authors: rssAuthors(it),
		content: it.Content,
		summary: firstNonEmpty(it.Description, dcFirst(dc, dcDescription)),
	}
	if it.GUID != nil {
		e.guid = it.GUID.Value
		// A permalink guid is the post's address when <link> is missing.
		if e.link == "" && !strings.EqualFold(it.GUID.IsPermalink, "false") && isHTTPURL(e.guid) {
			e.link = e.guid
		}
	}
	for _, c := range it.Categories {
		if c != nil {
			e.categories = append(e.categories, c.Value)
		}
	}
	if dc != nil {
		e.categories = append(e.categories, dc.Subject...)
	}
	dcDate := parseDate(dcFirst(dc, dcDate))
	e.published = firstDate(utc(it.PubDateParsed), dcDate)
	e.updated = dcDate
	return e
}

// rssAuthors picks the item's authors: <author> (an e-mail address with the
// name in parentheses), else every dc:creator, else itunes:author.
func rssAuthors(it *rss.Item) []string {
	if name := personName(it.Author); name != "" {
		return []string{name}
	}
	if dc := it.DublinCoreExt; dc != nil {
		if len(dc.Creator) > 0 {
			return dc.Creator
		}
		if len(dc.Author) > 0 {
			return dc.Author
		}
	}
	if it.ITunesExt != nil && it.ITunesExt.Author != "" {
		return []string{it.ITunesExt.Author}
	}
	return nil
}

func rssFeedAuthor(f *rss.Feed) string {
	if dc := f.DublinCoreExt; dc != nil && len(dc.Creator) > 0 {
		return joinNames(dc.Creator)
	}
	if name := plainText(personName(f.ManagingEditor)); name != "" {
		return name
	}
	if f.ITunesExt != nil {
		return plainText(f.ITunesExt.Author)
	}
	return ""
}

type dcField int

const (
	dcTitle dcField = iota
	dcDescription
	dcDate
)

// dcFirst returns the first value of a Dublin Core element, or "".
func dcFirst(dc *ext.DublinCoreExtension, field dcField) string {
	if dc == nil {
		return ""
	}
	var values []string
	switch field {
	case dcTitle:
		values = dc.Title
	case dcDescription:
		values = dc.Description
	case dcDate:
		values = dc.Date
	}
	if len(values) == 0 {
		return ""
	}
	return values[0]
}
