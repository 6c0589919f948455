package parse

import (
	"encoding/xml"
	"html"
	"strings"
)

// xhtml reads the content of the element just opened as XHTML and returns
// it as HTML, for the sanitiser: elements by their local name (an
// <xhtml:p> is a <p>), a self-closing element that HTML does not know as
// void written with its end tag (<iframe/> is <iframe></iframe>, so it
// cannot swallow what follows), namespace declarations dropped, and href
// and src resolved against the xml:base in scope. With unwrap set, a
// single <div> around everything, which RFC 4287 section 3.1.1.3 requires
// and which is not part of the content, is removed.
func (s *scanner) xhtml(unwrap bool) (string, error) {
	var b strings.Builder
	depth := 0
	elements, texts := 0, false  // top-level children: elements, and non-blank text
	var innerStart, innerEnd int // the first top-level element's content
	for {
		tok, err := s.d.Token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			s.push(t)
			if depth == 0 {
				elements++
			}
			writeStart(&b, t, s.top())
			if depth == 0 {
				innerStart = b.Len()
			}
			depth++
		case xml.EndElement:
			s.stack = s.stack[:len(s.stack)-1]
			if depth == 0 {
				out := b.String()
				if unwrap && elements == 1 && !texts && innerEnd > 0 {
					out = out[innerStart:innerEnd]
				}
				return strings.TrimSpace(out), nil
			}
			depth--
			if depth == 0 {
				innerEnd = b.Len()
			}
			if !isVoid(t.Name.Local) {
				b.WriteString("</")
				b.WriteString(t.Name.Local)
				b.WriteByte('>')
			}
			if depth == 0 && (elements > 1 || t.Name.Local != "div") {
				innerEnd = 0 // not a lone div: keep everything
			}
		case xml.CharData:
			if depth == 0 && strings.TrimSpace(string(t)) != "" {
				texts = true
			}
			b.WriteString(html.EscapeString(string(t)))
		}
	}
}

// writeStart writes a start tag as HTML.
func writeStart(b *strings.Builder, t xml.StartElement, f frame) {
	b.WriteByte('<')
	b.WriteString(t.Name.Local)
	for _, a := range t.Attr {
		if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" || a.Name.Space == xmlNS || a.Name.Space == "xml" {
			continue
		}
		v := a.Value
		if f.base != nil && (a.Name.Local == "href" || a.Name.Local == "src") {
			if u, ok := resolveURL(f.base, v, true); ok {
				v = u
			}
		}
		b.WriteByte(' ')
		b.WriteString(a.Name.Local)
		b.WriteString(`="`)
		b.WriteString(html.EscapeString(v))
		b.WriteByte('"')
	}
	b.WriteByte('>')
}

// isVoid reports whether an HTML element has no end tag.
func isVoid(name string) bool {
	switch strings.ToLower(name) {
	case "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr":
		return true
	}
	return false
}
