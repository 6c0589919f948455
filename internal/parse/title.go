package parse

import (
	"html"
	"iter"
	"strings"
)

// Text kinds of a title or other short text: how to turn it into plain text.
const (
	kindText  = "text"  // plain text: shown as it is
	kindHTML  = "html"  // HTML (Atom type="html", or xhtml markup)
	kindGuess = "guess" // unsaid (RSS): HTML only when it looks so, as feedparser decides
)

// titleText turns a title of the given kind into plain text.
func titleText(s, kind string) string {
	switch kind {
	case kindText:
		return collapseSpace(s)
	case kindHTML:
		return markupText(s)
	}
	return plainText(s)
}

// looksLikeHTML is feedparser's test for text whose type the feed does not
// say: it is HTML only when it has an end tag or a character reference,
// every tag is an element posts are written with, and every named
// reference is one HTML defines. So "Why Vec<T> beats []T" and "in <script>
// tags" stay text, while "A <b>bold</b> move" and "Fish &amp;amp; chips"
// are HTML.
func looksLikeHTML(s string) bool {
	if !strings.ContainsAny(s, "<&") || (!hasEndTagShape(s) && !hasReference(s)) {
		return false
	}
	for rest := range after(s, "<") {
		rest = strings.TrimPrefix(rest, "/")
		if n := wordLen(rest); n > 0 && !htmlElements[strings.ToLower(rest[:n])] {
			return false
		}
	}
	for rest := range after(s, "&") {
		if n := wordLen(rest); n > 0 && n < len(rest) && rest[n] == ';' && !isEntity(rest[:n]) {
			return false
		}
	}
	return true
}

// hasActiveMarkup reports whether s holds markup that could run code or
// load content in a reader that takes it for HTML: an element that does so
// with its end tag or with attributes, or any tag with an event handler or
// a javascript: URL. A bare mention such as "in <script> tags" is none.
func hasActiveMarkup(s string) bool {
	for rest := range after(s, "<") {
		closing := strings.HasPrefix(rest, "/")
		rest = strings.TrimPrefix(rest, "/")
		end := strings.IndexByte(rest, '>')
		n := wordLen(rest)
		if end < 0 || n == 0 || n > end {
			continue
		}
		tag := strings.ToLower(rest[:end])
		withAttrs := strings.TrimSpace(tag[n:]) != ""
		if activeElements[tag[:n]] && (closing || withAttrs) || strings.Contains(tag, "javascript:") || hasHandler(tag) {
			return true
		}
	}
	return false
}

// hasHandler reports whether a lower-cased tag has an on...= attribute.
func hasHandler(tag string) bool {
	for _, f := range strings.Fields(tag)[1:] {
		if strings.HasPrefix(f, "on") && strings.Contains(f, "=") {
			return true
		}
	}
	return false
}

var activeElements = map[string]bool{
	"script": true, "style": true, "iframe": true, "frame": true, "frameset": true, "object": true,
	"embed": true, "applet": true, "svg": true, "math": true, "form": true, "input": true, "button": true,
	"meta": true, "base": true, "link": true, "template": true, "noscript": true,
}

// hasEndTagShape reports whether s holds "</word>".
func hasEndTagShape(s string) bool {
	for rest := range after(s, "</") {
		if n := wordLen(rest); n > 0 && n < len(rest) && rest[n] == '>' {
			return true
		}
	}
	return false
}

// hasReference reports whether s holds "&word;" or "&#word;".
func hasReference(s string) bool {
	for rest := range after(s, "&") {
		rest = strings.TrimPrefix(rest, "#")
		if n := wordLen(rest); n > 0 && n < len(rest) && rest[n] == ';' {
			return true
		}
	}
	return false
}

// after yields what follows each occurrence of sep in s, in order.
func after(s, sep string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for {
			i := strings.Index(s, sep)
			if i < 0 {
				return
			}
			s = s[i+len(sep):]
			if !yield(s) {
				return
			}
		}
	}
}

// wordLen is the length of the run of ASCII letters, digits and
// underscores at the start of s (regular expressions' \w).
func wordLen(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_') {
			return i
		}
	}
	return len(s)
}

// isEntity reports whether name is a character reference HTML defines.
func isEntity(name string) bool {
	ref := "&" + name + ";"
	return html.UnescapeString(ref) != ref
}

// htmlElements are the elements feedparser's sanitiser accepts, the ones a
// title written as HTML is expected to use.
var htmlElements = func() map[string]bool {
	m := map[string]bool{}
	for _, e := range strings.Fields(`a abbr acronym address area article aside audio b big blockquote
		br button canvas caption center cite code col colgroup command datagrid datalist dd del details
		dfn dialog dir div dl dt em event-source fieldset figcaption figure font footer form h1 h2 h3 h4
		h5 h6 header hr i img input ins kbd keygen label legend li m map menu meter multicol nav nextid
		noscript ol optgroup option output p pre progress q s samp section select small sound source
		spacer span strike strong sub sup table tbody td textarea tfoot th thead time tr tt u ul var video`) {
		m[e] = true
	}
	return m
}()
