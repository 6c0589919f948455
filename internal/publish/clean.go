package publish

import (
	"strings"
	"unicode/utf8"
)

// clean strips what XML 1.0 cannot hold: control characters other than tab,
// newline and carriage return, U+FFFE, U+FFFF, surrogates and invalid UTF-8.
// encoding/xml would write U+FFFD in their place; stripping them keeps a
// stray form feed from showing up as a replacement glyph. Strings that are
// already clean, the common case, are returned without a copy.
func clean(s string) string {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isXMLChar(r, n) {
			return stripFrom(s, i)
		}
		i += n
	}
	return s
}

// stripFrom copies s without its invalid characters; s[:i] is known clean.
func stripFrom(s string, i int) string {
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if isXMLChar(r, n) {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// isXMLChar reports whether the rune r, decoded from n bytes, is a Char of
// XML 1.0 (section 2.2). A one-byte U+FFFD is invalid UTF-8.
func isXMLChar(r rune, n int) bool {
	switch {
	case r == utf8.RuneError && n == 1:
		return false
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r < 0x20:
		return false
	case r <= 0xD7FF:
		return true
	case r < 0xE000:
		return false
	case r <= 0xFFFD:
		return true
	}
	return r >= 0x10000 && r <= utf8.MaxRune
}
