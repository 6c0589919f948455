package parse

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

func encode(t *testing.T, e encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestToUTF8 checks the order of authority (byte-order mark, XML
// declaration, HTTP charset, UTF-8) and what is done with bad bytes.
func TestToUTF8(t *testing.T) {
	const doc = `<?xml version="1.0" encoding="%s"?><rss><channel><title>Café «€»</title></channel></rss>`
	decl := func(enc string) string { return strings.Replace(doc, "%s", enc, 1) }
	noDecl := `<rss><channel><title>Café «€»</title></channel></rss>`
	utf16le := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	utf16be := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	utf32le := utf32.UTF32(utf32.LittleEndian, utf32.UseBOM)
	utf32be := utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM)
	for _, tc := range []struct {
		name, contentType string
		body              []byte
		encoding, problem string // problem: a substring, "" for none
		invalid           int
	}{
		{"utf-8 declared", "", []byte(decl("UTF-8")), "utf-8", "", 0},
		{"utf-8 with bom", "", append([]byte{0xEF, 0xBB, 0xBF}, decl("utf-8")...), "utf-8", "", 0},
		{"utf-16le with bom", "", encode(t, utf16le, decl("UTF-16")), "utf-16le", "", 0},
		{"utf-16be without bom", "", encode(t, utf16be, decl("UTF-16")), "utf-16be", "", 0},
		{"utf-32le with bom", "", encode(t, utf32le, decl("UTF-32")), "utf-32le", "", 0},
		{"utf-32be without bom", "", encode(t, utf32be, decl("UTF-32")), "utf-32be", "", 0},
		{"bom beats declaration", "", append([]byte{0xEF, 0xBB, 0xBF}, decl("ISO-8859-1")...), "utf-8", "", 0},
		{"windows-1252 declared", "", encode(t, charmap.Windows1252, decl("windows-1252")), "windows-1252", "", 0},
		{"iso-8859-1 reads as windows-1252", "", encode(t, charmap.Windows1252, decl("ISO-8859-1")), "windows-1252", "", 0},
		{"misspelt win-1252", "", encode(t, charmap.Windows1252, decl("win-1252")), "windows-1252", "", 0},
		{"iso-8859-15 alias", "", encode(t, charmap.ISO8859_15, decl("ISO8859_15")), "iso-8859-15", "", 0},
		{"declaration beats http", "text/xml; charset=utf-8", encode(t, charmap.ISO8859_15, decl("iso-8859-15")), "iso-8859-15", "", 0},
		{"http charset", "application/rss+xml; charset=windows-1252", encode(t, charmap.Windows1252, noDecl), "windows-1252", "", 0},
		{"http charset contradicted by utf-8 body", "text/xml; charset=ISO-8859-1", []byte(noDecl), "utf-8", "the server says charset=ISO-8859-1", 0},
		{"unknown encoding", "", []byte(decl("x-klingon")), "utf-8", `unknown encoding "x-klingon"`, 0},
		{"declares utf-16 but is not", "", []byte(decl("utf-16")), "utf-8", "declares utf-16 but is not", 0},
		{"one invalid byte", "", []byte(strings.Replace(decl("utf-8"), "Café", "Caf\xff é", 1)), "utf-8", "1 byte sequences are not valid UTF-8", 1},
		{"undeclared latin-1", "", encode(t, charmap.Windows1252, noDecl), "windows-1252", "read as windows-1252", 0},
		{"shift_jis", "", encode(t, japanese.ShiftJIS, strings.Replace(decl("Shift_JIS"), "Café «€»", "日本語", 1)), "shift_jis", "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, d := toUTF8(tc.body, tc.contentType)
			if d.Encoding != tc.encoding {
				t.Errorf("encoding %q, want %q", d.Encoding, tc.encoding)
			}
			if tc.problem == "" && d.Problem != "" || !strings.Contains(d.Problem, tc.problem) {
				t.Errorf("problem %q, want one containing %q", d.Problem, tc.problem)
			}
			if d.Invalid != tc.invalid {
				t.Errorf("invalid %d, want %d", d.Invalid, tc.invalid)
			}
			if bytes.HasPrefix(out, []byte{0xEF, 0xBB, 0xBF}) {
				t.Error("byte-order mark kept")
			}
			if enc := xmlEncoding(out); enc != "" && !strings.EqualFold(enc, "utf-8") {
				t.Errorf("declaration still says %q", enc)
			}
			feed, err := Parse(tc.body, fixtureURL+"?"+tc.name)
			if tc.contentType != "" {
				feed, err = ParseHTTP(tc.body, fixtureURL, tc.contentType)
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			want := "Café «€»"
			switch {
			case tc.name == "shift_jis":
				want = "日本語"
			case tc.invalid > 0:
				want = "Caf\uFFFD é «€»"
			case strings.HasPrefix(tc.problem, "unknown") || strings.HasPrefix(tc.problem, "declares"):
				want = "Café «€»" // the bytes were UTF-8 after all
			}
			if feed.Title != want {
				t.Errorf("title %q, want %q", feed.Title, want)
			}
			if feed.Report.Decoding != d {
				t.Errorf("feed reports %+v, want %+v", feed.Report.Decoding, d)
			}
		})
	}
}

func TestLookupEncoding(t *testing.T) {
	for label, want := range map[string]string{
		"UTF8": "utf-8", "utf_8": "utf-8", "latin-1": "windows-1252", "Latin1": "windows-1252",
		"cp1252": "windows-1252", "windows1252": "windows-1252", "x-cp1251": "windows-1251",
		"koi8-r": "koi8-r", "ISO-8859-2": "iso-8859-2", "iso8859-7": "iso-8859-7",
		"gb2312": "gbk", "big5": "big5", "euc-kr": "euc-kr", "ucs-2": "utf-16be", "UCS-4": "utf-32be",
		"utf-32le": "utf-32le", "IBM850": "ibm850", "cp850": "ibm850", "macintosh": "macintosh",
		`"utf-8"`: "utf-8", "nonsense": "",
	} {
		enc, name := lookupEncoding(label)
		if name != want || (want != "") != (enc != nil) {
			t.Errorf("lookupEncoding(%q) = %v, %q; want %q", label, enc, name, want)
		}
	}
}
