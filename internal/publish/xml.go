package publish

import (
	"encoding/xml"

	"github.com/gorilla/feeds"
)

// The Atom vocabulary as RFC 4287 defines it. gorilla/feeds' own AtomFeed
// cannot be used: its atom:source is a string, its category has no term, its
// links have no title, its text constructs have no type and it invents random
// ids. Its person, summary and content types are valid Atom and are reused.

const atomNS = "http://www.w3.org/2005/Atom"

// atomFeed is atom:feed. It implements feeds.XmlFeed so that it is written by
// feeds.WriteXML. All links share one field: encoding/xml refuses two fields
// with the same element name, and atom:feed's children are unordered anyway.
type atomFeed struct {
	XMLName   xml.Name          `xml:"feed"`
	Xmlns     string            `xml:"xmlns,attr"`
	ID        string            `xml:"id"`
	Title     atomText          `xml:"title"`
	Updated   string            `xml:"updated"`
	Author    *feeds.AtomAuthor `xml:"author"`
	Generator *atomGenerator    `xml:"generator"`
	Links     []atomLink        `xml:"link"`
	Entries   []atomEntry       `xml:"entry"`
}

// FeedXml returns the value feeds.ToXML and feeds.WriteXML marshal.
func (f *atomFeed) FeedXml() interface{} { return f }

type atomEntry struct {
	Lang       string              `xml:"xml:lang,attr,omitempty"`
	ID         string              `xml:"id"`
	Title      atomText            `xml:"title"`
	Links      []atomLink          `xml:"link"`
	Published  string              `xml:"published,omitempty"`
	Updated    string              `xml:"updated"`
	Authors    []*feeds.AtomAuthor `xml:"author"`
	Categories []atomCategory      `xml:"category"`
	Summary    *feeds.AtomSummary  `xml:"summary"`
	Content    *feeds.AtomContent  `xml:"content"`
	Source     *atomSource         `xml:"source"`
}

// atomSource is atom:source: the feed an entry came from, so a reader of the
// merged feed can tell the sources apart and credit them.
type atomSource struct {
	ID      string     `xml:"id,omitempty"`
	Title   *atomText  `xml:"title"`
	Updated string     `xml:"updated,omitempty"`
	Links   []atomLink `xml:"link"`
}

// atomText is a text construct with an explicit type.
type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomLink struct {
	Rel    string `xml:"rel,attr,omitempty"`
	Href   string `xml:"href,attr"`
	Type   string `xml:"type,attr,omitempty"`
	Title  string `xml:"title,attr,omitempty"`
	Length string `xml:"length,attr,omitempty"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomGenerator struct {
	URI     string `xml:"uri,attr,omitempty"`
	Version string `xml:"version,attr,omitempty"`
	Name    string `xml:",chardata"`
}
