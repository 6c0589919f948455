package parse

import (
	"encoding/xml"
	"html"
	"net/url"
	"strings"
)

// Hollowing. gofeed's Atom parser reads the HTML of a type="html" content
// or summary the long way: it keeps the element's inner XML, parses it as
// an HTML document to look for a wrapping div (which escaped HTML never
// is), decodes its character references, and, under an xml:base, parses
// it once more to resolve its URLs. That was a seventh of a cold ingest's
// CPU and a third of its garbage, and the scan (extras.go) reads past the
// same bytes anyway.
//
// So the scan takes the inner XML of such a construct, when it is
// character data alone (text, references, CDATA sections), works out the
// value gofeed would have read (gofeedText) and cuts the bytes out of the
// document that gofeed is then given, which leaves the element and its
// attributes, and so everything else gofeed reads, as they were. Anything
// else inside, and any construct whose attributes gofeed could read
// differently, is left to gofeed. URLs under an xml:base are resolved as
// gofeed resolves them, but by the sanitiser's pass (see underXMLBase),
// without the document gofeed parses and renders again for it.
// TestHollowMatchesGofeed holds the result to gofeed's own on every test
// feed, and FuzzParse on any input: the same text and URLs, the markup
// written as the sanitiser writes it.

// span is a range of bytes of the scanned document.
type span struct{ lo, hi int64 }

// gofeedBase returns the xml:base in scope for an element with attrs under
// parent, as gofeed's XML pull parser computes it: the first xml:base
// attribute, as written, resolved against the parent's when there is one;
// an empty or unparsable one counts as none.
func gofeedBase(parent *url.URL, attrs []xml.Attr) *url.URL {
	for _, a := range attrs {
		if a.Name.Local != "base" || a.Name.Space != xmlNS {
			continue
		}
		if a.Value == "" {
			return parent
		}
		u, err := url.Parse(a.Value)
		if err != nil {
			return parent
		}
		if parent != nil {
			u = parent.ResolveReference(u)
		}
		return u
	}
	return parent
}

// hollowConstruct is construct for a summary or content element: one that
// gofeed would read as type="html" is read here instead, when it can be.
func (s *scanner) hollowConstruct(start xml.StartElement) (construct, error) {
	if !isGofeedHTML(start.Attr) {
		return s.construct(start)
	}
	c := constructAttrs(start)
	base := s.top().gofeedBase
	err := s.hollow(&c)
	if c.hollow {
		c.base = base
	}
	return c, err
}

// isGofeedHTML reports whether gofeed reads an element with attrs as
// type="html" with certainty: one type attribute, "html" in any case and
// without spaces, and no mode.
func isGofeedHTML(attrs []xml.Attr) bool {
	types := 0
	for _, a := range attrs {
		switch a.Name.Local {
		case "type":
			if a.Name.Space != "" || strings.ToLower(a.Value) != "html" {
				return false
			}
			types++
		case "mode":
			return false
		}
	}
	return types == 1
}

// rssText is hollowConstruct for an RSS item's description or
// content:encoded, which gofeed reads as it reads an Atom construct of
// type="html" (shared.ParseText): the inner XML, trimmed, its CDATA
// sections unwrapped or its references decoded.
func (s *scanner) rssText() (construct, error) {
	var c construct
	return c, s.hollow(&c)
}

// hollow consumes the rest of the element just opened and, when it holds
// character data alone, takes it out of the document gofeed is given and
// sets c to what gofeed would have read.
func (s *scanner) hollow(c *construct) error {
	cut, plain, err := s.charData()
	if err != nil || !plain || cut.hi == cut.lo {
		return err
	}
	if v, ok := gofeedText(string(s.x.src[cut.lo:cut.hi])); ok {
		c.hollow, c.value = true, v
		s.x.cuts = append(s.x.cuts, cut)
	}
	return nil
}

// charData consumes the rest of the element just opened and returns the
// span of its content, and whether that content is character data alone.
func (s *scanner) charData() (cut span, plain bool, err error) {
	cut.lo = s.offset()
	cut.hi, plain = cut.lo, true
	if end, ok := s.skipText(cut.lo); ok {
		cut.hi = end // the loop reads the end tag
	}
	for depth := 0; ; {
		tok, err := s.d.Token()
		if err != nil {
			return span{}, false, err
		}
		switch tok.(type) {
		case xml.CharData:
			cut.hi = s.offset()
		case xml.StartElement:
			depth++
			plain = false
		case xml.EndElement:
			if depth == 0 {
				s.stack = s.stack[:len(s.stack)-1]
				return cut, plain, nil
			}
			depth--
		default: // comments, processing instructions
			plain = false
		}
	}
}

const (
	cdataStart = "<![CDATA["
	cdataEnd   = "]]>"
)

// gofeedText returns what gofeed reads for a type="html" construct whose
// inner XML is raw, before its URLs are resolved under an xml:base, which
// the scan leaves to the item's reading (see fill and underXMLBase): an
// item known as stored is never read. It returns false when only gofeed
// can tell: markup outside CDATA would make it look for a wrapping div.
func gofeedText(raw string) (string, bool) {
	raw = strings.TrimSpace(raw)
	switch {
	case strings.Contains(raw, cdataStart):
		return stripCDATA(raw), true
	case strings.IndexByte(raw, '<') >= 0:
		return "", false
	}
	return decodeEntities(raw), true
}

// stripCDATA returns s with its CDATA sections unwrapped and the
// character references outside them decoded; an unterminated section is
// decoded, markers and all.
func stripCDATA(s string) string {
	var b strings.Builder
	for {
		start := strings.Index(s, cdataStart)
		if start < 0 {
			b.WriteString(decodeEntities(s))
			return b.String()
		}
		b.WriteString(decodeEntities(s[:start]))
		end := strings.Index(s[start+len(cdataStart):], cdataEnd)
		if end < 0 {
			b.WriteString(decodeEntities(s[start:]))
			return b.String()
		}
		end += start + len(cdataStart)
		b.WriteString(s[start+len(cdataStart) : end])
		s = s[end+len(cdataEnd):]
	}
}

// xmlEscapes are the references escaped HTML is mostly made of, decoded.
var xmlEscapes = map[string]string{"&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": `"`, "&#39;": "'", "&#34;": `"`, "&apos;": "'"}

// maxReference is how far past an "&" the ";" ending a character
// reference may be.
const maxReference = 64

// decodeEntities decodes the HTML character references of s that end in
// ";" within maxReference bytes and hold no white space, as gofeed does;
// anything else, such as "&copy=2;" in a URL, stays as written.
func decodeEntities(s string) string {
	i := strings.IndexByte(s, '&')
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i >= 0 {
		b.WriteString(s[:i])
		s = s[i:]
		window := s[:min(len(s), maxReference)]
		end := strings.IndexByte(window, ';')
		switch {
		case end < 0 && len(window) == len(s):
			b.WriteString(s)
			return b.String()
		case end < 0 || strings.ContainsAny(s[1:end], " \t\r\n"):
			b.WriteByte('&')
			s = s[1:]
		case xmlEscapes[s[:end+1]] != "":
			b.WriteString(xmlEscapes[s[:end+1]]) // what html.UnescapeString gives, at once
			s = s[end+1:]
		default:
			ref := s[:end+1]
			if dec := html.UnescapeString(ref); dec != html.UnescapeString(ref[:end])+";" {
				b.WriteString(dec)
				s = s[end+1:]
			} else {
				b.WriteByte('&') // the ";" ends no reference
				s = s[1:]
			}
		}
		i = strings.IndexByte(s, '&')
	}
	b.WriteString(s)
	return b.String()
}

// asDirectory returns base read as gofeed reads an xml:base: a path that
// does not end in "/" is taken for a directory all the same.
func asDirectory(base *url.URL) *url.URL {
	if base.Path == "" || strings.HasSuffix(base.Path, "/") {
		return base
	}
	dir := *base
	dir.Path += "/"
	if dir.RawPath != "" {
		dir.RawPath += "/"
	}
	return &dir
}

// or returns what gofeed would have read for c, when the scan hollowed
// it, else gofeed's own reading v.
func (c construct) or(v string) string {
	if c.hollow {
		return c.value
	}
	return v
}

// hollowed returns the scanned document without the content of its hollow
// constructs, or nil when it has none.
func (x *docExtras) hollowed() []byte {
	if x == nil || len(x.cuts) == 0 {
		return nil
	}
	n := int64(len(x.src))
	for _, c := range x.cuts {
		n -= c.hi - c.lo
	}
	out := make([]byte, 0, n)
	at := int64(0)
	for _, c := range x.cuts {
		out = append(out, x.src[at:c.lo]...)
		at = c.hi
	}
	return append(out, x.src[at:]...)
}

// unhollow forgets the values the scan took, for a document gofeed reads
// whole.
func (x *docExtras) unhollow() {
	for i := range x.items {
		x.items[i].summary.hollow = false
		x.items[i].content.hollow = false
		x.items[i].description.hollow = false
		x.items[i].encoded.hollow = false
	}
	x.cuts = nil
}
