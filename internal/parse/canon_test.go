package parse

import (
	"bytes"
	"net/url"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
	nethtml "golang.org/x/net/html"
)

// scanCases are HTML fragments for the scanner. sanitised says whether
// scan must take bluemonday's output of the fragment without falling back
// to the tokenizer; raw whether it must take the fragment as it is.
var scanCases = []struct {
	name             string
	html             string
	sanitised, isRaw bool
}{
	{"empty", ``, true, true},
	{"text", `just text`, true, true},
	{"references", `a &amp; b &lt;c&gt; &#39;d&#34; &nbsp; &copy; &#x1F600;`, true, false},
	{"carriage returns", "line\r\nline\rline", true, false},
	{"bench body", benchBody(7), true, true},
	{"relative urls", `<p><a href="/x?a=1&amp;b=2" title="t">x</a><img src="../i.png" alt="a &amp; b"></p>`, true, true},
	{"dropped url", `<a href="javascript:alert(1)">x</a><img src="data:x"><img srcset="javascript:x 1x">`, true, true},
	{"srcset", `<picture><source srcset="/a.webp 1x, b.webp 2x" type="image/webp"><img srcset="/a.png, /b.png 2x" src="/c.png"></picture>`, true, true},
	{"self closing", `<p>a<br/>b<br>c<hr/></p>`, true, true},
	{"video", `<video src="/v.mp4" poster="/p.png" controls width="10"></video>`, true, false},
	{"quote inside value", `<a title="x href=" href="/y">z</a>`, true, true},
	{"unquoted value", `<p class=x>y</p>`, true, false},
	{"upper case", `<P><A HREF="/x">y</A></P>`, true, false},
	{"end tag attribute", `<p>x</p class="y">`, true, false},
	{"repeated attribute", `<a href="/a" href="/b">x</a>`, true, false},
	{"comment", `a<!-- <a href="/x"> -->b`, true, false},
	{"raw text", `<textarea><a href="/x">t</a></textarea><title>&amp;</title><xmp><b></xmp>`, true, false},
	{"script", `<script>var a = "<a href='/x'>";</script><style>p{}</style>x`, true, false},
	{"lone less than", `a < b and c<3 and <`, true, false},
	{"broken tag", `<a href="/x`, true, false},
	{"nul", "a\x00b<p title=\"\x00\">c</p>", true, false},
	{"nul in url", "<a href=\"/x\x00y\">c</a>", true, false},
	{"unknown reference in value", `<a href="/x?a=1&copy=2">x</a>`, true, false},
}

// TestScanMatchesTokenizer holds scan to run: wherever scan takes an input,
// it must write exactly what the tokenizer pass writes.
func TestScanMatchesTokenizer(t *testing.T) {
	for _, tc := range scanCases {
		t.Run(tc.name, func(t *testing.T) {
			sanitised := policy.SanitizeBytes([]byte(tc.html))
			if got := compareScan(t, sanitised); got != tc.sanitised {
				t.Errorf("scan took the sanitised %q: %v, want %v", sanitised, got, tc.sanitised)
			}
			if got := compareScan(t, []byte(tc.html)); got != tc.isRaw {
				t.Errorf("scan took the raw input: %v, want %v", got, tc.isRaw)
			}
		})
	}
}

// compareScan runs scan and run over b, reports whether scan took it and
// fails t when it did and their outputs differ.
func compareScan(t *testing.T, b []byte) bool {
	t.Helper()
	for _, wantText := range []bool{true, false} {
		fast := &rewriter{base: scanBase, wantText: wantText}
		if !fast.scan(b) {
			return false
		}
		slow := &rewriter{base: scanBase, wantText: wantText}
		slow.run(nethtml.NewTokenizer(bytes.NewReader(b)))
		if string(fast.out) != string(slow.out) || fast.text.String() != slow.text.String() {
			t.Fatalf("scan and run differ on %q (wantText %v):\nscan %q\n     %q\nrun  %q\n     %q",
				b, wantText, fast.out, fast.text.String(), slow.out, slow.text.String())
		}
	}
	return true
}

// scanBase is the base URL the scanner tests resolve against.
var scanBase, _ = url.Parse("https://example.org/blog/post/")

// FuzzScan checks the scanner against the tokenizer on arbitrary input and
// on bluemonday's output of it, and plainHTML against the full path.
func FuzzScan(f *testing.F) {
	for _, tc := range scanCases {
		f.Add(tc.html)
	}
	f.Fuzz(func(t *testing.T, s string) {
		compareScan(t, []byte(s))
		compareScan(t, policy.SanitizeBytes([]byte(s)))
		comparePlain(t, s)
	})
}

// TestPlainHTML holds the shortcut for text without markup to the full path.
func TestPlainHTML(t *testing.T) {
	for _, s := range []string{
		"plain", "  padded\n", "quotes ' and \" and > too", "cr\r\nlf\rcr", "tab\tand\u00a0nbsp",
		"\u2028separator\u3000wide", "a\x01b", "\r\n\r\n x \r",
	} {
		if !comparePlain(t, s) {
			t.Errorf("%q did not take the plain path", s)
		}
	}
}

// comparePlain reports whether cleanHTML takes the plain path for s and
// fails t when that path's result differs from sanitiseHTML's.
func comparePlain(t *testing.T, s string) bool {
	t.Helper()
	s = cleanString(s)
	if strings.TrimSpace(s) == "" || strings.ContainsAny(s, "<&") {
		return false
	}
	for _, wantText := range []bool{true, false} {
		gotContent, gotText := plainHTML(s, wantText)
		wantContent, wantTextOut := sanitiseHTML(s, scanBase, wantText)
		if gotContent != wantContent || gotText != wantTextOut {
			t.Fatalf("plainHTML(%q, %v) = %q, %q; sanitiseHTML gives %q, %q", s, wantText, gotContent, gotText, wantContent, wantTextOut)
		}
	}
	return true
}

// TestDetectType checks that looking at a prefix first names the same
// format as gofeed looking at the whole body, wherever the root starts.
func TestDetectType(t *testing.T) {
	roots := map[string]string{
		"atom": `<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>`,
		"rss":  `<rss version="2.0"><channel><title>t</title></channel></rss>`,
		"rdf":  `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>`,
		"html": `<html><body>not a feed</body></html>`,
		"json": `{"version":"https://jsonfeed.org/version/1.1","items":[]}`,
	}
	for name, root := range roots {
		for _, at := range []int{0, detectPrefix - 40, detectPrefix - 10, detectPrefix - 1, detectPrefix, detectPrefix + 5, 3 * detectPrefix} {
			var lead string
			switch {
			case at == 0:
			case root[0] == '{':
				lead = strings.Repeat(" ", at)
			default:
				lead = "<!--" + strings.Repeat("x", max(at-7, 0)) + "-->"
			}
			body := []byte(lead + root + strings.Repeat(" ", detectPrefix))
			want := gofeed.DetectFeedType(bytes.NewReader(body))
			if got := detectType(body); got != want {
				t.Errorf("%s at %d: detectType = %v, gofeed says %v", name, at, got, want)
			}
			if name != "html" && want == gofeed.FeedTypeUnknown {
				t.Errorf("%s at %d: the test body is not a feed", name, at)
			}
		}
	}
}
