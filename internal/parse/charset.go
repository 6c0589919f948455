package parse

import (
	"bytes"
	"fmt"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// Decoding is how a feed's bytes were turned into UTF-8, and what was
// wrong with them.
type Decoding struct {
	Encoding string // the encoding the body was read in: "utf-8", "windows-1252", "utf-16le", ...
	// Problem says what the feed's author should fix, "" when nothing: an
	// unknown encoding name, a server charset that contradicts the body, a
	// body that is not in the encoding it declares.
	Problem string
	// Invalid counts the byte sequences that are not valid in Encoding;
	// each became U+FFFD and the rest of the feed was kept.
	Invalid int
}

// toUTF8 decodes body to UTF-8. The encoding is, in this order, the one a
// byte-order mark names, the one the XML declaration names, the charset of
// the HTTP Content-Type, else UTF-8. The returned body carries no
// byte-order mark and an XML declaration that says UTF-8, so gofeed does
// not convert it a second time.
//
// Two guesses go beyond the declarations, both what a reader does with the
// feeds people really publish: a body that is valid UTF-8 although the
// server's charset says otherwise is read as UTF-8 (servers stamp a default
// charset on files they know nothing about; XML's own declaration is always
// believed), and a body declared UTF-8 that holds no UTF-8 sequence at all
// but bytes above 0x7F is read as windows-1252, the usual undeclared charset.
func toUTF8(body []byte, contentType string) ([]byte, Decoding) {
	if enc, name, size := sniffBOM(body); enc != nil {
		return decodeAs(body[size:], enc, name, Decoding{})
	}
	if enc, name := sniffWide(body); enc != nil {
		return decodeAs(body, enc, name, Decoding{})
	}
	httpLabel := httpCharset(contentType)
	label, fromXML := xmlEncoding(body), true
	if label == "" {
		label, fromXML = httpLabel, false
	}
	if label == "" {
		return fromUTF8(body, Decoding{Encoding: "utf-8"})
	}
	enc, name := lookupEncoding(label)
	switch {
	case enc != nil && isWide(name):
		// Not spelt as UTF-16 or UTF-32 (sniffWide said so): the
		// declaration is wrong, as generators that copy it often are.
		return fromUTF8(body, Decoding{Encoding: "utf-8",
			Problem: fmt.Sprintf("declares %s but is not; read as UTF-8", label)})
	case enc == nil:
		return fromUTF8(body, Decoding{Encoding: "utf-8",
			Problem: fmt.Sprintf("unknown encoding %q; read as UTF-8", label)})
	case name == "utf-8":
		return fromUTF8(body, Decoding{Encoding: name})
	case !fromXML && isUTF8Text(body):
		return fromUTF8(body, Decoding{Encoding: "utf-8",
			Problem: fmt.Sprintf("the server says charset=%s but the feed is UTF-8; fix the server's Content-Type or declare the encoding in the feed", label)})
	}
	return decodeAs(body, enc, name, Decoding{})
}

// sniffBOM returns the encoding a byte-order mark names and the mark's size.
func sniffBOM(b []byte) (encoding.Encoding, string, int) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return unicode.UTF8, "utf-8", 3
	case bytes.HasPrefix(b, []byte{0x00, 0x00, 0xFE, 0xFF}):
		return utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), "utf-32be", 4
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE, 0x00, 0x00}):
		return utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), "utf-32le", 4
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "utf-16be", 2
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "utf-16le", 2
	}
	return nil, "", 0
}

// sniffWide recognises a UTF-16 or UTF-32 document without a byte-order
// mark by how its first "<" is spelt (XML 1.0 appendix F.1).
func sniffWide(b []byte) (encoding.Encoding, string) {
	switch {
	case bytes.HasPrefix(b, []byte{0x00, 0x00, 0x00, '<'}):
		return utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), "utf-32be"
	case bytes.HasPrefix(b, []byte{'<', 0x00, 0x00, 0x00}):
		return utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), "utf-32le"
	case bytes.HasPrefix(b, []byte{0x00, '<', 0x00}):
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "utf-16be"
	case bytes.HasPrefix(b, []byte{'<', 0x00, '?', 0x00}), bytes.HasPrefix(b, []byte{'<', 0x00, '!', 0x00}),
		len(b) > 3 && b[0] == '<' && b[1] == 0 && b[3] == 0:
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "utf-16le"
	}
	return nil, ""
}

// xmlDecl matches an XML declaration and its encoding pseudo-attribute.
var xmlDecl = regexp.MustCompile(`^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([^"']*)["']`)

// xmlEncoding returns the encoding an XML declaration names, or "".
func xmlEncoding(b []byte) string {
	m := xmlDecl.FindSubmatch(b[:min(len(b), 512)])
	if m == nil {
		return ""
	}
	return strings.TrimSpace(string(m[1]))
}

// httpCharset returns the charset parameter of a Content-Type, or "".
func httpCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(params["charset"])
}

// lookupEncoding finds the encoding a label names, with its canonical name:
// the WHATWG labels browsers know (so "iso-8859-1" reads as its superset
// windows-1252, whose curly quotes such feeds often hold), then the IANA
// names and aliases, then the usual misspellings ("latin-1", "win-1252",
// "utf_8", "ucs-4"). It returns nil for a label nothing knows.
func lookupEncoding(label string) (encoding.Encoding, string) {
	label = strings.ToLower(strings.Trim(strings.TrimSpace(label), `"'`))
	for _, l := range []string{label, respell(label)} {
		if l == "" {
			continue
		}
		if enc, name := wideEncoding(l); enc != nil {
			return enc, name
		}
		if enc, err := htmlindex.Get(l); err == nil && enc != encoding.Replacement {
			name, _ := htmlindex.Name(enc)
			return enc, name
		}
		for _, idx := range []*ianaindex.Index{ianaindex.IANA, ianaindex.MIME} {
			if enc, err := idx.Encoding(l); err == nil && enc != nil {
				name, _ := idx.Name(enc)
				return enc, strings.ToLower(name)
			}
		}
	}
	return nil, ""
}

// wideEncoding names the UTF-16 and UTF-32 forms, which XML reads with a
// byte-order mark or big-endian by default (htmlindex would say
// little-endian for "utf-16", and knows no UTF-32 at all).
func wideEncoding(l string) (encoding.Encoding, string) {
	switch l {
	case "utf-16", "utf-16be", "ucs-2", "iso-10646-ucs-2", "unicode":
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM), "utf-16be"
	case "utf-16le", "unicodefffe":
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "utf-16le"
	case "utf-32", "utf-32be", "ucs-4", "iso-10646-ucs-4":
		return utf32.UTF32(utf32.BigEndian, utf32.UseBOM), "utf-32be"
	case "utf-32le":
		return utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), "utf-32le"
	}
	return nil, ""
}

func isWide(name string) bool {
	return strings.HasPrefix(name, "utf-16") || strings.HasPrefix(name, "utf-32")
}

var (
	windowsLabel = regexp.MustCompile(`^(?:windows|win|cp|ms|x-cp)[-_ ]?(\d{3,4})$`)
	isoLabel     = regexp.MustCompile(`^iso[-_ ]?(8859|2022)[-_ ]?(\w+)$`)
	unicodeLabel = regexp.MustCompile(`^(?:utf|ucs)[-_ ]?(8|16|32|2|4)[-_ ]?(le|be)?$`)
	latinLabel   = regexp.MustCompile(`^latin[-_ ]?(\d+)$`)
)

// respell turns the common misspellings of charset names into names the
// indexes know; it returns "" when it has nothing to offer.
func respell(l string) string {
	l = strings.TrimPrefix(l, "x-")
	switch {
	case windowsLabel.MatchString(l):
		n := windowsLabel.FindStringSubmatch(l)[1]
		if strings.HasPrefix(n, "12") || n == "874" {
			return "windows-" + n
		}
		return "ibm" + n
	case isoLabel.MatchString(l):
		m := isoLabel.FindStringSubmatch(l)
		return "iso-" + m[1] + "-" + m[2]
	case unicodeLabel.MatchString(l):
		m := unicodeLabel.FindStringSubmatch(l)
		bits := map[string]string{"8": "8", "16": "16", "2": "16", "32": "32", "4": "32"}[m[1]]
		return "utf-" + bits + m[2]
	case latinLabel.MatchString(l):
		return "latin" + latinLabel.FindStringSubmatch(l)[1]
	}
	return strings.NewReplacer("_", "-", " ", "-").Replace(l)
}

// decodeAs decodes body from enc. Bytes invalid in enc become U+FFFD.
func decodeAs(body []byte, enc encoding.Encoding, name string, d Decoding) ([]byte, Decoding) {
	d.Encoding = name
	if name == "utf-8" {
		return fromUTF8(body, d)
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		// x/text decoders replace rather than fail; keep what the feed
		// has as UTF-8 rather than lose it.
		return fromUTF8(body, Decoding{Encoding: "utf-8", Problem: fmt.Sprintf("cannot decode as %s: %v; read as UTF-8", name, err)})
	}
	if n := bytes.Count(out, []byte("\uFFFD")); n > 0 {
		d.Invalid = n
		d.Problem = fmt.Sprintf("%d byte sequences are not valid %s; replaced with U+FFFD", n, name)
	}
	return declareUTF8(out), d
}

// fromUTF8 validates a body that should be UTF-8, replacing invalid
// sequences, or reads it as windows-1252 when it holds no UTF-8 sequence
// at all (see toUTF8).
func fromUTF8(body []byte, d Decoding) ([]byte, Decoding) {
	if utf8.Valid(body) {
		return declareUTF8(body), d
	}
	invalid, multibyte := countUTF8(body)
	if multibyte == 0 {
		out, _ := charmap.Windows1252.NewDecoder().Bytes(body)
		d.Encoding = "windows-1252"
		d.Problem = joinProblem(d.Problem, "not valid UTF-8 and declares no other encoding; read as windows-1252: declare the encoding in the XML declaration")
		return declareUTF8(out), d
	}
	d.Invalid = invalid
	d.Problem = joinProblem(d.Problem, fmt.Sprintf("%d byte sequences are not valid UTF-8; replaced with U+FFFD", invalid))
	return declareUTF8(bytes.ToValidUTF8(body, []byte("\uFFFD"))), d
}

func joinProblem(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// countUTF8 counts the invalid byte sequences of b (a run of invalid bytes
// counting once, as bytes.ToValidUTF8 replaces it) and its valid multi-byte
// characters.
func countUTF8(b []byte) (invalid, multibyte int) {
	inRun := false
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i, inRun = i+1, false
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			if !inRun {
				invalid++
			}
			i, inRun = i+1, true
			continue
		}
		multibyte++
		i, inRun = i+size, false
	}
	return invalid, multibyte
}

// isUTF8Text reports whether b is valid UTF-8 with at least one multi-byte
// character: plain ASCII reads the same in every charset a server names.
func isUTF8Text(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// declareUTF8 drops a byte-order mark and makes an XML declaration's
// encoding say UTF-8, which the body now is. A body already saying so is
// returned as it is.
func declareUTF8(b []byte) []byte {
	b = bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF})
	m := xmlDecl.FindSubmatchIndex(b[:min(len(b), 512)])
	if m == nil || strings.EqualFold(string(b[m[2]:m[3]]), "utf-8") {
		return b
	}
	out := make([]byte, 0, len(b))
	out = append(out, b[:m[2]]...)
	out = append(out, "utf-8"...)
	return append(out, b[m[3]:]...)
}
