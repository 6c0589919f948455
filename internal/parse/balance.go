package parse

import (
	"strings"

	nethtml "golang.org/x/net/html"
)

// balanceHTML closes the elements whose content the sanitiser drops, when
// the post never closes them, so that they cannot take the rest of the post
// with them: an <iframe …/> or <textarea/> written as XHTML (HTML knows no
// self-closing iframe, and reads everything after it as the iframe's
// text), an <iframe> or <object> left open. Any other self-closing
// element that HTML does not know as void gets its end tag too (<video/>,
// <a name="x"/>), as the author meant. Content needing none of this, nearly
// all of it, is returned as it is without being tokenized.
func balanceHTML(raw string) string {
	if !needsBalance(raw) {
		return raw
	}
	var b strings.Builder
	b.Grow(len(raw) + 64)
	z := nethtml.NewTokenizer(strings.NewReader(raw))
	offset := 0 // how much of raw the tokenizer has returned
	for {
		tt := z.Next()
		if tt == nethtml.ErrorToken {
			return b.String()
		}
		tok := z.Raw()
		offset += len(tok)
		name, _ := z.TagName()
		switch {
		case tt == nethtml.SelfClosingTagToken && !isVoid(string(name)):
			b.WriteString(strings.TrimSuffix(strings.TrimRight(strings.TrimSuffix(string(tok), ">"), " \t\n\r\f"), "/"))
			b.WriteString("></")
			b.Write(name)
			b.WriteByte('>')
			z.NextIsNotRawText()
		case tt == nethtml.StartTagToken && dropsContent(name) && !hasEndTag(raw[offset:], name):
			b.Write(tok)
			b.WriteString("</")
			b.Write(name)
			b.WriteByte('>')
			z.NextIsNotRawText()
		default:
			b.Write(tok)
		}
	}
}

// dropsContent reports whether the sanitiser drops an element's content
// along with the element, up to its end tag.
func dropsContent(name []byte) bool {
	switch string(name) {
	case "iframe", "object", "applet", "noembed", "noframes", "noscript", "textarea", "title", "xmp", "frameset":
		return true
	}
	return false
}

// riskyOpeners are the names of the tags balanceHTML may need to close.
var riskyOpeners = []string{"iframe", "object", "applet", "noembed", "noframes", "noscript", "textarea", "title", "xmp", "frameset"}

// needsBalance is the cheap test for balanceHTML: a self-closing tag, or a
// tag that drops its content.
func needsBalance(raw string) bool {
	if strings.Contains(raw, "/>") {
		return true
	}
	for rest := range after(raw, "<") {
		for _, o := range riskyOpeners {
			if hasPrefixFold(rest, o) {
				return true
			}
		}
	}
	return false
}

// hasEndTag reports whether rest holds an end tag of the element name, in
// any case.
func hasEndTag(rest string, name []byte) bool {
	for r := range after(rest, "</") {
		if hasPrefixFold(r, string(name)) {
			return true
		}
	}
	return false
}
