package parse

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"net/url"
	"strings"
)

// gofeed's format parsers drop a few things a faithful reader needs: the
// type of an Atom text construct (is this title text or HTML?), Atom 0.3's
// mode="base64", XHTML content as markup (gofeed runs it through an HTML
// parser, which turns a self-closing <iframe/> into an element that
// swallows the rest of the post), RSS <body> and <xhtml:body>, and
// xml:lang on items. scanExtras reads them in a second, lighter pass over
// the document: it looks at the attributes of a few elements and takes
// apart only XHTML, skipping everything else.

// Namespaces the scan tells apart.
const (
	atom10NS = "http://www.w3.org/2005/Atom"
	atom03NS = "http://purl.org/atom/ns#"
	xhtmlNS  = "http://www.w3.org/1999/xhtml"
	xmlNS    = "http://www.w3.org/XML/1998/namespace"
	rdfNS    = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	rss10NS  = "http://purl.org/rss/1.0/"
	rss09NS  = "http://channel.netscape.com/rdf/simple/0.9/"
	rss09Alt = "http://my.netscape.com/rdf/simple/0.9/"
	// contentNS is content:encoded's namespace, which gofeed reads as the
	// item's content whatever prefix the feed gives it.
	contentNS = "http://purl.org/rss/1.0/modules/content/"
)

// construct is an Atom text construct (title, summary, content) as written.
type construct struct {
	typ, mode string // the type and (Atom 0.3) mode attributes, lower case
	xhtml     string // inline XHTML content as HTML, without its wrapping div
	isXHTML   bool   // xhtml is the construct's content
	// hollow is set when the scan took the construct's HTML out of the
	// document given to gofeed: value is then what gofeed would have
	// read (see hollow.go).
	hollow bool
	value  string
	// base is the xml:base gofeed would have resolved value's URLs
	// against, when hollow; nil for none. The entry's reading does it.
	base *url.URL
}

// kind says how to read the construct's text: "text", "html", "xhtml" or,
// for a type that names no text at all (an image), "".
func (c construct) kind() string {
	switch t := c.typ; {
	case c.isXHTML || t == "xhtml" || strings.Contains(t, "xhtml"):
		return "xhtml"
	case t == "html" || strings.Contains(t, "html"):
		return "html"
	case t == "" || t == "text" || strings.HasPrefix(t, "text/"):
		return "text"
	}
	return ""
}

// extra is what the scan found about one item.
type extra struct {
	seen                    bool   // the scan found the item; else all is unknown
	lang                    string // xml:lang in scope
	title, summary, content construct
	body                    string // RSS <body> or <xhtml:body> as HTML
	// An RSS item's description and content:encoded, when the scan
	// hollowed them (see rssText).
	description, encoded construct
}

// docExtras is what the scan found about a document. Its items are in
// gofeed's order, so that item i of gofeed's result is items[i].
type docExtras struct {
	lang  string // xml:lang of the root or channel
	title construct
	items []extra
	// src is the document as scanned, and cuts the spans of it whose
	// constructs are hollow, in order.
	src  []byte
	cuts []span
	// unsure is set when the scan hollowed texts of an item that gofeed
	// may read otherwise: only the whole document is then read.
	unsure bool
}

// item returns the extras of item i, or zero extras when the scan did not
// see as many items as gofeed did.
func (x *docExtras) item(i, n int) extra {
	if x == nil || len(x.items) != n {
		return extra{}
	}
	return x.items[i]
}

// frame is one open element with the xml:lang and xml:base in scope. base
// is nil when no xml:base is: URLs are then left for cleanHTML to resolve
// against the item's link.
type frame struct {
	lang string
	base *url.URL
	// gofeedBase is the xml:base as gofeed's parser computes it, which
	// differs: the first xml:base attribute, untrimmed, resolved against
	// the parent's and never against the document's URL (see hollow.go).
	gofeedBase *url.URL
}

type scanner struct {
	hollowRSS bool // the RSS items' texts may be hollowed (see rssText)
	d         *xml.Decoder
	r         *bytes.Reader // what d reads, directly (see skipText)
	skipped   int64         // bytes of r that d did not read
	docURL    *url.URL      // where the document was fetched: the base of a relative xml:base
	stack     []frame
	x         docExtras
	rootNS    string
	atom      bool
	rootOnly  []extra // RSS items outside the channel, which gofeed lists last
}

// scanExtras reads the extras of an RSS or Atom document. It returns nil
// when the document cannot be read as far as its end; gofeed read it, so
// that is rare, and the items then go without extras.
func scanExtras(body []byte, docURL *url.URL) *docExtras {
	if !mayHaveExtras(body) {
		return nil
	}
	s := newScanner(dropControls(body), docURL)
	if err := s.root(); err != nil {
		return nil
	}
	s.x.items = append(s.x.items, s.rootOnly...)
	return &s.x
}

// newScanner returns a scanner of src, fetched from docURL.
func newScanner(src []byte, docURL *url.URL) *scanner {
	r := bytes.NewReader(src)
	d := xml.NewDecoder(r)
	d.Strict = false                                                                   // as gofeed reads it
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil } // toUTF8 made it UTF-8
	s := &scanner{d: d, r: r, docURL: docURL, stack: []frame{{}}}
	s.x.src = src
	return s
}

// dropControls removes the control characters XML forbids, as gofeed does
// before parsing; it copies body only when there are any.
func dropControls(body []byte) []byte {
	i := 0
	for i < len(body) && (body[i] >= 0x20 || body[i] == '\t' || body[i] == '\n' || body[i] == '\r') {
		i++
	}
	if i == len(body) {
		return body
	}
	out := append([]byte(nil), body[:i]...)
	for _, c := range body[i:] {
		if c >= 0x20 || c == '\t' || c == '\n' || c == '\r' {
			out = append(out, c)
		}
	}
	return out
}

// next returns the next start or end element, pushing and popping frames.
func (s *scanner) next() (xml.Token, error) {
	for {
		tok, err := s.d.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			s.push(t)
			return t, nil
		case xml.EndElement:
			s.stack = s.stack[:len(s.stack)-1]
			return t, nil
		}
	}
}

// push opens a frame for start, inheriting xml:lang and xml:base.
func (s *scanner) push(start xml.StartElement) {
	f := s.stack[len(s.stack)-1]
	f.gofeedBase = gofeedBase(f.gofeedBase, start.Attr)
	for _, a := range start.Attr {
		if a.Name.Space != xmlNS && a.Name.Space != "xml" {
			continue
		}
		switch a.Name.Local {
		case "lang":
			f.lang = strings.TrimSpace(a.Value)
		case "base":
			if u, err := url.Parse(strings.TrimSpace(a.Value)); err == nil {
				parent := f.base
				if parent == nil {
					parent = s.docURL
				}
				if parent != nil {
					u = parent.ResolveReference(u)
				}
				f.base = u
			}
		}
	}
	s.stack = append(s.stack, f)
}

func (s *scanner) top() frame { return s.stack[len(s.stack)-1] }

// skip consumes the rest of the element just opened.
func (s *scanner) skip() error {
	s.stack = s.stack[:len(s.stack)-1]
	return s.d.Skip()
}

// children calls fn for each child element of the element just opened,
// with its lower-cased local name, until that element ends. fn must
// consume the child (skip it or read it whole).
func (s *scanner) children(fn func(xml.StartElement, string) error) error {
	for {
		tok, err := s.next()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := fn(t, strings.ToLower(t.Name.Local)); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

func (s *scanner) root() error {
	tok, err := s.next()
	if err != nil {
		return err
	}
	start, ok := tok.(xml.StartElement)
	if !ok {
		return errors.New("no root element")
	}
	s.rootNS = start.Name.Space
	s.x.lang = s.top().lang
	switch strings.ToLower(start.Name.Local) {
	case "feed":
		s.atom = true
		return s.children(s.atomFeedChild)
	case "rss", "rdf":
		s.hollowRSS = nativeRSS(s.rootNS)
		return s.children(s.rssRootChild)
	}
	return errors.New("not RSS or Atom")
}

func isAtomNS(space string) bool { return space == "" || space == atom10NS || space == atom03NS }

// isRSSNS approximates gofeed's native RSS namespaces: none, RDF, RSS 1.0
// and 0.9, and whatever the root declared as its own (gofeed leaves out a
// root namespace it knows as an extension's). It is exact when the root's
// namespace is itself native (see nativeRSS), the only documents whose
// RSS texts the scan hollows.
func (s *scanner) isRSSNS(space string) bool {
	return nativeRSS(space) || strings.TrimSpace(space) == strings.TrimSpace(s.rootNS)
}

// nativeRSS reports whether gofeed reads an element in space as RSS
// whatever the document's root: none, RDF, RSS 1.0 and 0.9, and the raw
// prefixes rss and rdf that encoding/xml leaves when undeclared.
func nativeRSS(space string) bool {
	switch strings.TrimSpace(space) {
	case "", "rss", "rdf", rdfNS, rss10NS, rss09NS, rss09Alt:
		return true
	}
	return false
}

func (s *scanner) atomFeedChild(start xml.StartElement, name string) error {
	if !isAtomNS(start.Name.Space) {
		return s.skip()
	}
	switch name {
	case "title":
		c, err := s.construct(start)
		s.x.title = c
		return err
	case "entry":
		x := extra{seen: true, lang: s.top().lang}
		err := s.children(func(start xml.StartElement, name string) error {
			if !isAtomNS(start.Name.Space) {
				return s.skip()
			}
			var err error
			switch name {
			case "title":
				x.title, err = s.construct(start)
			case "summary":
				x.summary, err = s.hollowConstruct(start)
			case "content":
				x.content, err = s.hollowConstruct(start)
			default:
				err = s.skip()
			}
			return err
		})
		s.x.items = append(s.x.items, x)
		return err
	}
	return s.skip()
}

// construct reads a text construct's attributes and, when it is XHTML,
// its markup.
func (s *scanner) construct(start xml.StartElement) (construct, error) {
	c := constructAttrs(start)
	if c.kind() != "xhtml" || c.mode == "base64" || c.mode == "escaped" {
		return c, s.skip()
	}
	html, err := s.xhtml(true)
	c.xhtml, c.isXHTML = html, true
	return c, err
}

// constructAttrs reads a text construct's type and mode.
func constructAttrs(start xml.StartElement) construct {
	var c construct
	for _, a := range start.Attr {
		if a.Name.Space == "" {
			switch a.Name.Local {
			case "type":
				c.typ = strings.ToLower(strings.TrimSpace(a.Value))
			case "mode":
				c.mode = strings.ToLower(strings.TrimSpace(a.Value))
			}
		}
	}
	return c
}

func (s *scanner) rssRootChild(start xml.StartElement, name string) error {
	if !s.isRSSNS(start.Name.Space) {
		return s.skip()
	}
	switch name {
	case "channel":
		s.x.lang = s.top().lang
		return s.children(func(start xml.StartElement, name string) error {
			if name == "item" && s.isRSSNS(start.Name.Space) {
				x, err := s.rssItem()
				s.x.items = append(s.x.items, x)
				return err
			}
			return s.skip()
		})
	case "item":
		x, err := s.rssItem()
		s.rootOnly = append(s.rootOnly, x)
		return err
	}
	return s.skip()
}

func (s *scanner) rssItem() (extra, error) {
	x := extra{seen: true, lang: s.top().lang}
	texts := 0 // children named description or encoded, in any namespace
	err := s.children(func(start xml.StartElement, name string) error {
		var err error
		if name == "description" || name == "encoded" {
			texts++
		}
		switch {
		case name == "body" && (start.Name.Space == xhtmlNS || start.Name.Space == "") && x.body == "":
			x.body, err = s.xhtml(false)
		// As gofeed reads an item: content:encoded by its namespace first,
		// then the native elements; a later one of a name wins.
		case name == "encoded" && s.hollowRSS && strings.TrimSpace(start.Name.Space) == contentNS:
			x.encoded, err = s.rssText()
		case name == "description" && s.hollowRSS && nativeRSS(start.Name.Space):
			x.description, err = s.rssText()
		default:
			err = s.skip()
		}
		return err
	})
	// Which of two such children gofeed keeps, or whether it reads one at
	// all, depends on namespace rules the scan does not follow to the
	// letter (an undeclared content: prefix, another vocabulary's
	// description): unless the item has one description and one
	// content:encoded, both hollowed, or one such child alone, gofeed then
	// reads the whole document.
	if texts > 2 || texts == 2 && (x.description.hollow || x.encoded.hollow) && !(x.description.hollow && x.encoded.hollow) {
		s.x.unsure = true
	}
	return x, err
}

// mayHaveExtras is the cheap test that spares an RSS feed the scan when it
// has nothing for it: no xml:lang, no body element, and no description or
// content:encoded to hollow. Atom documents always need it, for the type
// of every title and summary.
func mayHaveExtras(body []byte) bool {
	head := body[:min(len(body), detectPrefix)]
	if bytes.Contains(head, []byte("<feed")) || bytes.Contains(head, []byte(":feed")) {
		return true
	}
	return bytes.Contains(body, []byte("xml:lang")) || bytes.Contains(body, []byte("<body")) || bytes.Contains(body, []byte(":body")) ||
		bytes.Contains(body, []byte("<description")) || bytes.Contains(body, []byte(":encoded"))
}
