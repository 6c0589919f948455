package parse

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary bytes to Parse: it must never panic, what it
// returns must still be XML-safe, link-safe and free of active content, and
// hollowing (see hollow.go) must not change it.
func FuzzParse(f *testing.F) {
	for _, pattern := range []string{"testdata/*.xml", "testdata/*.json", "testdata/community/*.xml", "testdata/corpus/*.xml", "testdata/corpus/*.json"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			if strings.HasSuffix(file, ".golden.json") {
				continue
			}
			if body, err := os.ReadFile(file); err == nil {
				f.Add(body)
			}
		}
	}
	f.Add([]byte(`<rss><channel><item><description>&lt;a href="javascript:x"&gt;</description></item></channel></rss>`))
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","items":[{"content_html":"<img srcset=\",,, ,\">"}]}`))
	f.Add([]byte("<feed><entry><content type=\"xhtml\"><div><p>x</p></div></content></entry></feed>"))
	for _, c := range hollowCases {
		f.Add([]byte(`<feed xmlns="http://www.w3.org/2005/Atom" xml:base="a/b"><entry><summary type="html" xml:base="c">` + c +
			`</summary><content type="html">` + c + `</content></entry></feed>`))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		checkHollow(t, "input", body)
		feed, err := Parse(body, "https://example.org/feed.xml")
		if err != nil {
			return
		}
		checkInvariants(t, feed)
	})
}
