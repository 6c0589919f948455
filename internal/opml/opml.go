// Package opml reads and writes OPML subscription lists, the format feed readers exchange sources in.
package opml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/net/html/charset"
)

// ErrNotOPML is wrapped by Parse when the document has no <opml> root, so
// the caller can tell a wrong file from a broken one.
var ErrNotOPML = errors.New("not an OPML document")

// Outline is one feed of a subscription list.
//
// Category holds OPML 2.0's category attribute: comma-separated category
// strings, each possibly slash-delimited ("/Tech/Go,news"). Parse adds the
// folders a feed is nested in as one more slash-delimited string, so that a
// reader's folders and the category attribute arrive in the same place.
type Outline struct {
	Text     string
	Title    string
	Type     string // "rss" for feeds of every format, by custom
	XMLURL   string // the feed URL
	HTMLURL  string // the site's home page
	Category string
}

// Categories splits Category into its category strings, without the
// surrounding slashes or blanks, empty ones left out.
func (o Outline) Categories() []string {
	var out []string
	for c := range strings.SplitSeq(o.Category, ",") {
		if c = strings.Trim(strings.TrimSpace(c), "/"); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// Parse reads an OPML 1.0 or 2.0 document and returns its feeds (outlines
// with an xmlUrl) in document order. Outlines without one are folders:
// their text becomes part of the Category of the feeds inside them.
func Parse(r io.Reader) ([]Outline, error) {
	dec := xml.NewDecoder(r)
	dec.CharsetReader = charset.NewReaderLabel
	dec.Strict = false // exporters write bare "&" and HTML entities in titles
	dec.Entity = xml.HTMLEntity
	var doc document
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("opml: %w: empty document", ErrNotOPML)
		}
		return nil, fmt.Errorf("opml: %w", err)
	}
	if !strings.EqualFold(doc.XMLName.Local, "opml") {
		return nil, fmt.Errorf("opml: %w: root element is <%s>", ErrNotOPML, doc.XMLName.Local)
	}
	var out []Outline
	walk(doc.Body.Outlines, nil, &out)
	return out, nil
}

// maxDepth bounds folder nesting: deeper outlines are still read, their
// folder path is simply not extended, so a hostile file cannot grow it.
const maxDepth = 32

func walk(items []outline, folders []string, out *[]Outline) {
	for _, it := range items {
		if it.XMLURL != "" {
			*out = append(*out, it.public(folders))
		}
		sub := folders
		if it.XMLURL == "" && len(folders) < maxDepth {
			if name := it.label(); name != "" {
				sub = append(folders[:len(folders):len(folders)], name)
			}
		}
		walk(it.Children, sub, out)
	}
}

// document is the part of an OPML file that Parse reads.
type document struct {
	XMLName xml.Name
	Body    struct {
		Outlines []outline `xml:"outline"`
	} `xml:"body"`
}

// outline is one <outline> element. Attribute names are matched without
// regard to case: exporters write xmlUrl, xmlURL and xmlurl alike.
type outline struct {
	Outline
	Children []outline
}

func (o *outline) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	for _, a := range start.Attr {
		v := strings.TrimSpace(a.Value)
		switch strings.ToLower(a.Name.Local) {
		case "text":
			o.Text = v
		case "title":
			o.Title = v
		case "type":
			o.Type = v
		case "xmlurl":
			o.XMLURL = v
		case "htmlurl":
			o.HTMLURL = v
		case "category":
			o.Category = v
		}
	}
	var body struct {
		Children []outline `xml:"outline"`
	}
	if err := d.DecodeElement(&body, &start); err != nil {
		return err
	}
	o.Children = body.Children
	return nil
}

func (o outline) label() string {
	if o.Text != "" {
		return o.Text
	}
	return o.Title
}

// public returns the feed with the folders it sits in added to Category.
func (o outline) public(folders []string) Outline {
	out := o.Outline
	if len(folders) > 0 {
		path := "/" + strings.Join(folders, "/")
		if out.Category == "" {
			out.Category = path
		} else {
			out.Category += "," + path
		}
	}
	return out
}

// Render writes an OPML 2.0 document listing outlines flat, in the order
// given, with nothing time-dependent in it: the same sources give the same
// bytes, so the file can be cached and diffed.
func Render(title string, outlines []Outline) ([]byte, error) {
	doc := renderDoc{Version: "2.0", Title: title}
	doc.Outlines = make([]renderOutline, len(outlines))
	for i, o := range outlines {
		doc.Outlines[i] = newRenderOutline(o)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("opml: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

type renderDoc struct {
	XMLName  xml.Name        `xml:"opml"`
	Version  string          `xml:"version,attr"`
	Title    string          `xml:"head>title"`
	Outlines []renderOutline `xml:"body>outline"`
}

type renderOutline struct {
	Text     string `xml:"text,attr"`
	Title    string `xml:"title,attr,omitempty"`
	Type     string `xml:"type,attr,omitempty"`
	XMLURL   string `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string `xml:"htmlUrl,attr,omitempty"`
	Category string `xml:"category,attr,omitempty"`
}

// newRenderOutline fills what OPML 2.0 requires: text on every outline,
// type "rss" on every feed.
func newRenderOutline(o Outline) renderOutline {
	r := renderOutline(o)
	if r.Text == "" {
		r.Text = r.Title
	}
	if r.Text == "" {
		r.Text = r.XMLURL
	}
	if r.Type == "" && r.XMLURL != "" {
		r.Type = "rss"
	}
	return r
}
