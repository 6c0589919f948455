package parse

import (
	"net/url"
	"testing"
	"time"
	"unicode/utf8"
)

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestPlainText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  Plain title  ", "Plain title"},
		{"<b>Bold</b> &amp; <i>italic</i>", "Bold & italic"},
		{"Tom &amp;amp; Jerry", "Tom &amp; Jerry"},
		{"Caf&eacute; &#8220;quoted&#8221;", "Café “quoted”"},
		{"Why a < b and b > c", "Why a < b and b > c"},
		{"1 <2", "1 <2"},
		{"x<y", "x<y"},
		{"Hostile <script>alert(1)</script>title", "Hostile title"},
		{"multi\n  line\ttitle", "multi line title"},
		{"ctrl\x01\x1f chars\uFFFE", "ctrl chars"},
		{"bad utf8 \xff\xfe here", "bad utf8 here"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := plainText(tt.in); got != tt.want {
			t.Errorf("plainText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCleanString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"clean ascii", "clean ascii"},
		{"tab\tnl\ncr\r", "tab\tnl\ncr\r"},
		{"nul\x00 bell\x07 esc\x1b", "nul bell esc"},
		{"utf8 ✓ é", "utf8 ✓ é"},
		{"nonchar \uFFFE\uFFFF", "nonchar "},
		{"invalid \xc3\x28", "invalid ("},
	}
	for _, tt := range tests {
		if got := cleanString(tt.in); got != tt.want {
			t.Errorf("cleanString(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPersonName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Jane Doe", "Jane Doe"},
		{"jane@example.org (Jane Doe)", "Jane Doe"},
		{"Jane Doe (jane@example.org)", "Jane Doe"},
		{"Jane Doe <jane@example.org>", "Jane Doe"},
		{"jane@example.org", ""},
		{"Jane (Google)", "Jane (Google)"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := personName(tt.in); got != tt.want {
			t.Errorf("personName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2010-02-07T14:04:00-05:00", "2010-02-07T19:04:00Z"},
		{"2010-02-07T14:04:00.250Z", "2010-02-07T14:04:00.25Z"},
		{"2010-02-07T14:04+01:00", "2010-02-07T13:04:00Z"},
		{"2010-02-07T14:04:00", "2010-02-07T14:04:00Z"},
		{"2010-02-07", "2010-02-07T00:00:00Z"},
		{"2010-02", "2010-02-01T00:00:00Z"},
		{"Tue, 30 Jan 2018 16:00:00 -0800", "2018-01-31T00:00:00Z"},
		{"Tue, 30 Jan 2018 16:00:00 GMT", "2018-01-30T16:00:00Z"},
		{"Tue, 30 Jan 2018 16:00:00 PST", ""}, // a named zone time.Parse cannot place
		{"yesterday", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got := parseDate(tt.in)
		s := ""
		if !got.IsZero() {
			s = got.Format(time.RFC3339Nano)
		}
		if s != tt.want {
			t.Errorf("parseDate(%q) = %q, want %q", tt.in, s, tt.want)
		}
	}
}

func TestAbsLink(t *testing.T) {
	base := mustURL(t, "https://example.org/index.xml")
	tests := []struct{ in, want string }{
		{"https://example.org/a/", "https://example.org/a/"},
		{"/blog/x/", "https://example.org/blog/x/"},
		{" post/ ", "https://example.org/post/"},
		{"//other.example/p", "https://other.example/p"},
		{"javascript:alert(1)", ""},
		{"tag:example.org,2024:1", ""},
		{"https://", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if _, got := absLink(base, tt.in); got != tt.want {
			t.Errorf("absLink(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if _, got := absLink(nil, "/relative"); got != "" {
		t.Errorf("absLink(nil, relative) = %q, want empty", got)
	}
}

// FuzzTextBuilder holds textBuilder.Write, which special-cases ASCII, to
// the rule it implements one character at a time.
func FuzzTextBuilder(f *testing.F) {
	for _, s := range []string{"", " a  b ", "a\x01b\tc\u00a0d\u2028e", "\xff\xfe x \uFFFE", "<p>x</p>\r\n"} {
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, s string, cut int) {
		want := referenceText(s)
		var tb textBuilder
		cut = min(max(cut, 0), len(s))
		tb.Write([]byte(s[:cut])) // calls split the text between characters
		tb.Write([]byte(s[cut:]))
		if got := tb.String(); got != want && utf8.ValidString(s[:cut]) {
			t.Errorf("textBuilder(%q) = %q, want %q", s, got, want)
		}
	})
}

// referenceText is textBuilder's rule spelled out: visible characters kept,
// runs of white space one space between words, the rest dropped.
func referenceText(s string) string {
	var out []byte
	pending := false
	for i := 0; i < len(s); {
		kind, size := classify([]byte(s[i:]))
		switch kind {
		case space:
			pending = true
		case visible:
			if pending && len(out) > 0 {
				out = append(out, ' ')
			}
			pending = false
			out = append(out, s[i:i+size]...)
		}
		i += size
	}
	return string(out)
}
