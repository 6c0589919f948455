package parse

import (
	"html"
	"net/url"
	"strings"

	ext "github.com/mmcdole/gofeed/extensions"
	"github.com/mmcdole/gofeed/rss"

	"github.com/villagefeeds/village/internal/model"
)

// fromRSS maps RSS 0.9x, 1.0 (RDF) and 2.0, with the Dublin Core and
// content:encoded extensions, <body>, <xhtml:body> and <fullitem>, and the
// atom:link that feeds written by .NET give instead of <link>. gofeed has
// already resolved <link> against any xml:base in scope; x holds what
// gofeed drops (see scanExtras).
func fromRSS(f *rss.Feed, base *url.URL, x *docExtras) (*Feed, []*entry) {
	_, link := absLink(base, f.Link)
	def := feedDefaults{authors: cleanPeople(rssFeedAuthors(f), base)}
	def.lang = cleanLang(firstNonEmpty(f.Language, dcFirst(f.DublinCoreExt, dcLanguage)))
	if x != nil && x.lang != "" {
		def.lang = firstNonEmpty(cleanLang(x.lang), def.lang)
	}
	feed := def.feed(link, plainText(firstNonEmpty(f.Title, dcFirst(f.DublinCoreExt, dcTitle))), link, len(f.Items))
	raw := make([]*entry, 0, len(f.Items))
	for i, it := range f.Items {
		if it == nil {
			continue
		}
		e := rssEntry(it, x.item(i, len(f.Items)))
		if e.origin != nil && e.origin.Self == urlString(base) {
			e.origin = nil
		}
		raw = append(raw, e)
		feed.Items = append(feed.Items, e.shell(base, def))
	}
	return feed, raw
}

func rssEntry(it *rss.Item, x extra) *entry {
	dc := it.DublinCoreExt
	e := &entry{
		link:       firstNonEmpty(it.Link, atomLinkExt(it.Extensions, "alternate")),
		title:      firstNonEmpty(it.Title, dcFirst(dc, dcTitle)),
		titleKind:  kindGuess,
		authors:    rssAuthors(it),
		content:    rssBody(firstNonEmpty(x.encoded.or(it.Content), x.body, it.Custom["fullitem"])),
		summary:    rssBody(firstNonEmpty(x.description.or(it.Description), dcFirst(dc, dcDescription))),
		enclosures: rssEnclosures(it),
		lang:       firstNonEmpty(x.lang, dcFirst(dc, dcLanguage)),
	}
	if it.GUID != nil {
		e.guid = it.GUID.Value
		// A permalink guid is the post's address when <link> is missing.
		if e.link == "" && !strings.EqualFold(it.GUID.IsPermalink, "false") && isHTTPURL(e.guid) {
			e.link = e.guid
		}
	}
	if it.Source != nil && (it.Source.URL != "" || it.Source.Title != "") {
		e.origin = &model.Origin{Self: it.Source.URL, ID: it.Source.URL, Title: it.Source.Title}
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
	atomUpdated := parseDate(extText(it.Extensions, "atom", "updated"))
	e.published = firstDate(utc(it.PubDateParsed), dcDate, parseDate(extText(it.Extensions, "atom", "published")), atomUpdated)
	e.updated = firstDate(dcDate, atomUpdated)
	return e
}

// extText returns the text of the first extension element prefix:name, or "".
func extText(exts ext.Extensions, prefix, name string) string {
	if es := exts[prefix][name]; len(es) > 0 {
		return es[0].Value
	}
	return ""
}

// atomLinkExt returns the href of the first atom:link extension with rel
// (an absent rel is "alternate"), or "".
func atomLinkExt(exts ext.Extensions, rel string) string {
	for _, l := range exts["atom"]["link"] {
		r := strings.ToLower(strings.TrimSpace(l.Attrs["rel"]))
		if r == "" {
			r = "alternate"
		}
		if r == rel && l.Attrs["href"] != "" {
			return l.Attrs["href"]
		}
	}
	return ""
}

// rssEnclosures returns the <enclosure> elements, then the atom:link
// rel="enclosure" extensions.
func rssEnclosures(it *rss.Item) []model.Enclosure {
	var out []model.Enclosure
	encs := it.Enclosures
	if len(encs) == 0 && it.Enclosure != nil {
		encs = []*rss.Enclosure{it.Enclosure}
	}
	for _, e := range encs {
		if e != nil {
			out = append(out, model.Enclosure{URL: e.URL, Type: e.Type, Length: parseLength(e.Length)})
		}
	}
	for _, l := range it.Extensions["atom"]["link"] {
		if strings.EqualFold(strings.TrimSpace(l.Attrs["rel"]), "enclosure") {
			out = append(out, model.Enclosure{URL: l.Attrs["href"], Type: l.Attrs["type"], Length: parseLength(l.Attrs["length"]), Title: l.Attrs["title"]})
		}
	}
	return out
}

// rssAuthors picks the item's authors: <author> (an e-mail address with the
// name in parentheses), else every dc:creator, else itunes:author.
func rssAuthors(it *rss.Item) []model.Person {
	if p := rssPerson(it.Author); p != (model.Person{}) {
		return []model.Person{p}
	}
	if dc := it.DublinCoreExt; dc != nil {
		if len(dc.Creator) > 0 {
			return namedPeople(dc.Creator)
		}
		if len(dc.Author) > 0 {
			return namedPeople(dc.Author)
		}
	}
	if it.ITunesExt != nil && it.ITunesExt.Author != "" {
		return namedPeople([]string{it.ITunesExt.Author})
	}
	return nil
}

func rssFeedAuthors(f *rss.Feed) []model.Person {
	if dc := f.DublinCoreExt; dc != nil && len(dc.Creator) > 0 {
		return namedPeople(dc.Creator)
	}
	if p := rssPerson(f.ManagingEditor); p != (model.Person{}) {
		return []model.Person{p}
	}
	if f.ITunesExt != nil && f.ITunesExt.Author != "" {
		return namedPeople([]string{f.ITunesExt.Author})
	}
	return nil
}

func namedPeople(ns []string) []model.Person {
	out := make([]model.Person, 0, len(ns))
	for _, n := range ns {
		out = append(out, model.Person{Name: n})
	}
	return out
}

type dcField int

const (
	dcTitle dcField = iota
	dcDescription
	dcDate
	dcLanguage
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
	case dcLanguage:
		values = dc.Language
	}
	if len(values) == 0 {
		return ""
	}
	return values[0]
}

// rssBody is an RSS item's description or content as HTML. RSS says it is
// HTML, but a mailing list's archive or a plain-text mirror sends plain
// text: paragraphs apart by blank lines, which HTML would run into one
// ("Hello,\n\nThe release …\n\nRead more: https://…"). Text with no tag
// and a blank line in it is read as plain text, as Atom's type="text"
// content is, once its character references are read as HTML's.
func rssBody(s string) string {
	if strings.Contains(s, "<") || !strings.Contains(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		return s
	}
	return textToHTML(html.UnescapeString(s))
}
