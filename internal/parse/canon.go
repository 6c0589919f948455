package parse

import (
	"bytes"
	"slices"
)

// scan is the fast form of run for bluemonday's output. bluemonday writes
// every token in one canonical form: text escaped (so a "<" always opens a
// tag), tags as <name key="value"> or </name> with lower-case names, values
// escaped, no comments. A byte scanner splits that without the HTML
// tokenizer, which copies the input into buffers of its own and, for every
// attribute, its name.
//
// scan reports false at the first byte outside that form, having written
// part of w.out and w.text; the caller then starts over with the tokenizer.
// An unexpected output can so cost time but never change the result, which
// TestScanMatchesTokenizer and FuzzScan hold to.
func (w *rewriter) scan(b []byte) bool {
	for len(b) > 0 {
		if b[0] != '<' {
			n := bytes.IndexByte(b, '<')
			if n < 0 {
				n = len(b)
			}
			if !w.scanText(b[:n]) {
				return false
			}
			b = b[n:]
			continue
		}
		n := bytes.IndexByte(b, '>')
		if n < 0 || !w.scanTag(b[:n+1]) {
			return false
		}
		b = b[n+1:]
	}
	return true
}

// scanText copies escaped text to the output and its unescaped form to the
// text, as run does with the tokenizer's Raw and Text.
func (w *rewriter) scanText(b []byte) bool {
	w.out = append(w.out, b...)
	if !w.wantText {
		return true
	}
	if bytes.IndexByte(b, '\r') >= 0 {
		return false // the tokenizer would turn "\r\n" into "\n"
	}
	for {
		i := bytes.IndexByte(b, '&')
		if i < 0 {
			w.text.Write(b)
			return true
		}
		w.text.Write(b[:i])
		c, n := canonEntity(b[i:])
		if n == 0 {
			return false
		}
		w.text.Write(entityChars[c : c+1])
		b = b[i+n:]
	}
}

// canonEntities are the character references x/net/html's escaping writes,
// decoding to the bytes of entityChars at the same index.
var (
	canonEntities = [...]string{"&amp;", "&lt;", "&gt;", "&#39;", "&#34;", "&#13;"}
	entityChars   = []byte("&<>'\"\r")
)

// canonEntity returns the index in entityChars of the reference that starts
// b and its length, or a length of 0.
func canonEntity(b []byte) (c, n int) {
	for i, e := range canonEntities {
		if len(b) >= len(e) && string(b[:len(e)]) == e {
			return i, len(e)
		}
	}
	return 0, 0
}

// scanTag handles one tag, from "<" to ">", as run does.
func (w *rewriter) scanTag(tag []byte) bool {
	if len(tag) > 3 && tag[1] == '/' {
		name := tag[2 : len(tag)-1]
		if nameLen(name) != len(name) {
			return false
		}
		w.out = append(w.out, tag...)
		w.boundary(name)
		return true
	}
	body := tag[1 : len(tag)-1]
	selfClosing := len(body) > 0 && body[len(body)-1] == '/'
	if selfClosing {
		body = body[:len(body)-1]
	}
	n := nameLen(body)
	name := body[:n]
	if n == 0 || isRawText(name) {
		return false
	}
	hasURL, ok := w.scanAttrs(body[n:])
	if !ok {
		return false
	}
	mark := len(w.out)
	w.out = append(w.out, tag...)
	w.boundary(name)
	if hasURL {
		w.unescapeValues(len(tag))
		w.fixTag(mark, name, selfClosing)
	}
	return true
}

// scanAttrs splits ` key="value"` pairs into w.attrs, values still escaped,
// and reports whether one of them holds a URL.
func (w *rewriter) scanAttrs(b []byte) (hasURL, ok bool) {
	w.attrs = w.attrs[:0]
	for len(b) > 0 {
		if b[0] != ' ' {
			return false, false
		}
		n := nameLen(b[1:])
		key := b[1 : 1+n]
		b = b[1+n:]
		if n == 0 || len(b) < 2 || b[0] != '=' || b[1] != '"' {
			return false, false
		}
		b = b[2:]
		q := bytes.IndexByte(b, '"')
		if q < 0 || !isCanonValue(b[:q]) || w.hasAttr(key) {
			return false, false // the tokenizer would drop a repeated key
		}
		w.attrs = append(w.attrs, attr{key, b[:q]})
		hasURL = hasURL || isURLAttr(key)
		b = b[q+1:]
	}
	return hasURL, true
}

func (w *rewriter) hasAttr(key []byte) bool {
	for _, a := range w.attrs {
		if bytes.Equal(a.key, key) {
			return true
		}
	}
	return false
}

// isCanonValue reports whether an attribute value holds only the character
// references escaping writes, and no carriage return or NUL, which the
// tokenizer would replace.
func isCanonValue(v []byte) bool {
	for {
		i := bytes.IndexAny(v, "&\r\x00")
		if i < 0 {
			return true
		}
		if v[i] != '&' {
			return false
		}
		_, n := canonEntity(v[i:])
		if n == 0 {
			return false
		}
		v = v[i+n:]
	}
}

// unescapeValues decodes the references in w.attrs' values, as the
// tokenizer's TagAttr does. The decoded values go to w.values, grown first
// to the tag's length, which bounds them all, so that appending never moves
// the values already taken.
func (w *rewriter) unescapeValues(tagLen int) {
	w.values = slices.Grow(w.values[:0], tagLen)
	for i, a := range w.attrs {
		if bytes.IndexByte(a.val, '&') < 0 {
			continue
		}
		start := len(w.values)
		for v := a.val; len(v) > 0; {
			j := bytes.IndexByte(v, '&')
			if j < 0 {
				w.values = append(w.values, v...)
				break
			}
			w.values = append(w.values, v[:j]...)
			c, n := canonEntity(v[j:]) // isCanonValue vouched for it
			w.values = append(w.values, entityChars[c])
			v = v[j+n:]
		}
		w.attrs[i].val = w.values[start:len(w.values):len(w.values)]
	}
}

// nameLen returns the length of the tag or attribute name at the start of
// b: a lower-case ASCII letter, then letters, digits and hyphens.
func nameLen(b []byte) int {
	for i, c := range b {
		switch {
		case 'a' <= c && c <= 'z':
		case i > 0 && ('0' <= c && c <= '9' || c == '-'):
		default:
			return i
		}
	}
	return len(b)
}

// isRawText reports whether the tokenizer reads what follows a start tag of
// this name as raw text. The policy allows none of them; scan leaves them to
// the tokenizer all the same.
func isRawText(name []byte) bool {
	switch string(name) {
	case "iframe", "noembed", "noframes", "noscript", "plaintext", "script", "style", "textarea", "title", "xmp":
		return true
	}
	return false
}
