package parse

import (
	"bytes"
	"io"
	"unicode/utf8"
)

// Skipping character data. A type="html" content construct is most of an
// Atom document's bytes, and encoding/xml reads character data a byte at a
// time, decoding every reference into a buffer the scan then throws away
// (it decodes the span itself, see gofeedText). When the construct holds
// character data alone and encoding/xml would read it without an error,
// skipText moves the decoder's reader past it instead; the decoder reads
// on from the end tag. Anything else, or any doubt, is left to the
// decoder, so the scan reads what it read before, only sooner.

// offset is the decoder's position in the scanned document.
func (s *scanner) offset() int64 { return s.d.InputOffset() + s.skipped }

// skipText moves the decoder past the character data of the element whose
// start tag ends at lo, and returns where that data ends (where its end tag
// begins), when it can (see charDataLen).
func (s *scanner) skipText(lo int64) (int64, bool) {
	src := s.x.src
	// The decoder must have read up to lo and no further (nothing read
	// ahead), and the start tag must not close itself: the decoder would
	// then make up an end tag without reading on.
	if lo < 2 || int64(len(src))-int64(s.r.Len()) != lo || string(src[lo-2:lo]) == "/>" {
		return 0, false
	}
	n, ok := charDataLen(src[lo:])
	if !ok || n == 0 {
		return 0, false
	}
	if _, err := s.r.Seek(lo+int64(n), io.SeekStart); err != nil {
		return 0, false
	}
	s.skipped += int64(n)
	return lo + int64(n), true
}

// charDataLen returns the length of the character data (text, references
// and CDATA sections) at the start of b, up to the "</" of an end tag,
// when that is all there is and encoding/xml, not strict, reads it
// without an error: no "]]>" in text, no unterminated section, and no
// character XML forbids, written or referred to. b has been through
// dropControls, as every document the scan reads.
func charDataLen(b []byte) (int, bool) {
	i := 0
	for {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 || !plainRun(b[i:i+j]) {
			return 0, false
		}
		i += j
		switch rest := b[i:]; {
		case bytes.HasPrefix(rest, []byte("</")):
			return i, allowedChars(b[:i])
		case bytes.HasPrefix(rest, []byte(cdataStart)):
			k := bytes.Index(rest[len(cdataStart):], []byte(cdataEnd))
			if k < 0 {
				return 0, false
			}
			i += len(cdataStart) + k + len(cdataEnd)
		default: // an element, a comment, a processing instruction
			return 0, false
		}
	}
}

// plainRun reports whether encoding/xml reads the text between two
// markup characters without an error: no "]]>", and no numeric reference
// to a character XML forbids ("&#0;").
func plainRun(text []byte) bool {
	if bytes.Contains(text, []byte(cdataEnd)) {
		return false
	}
	for {
		i := bytes.Index(text, []byte("&#"))
		if i < 0 {
			return true
		}
		text = text[i+2:]
		base := 10
		if len(text) > 0 && text[0] == 'x' {
			base, text = 16, text[1:]
		}
		n := 0
		for n < len(text) && digitValue(text[n], base) >= 0 {
			n++
		}
		if n == len(text) || text[n] != ';' {
			continue // no reference: the decoder keeps the text as it is
		}
		if r, ok := parseRune(text[:n], base); ok && !xmlChar(r) {
			return false
		}
	}
}

// parseRune is the code point of a numeric reference's digits, as
// encoding/xml reads it: none when it does not parse or is past
// unicode.MaxRune; a surrogate becomes U+FFFD.
func parseRune(digits []byte, base int) (rune, bool) {
	if len(digits) == 0 {
		return 0, false
	}
	var n uint64
	for _, c := range digits {
		n = n*uint64(base) + uint64(digitValue(c, base))
		if n > utf8.MaxRune {
			return 0, false
		}
	}
	if n >= 0xD800 && n <= 0xDFFF {
		return utf8.RuneError, true
	}
	return rune(n), true
}

// digitValue is the value of the digit c in base 10 or 16, or -1.
func digitValue(c byte, base int) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case base == 16 && 'a' <= c|0x20 && c|0x20 <= 'f':
		return int(c|0x20-'a') + 10
	}
	return -1
}

// allowedChars reports whether b is UTF-8 made of characters XML allows
// (the controls it forbids are gone already: see dropControls).
func allowedChars(b []byte) bool {
	return utf8.Valid(b) && !bytes.Contains(b, []byte("\uFFFE")) && !bytes.Contains(b, []byte("\uFFFF"))
}

// xmlChar reports whether XML allows the character r.
func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= utf8.MaxRune
}
