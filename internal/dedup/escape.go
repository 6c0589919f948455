package dedup

import "strings"

const upperHex = "0123456789ABCDEF"

// normaliseEscapes rewrites the escaped URL component s so that equal
// components are spelled alike: escaped unreserved characters are decoded,
// other escapes use upper-case hex, a stray "%" becomes "%25" and any byte
// that allowed rejects is escaped. It returns s itself when nothing changes.
func normaliseEscapes(s string, allowed func(byte) bool) string {
	i := 0
	for i < len(s) && s[i] != '%' && allowed(s[i]) {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			d := unhex(s[i+1])<<4 | unhex(s[i+2])
			i += 2
			if isUnreserved(d) {
				b.WriteByte(d)
			} else {
				writeEscape(&b, d)
			}
		case c != '%' && allowed(c):
			b.WriteByte(c)
		default:
			writeEscape(&b, c)
		}
	}
	return b.String()
}

func writeEscape(b *strings.Builder, c byte) {
	b.WriteByte('%')
	b.WriteByte(upperHex[c>>4])
	b.WriteByte(upperHex[c&15])
}

// isUnreserved reports whether c is an RFC 3986 unreserved character, which
// means the same escaped or not.
func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// isPathByte reports whether c may stand unescaped in a path (pchar or "/").
func isPathByte(c byte) bool {
	return isUnreserved(c) || strings.IndexByte("!$&'()*+,;=:@/", c) >= 0
}

// isQueryByte reports whether c may stand unescaped in a query key or value.
// "&" separates parameters, so it is always escaped inside one.
func isQueryByte(c byte) bool {
	return isUnreserved(c) || strings.IndexByte("!$'()*+,;=:@/?", c) >= 0
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}
