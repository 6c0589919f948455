package dedup

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// VisibleText returns the text a reader sees in an HTML fragment (text
// nodes, outside script/style/template/noscript etc.), with block boundaries
// as spaces.
//
// Runs of white space become one space and the result is trimmed, so two
// markups of the same words give the same text. Attributes (alt, title) are
// not text: a copy that drops its images must not differ from the original.
// Entities are decoded.
func VisibleText(html string) string {
	sc := getScratch()
	defer putScratch(sc)
	sc.text = appendVisible(sc.text[:0], html)
	return string(sc.text)
}

// appendVisible appends the visible text of the fragment s to dst. It uses
// the tokenizer rather than a tree parse: the tree is never needed, and
// building it would cost more than the rest of the hashing together.
func appendVisible(dst []byte, s string) []byte {
	z := html.NewTokenizer(strings.NewReader(s))
	w := textWriter{buf: dst, start: len(dst)}
	hidden := 0 // depth of open elements whose content is not shown
	var nameBuf [maxTagName]byte
	for {
		switch z.Next() {
		case html.ErrorToken:
			return w.buf // io.EOF; the tokenizer reports no other error on a strings.Reader
		case html.TextToken:
			if hidden == 0 {
				w.write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			// A "/>" does not close a hidden element: browsers ignore it on
			// HTML elements, and the tokenizer still reads <script/>'s
			// content as raw text.
			name := tagName(z.Raw(), &nameBuf)
			switch {
			case isHidden(name):
				hidden++
			case hidden == 0 && isBlock(name):
				w.space()
			}
		case html.EndTagToken:
			name := tagName(z.Raw(), &nameBuf)
			switch {
			case isHidden(name):
				if hidden > 0 {
					hidden--
				}
			case hidden == 0 && isBlock(name):
				w.space()
			}
		}
	}
}

// maxTagName is the length of the longest element name isHidden or isBlock
// knows ("blockquote", "figcaption").
const maxTagName = 10

// tagName returns the lower-case name of the tag token raw ("<P class=x>",
// "</p>"), copied into buf, or nil when it is longer than any name the walker
// looks for. It stands in for Tokenizer.TagName, which allocates a copy of
// every name.
func tagName(raw []byte, buf *[maxTagName]byte) []byte {
	i := 1 // past '<'
	if i < len(raw) && raw[i] == '/' {
		i++
	}
	n := 0
	for ; i < len(raw); i++ {
		c := raw[i]
		switch c {
		case ' ', '\n', '\r', '\t', '\f', '/', '>':
			return buf[:n]
		}
		if n == len(buf) {
			return nil
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[n] = c
		n++
	}
	return buf[:n]
}

// isHidden reports whether the element named name holds content that is not
// prose a reader sees: code, fallbacks, metadata, and every element whose
// content the tokenizer reads as raw text. Form input (textarea) and the
// obsolete xmp and plaintext belong there too: left unclosed they swallow
// the rest of the fragment, markup included, so showing them would let
// wrapping a body in <p>...</p> change its text.
func isHidden(name []byte) bool {
	switch string(name) {
	case "script", "style", "template", "noscript", "noembed", "noframes",
		"iframe", "object", "head", "title", "textarea", "xmp", "plaintext":
		return true
	}
	return false
}

// isBlock reports whether the element named name separates words, so that
// "<p>end.</p><p>Start" does not read as "end.Start".
func isBlock(name []byte) bool {
	switch string(name) {
	case "address", "article", "aside", "blockquote", "br", "caption", "dd",
		"details", "dialog", "div", "dl", "dt", "fieldset", "figcaption",
		"figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
		"header", "hgroup", "hr", "legend", "li", "main", "menu", "nav", "ol",
		"option", "p", "pre", "section", "summary", "table", "tbody", "td",
		"tfoot", "th", "thead", "tr", "ul":
		return true
	}
	return false
}

// textWriter appends text to buf, collapsing white space into single spaces
// and never writing one at the start or the end.
type textWriter struct {
	buf     []byte
	start   int  // where this text began in buf; no space is written there
	pending bool // a space is owed before the next visible character
}

func (w *textWriter) space() { w.pending = true }

func (w *textWriter) write(p []byte) {
	for i := 0; i < len(p); {
		c := p[i]
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRune(p[i:])
			if unicode.IsSpace(r) {
				w.pending = true
			} else {
				w.flush()
				w.buf = append(w.buf, p[i:i+n]...)
			}
			i += n
			continue
		}
		if asciiSpace[c] {
			w.pending = true
			i++
			continue
		}
		j := i + 1
		for j < len(p) && p[j] < utf8.RuneSelf && !asciiSpace[p[j]] {
			j++
		}
		w.flush()
		w.buf = append(w.buf, p[i:j]...)
		i = j
	}
}

// asciiSpace marks the ASCII characters unicode.IsSpace reports as space.
var asciiSpace = [utf8.RuneSelf]bool{' ': true, '\t': true, '\n': true, '\v': true, '\f': true, '\r': true}

func (w *textWriter) flush() {
	if w.pending && len(w.buf) > w.start {
		w.buf = append(w.buf, ' ')
	}
	w.pending = false
}
