package parse

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"testing"
)

var charDataCases = []struct {
	in string
	n  int // -1: left to the decoder
}{
	{"text</content>", 4},
	{"a &amp; b &lt;p&gt; &nbsp; &#8217; &#x2019;</x>", 43},
	{"<![CDATA[<p>x</p>]]> tail</x>", 25},
	{"</x>", 0},
	{"<![CDATA[unterminated</x>", -1},
	{"a ]]> b</x>", -1},
	{"]]&amp;> ]&]></x>", 13},
	{"&#0;</x>", -1},
	{"&#x1F;</x>", -1},
	{"&#xFFFF;</x>", -1},
	{"&#xD800;</x>", 8},
	{"&#65;&#X0;&#0&#99999999999;</x>", 27},
	{"a <b>x</b></x>", -1},
	{"<!-- c --></x>", -1},
	{"<?pi?></x>", -1},
	{"no end tag", -1},
	{"\xff</x>", -1},
	{"\uFFFE</x>", -1},
	{"<![CDATA[\uFFFF]]></x>", -1},
}

// TestCharDataLen checks what the scan skips, and that encoding/xml reads
// the same: see checkCharData.
func TestCharDataLen(t *testing.T) {
	for _, c := range charDataCases {
		n, ok := charDataLen([]byte(c.in))
		if !ok {
			n = -1
		}
		if n != c.n {
			t.Errorf("charDataLen(%q) = %d, want %d", c.in, n, c.n)
		}
		checkCharData(t, []byte(c.in))
	}
}

func FuzzCharDataLen(f *testing.F) {
	for _, c := range charDataCases {
		f.Add([]byte(c.in))
	}
	f.Fuzz(checkCharData)
}

// checkCharData holds charDataLen to encoding/xml: whatever it skips, the
// decoder reads as character data alone, without an error, up to the same
// place. What follows, the end tag, the decoder reads either way. The
// scan reads documents without the controls XML forbids.
func checkCharData(t *testing.T, b []byte) {
	b = dropControls(b)
	n, ok := charDataLen(b)
	if !ok {
		return
	}
	d := xml.NewDecoder(io.MultiReader(bytes.NewReader([]byte("<x>")), bytes.NewReader(b)))
	d.Strict = false
	if _, err := d.Token(); err != nil {
		t.Fatal(err)
	}
	for {
		at := d.InputOffset() - 3
		if at == int64(n) {
			return
		}
		tok, err := d.Token()
		switch {
		case err != nil:
			t.Fatalf("charDataLen(%q) = %d, but the decoder fails at %d: %v", b, n, at, err)
		case at > int64(n):
			t.Fatalf("charDataLen(%q) = %d, but the decoder read on to %d", b, n, at)
		}
		if _, ok := tok.(xml.CharData); !ok {
			t.Fatalf("charDataLen(%q) = %d, but the decoder reads %T at %d", b, n, tok, at)
		}
	}
}

// TestScanSkipsContent makes sure the scan of an Atom or RSS feed of
// escaped HTML skips its contents rather than decoding them, and takes
// them out of what gofeed reads.
func TestScanSkipsContent(t *testing.T) {
	for _, name := range []string{"atom10_xmlbase.xml", "rss20_content.xml", "rss10_rdf.xml"} {
		body, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		s := newScanner(body, nil)
		if err := s.root(); err != nil && !errors.Is(err, io.EOF) {
			t.Fatal(err)
		}
		if s.skipped == 0 || len(s.x.cuts) == 0 {
			t.Errorf("%s: skipped %d bytes, cut %d constructs; want both", name, s.skipped, len(s.x.cuts))
		}
	}
}

// TestRSSHollowed makes sure gofeed is given an RSS document without its
// items' texts, and that they line up with the scan's: a hollowed parse
// that fell back to the whole document would pass every other test.
func TestRSSHollowed(t *testing.T) {
	body, err := os.ReadFile("testdata/rss20_content.xml")
	if err != nil {
		t.Fatal(err)
	}
	x := scanExtras(body, nil)
	if _, err := parseRSS(body, x, true); err != nil {
		t.Fatal(err)
	}
	hollow := 0
	for _, it := range x.items {
		if it.description.hollow || it.encoded.hollow {
			hollow++
		}
	}
	if hollow == 0 || len(x.cuts) == 0 {
		t.Errorf("%d of %d items hollowed, %d cuts; want some", hollow, len(x.items), len(x.cuts))
	}
}
