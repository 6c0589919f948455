package parse

import (
	"fmt"
	"html"
	"strings"
	"testing"
)

// benchBody returns about 4 KB of blog-post HTML with relative and absolute
// links, images and code, the shape the hot path sees.
func benchBody(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<p>Post %d opens with <a href="/blog/%d/">a relative link</a> and <em>some</em> <strong>emphasis</strong>.</p>`, n, n)
	for b.Len() < 3600 {
		b.WriteString(`<h2 id="s">A section</h2><p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. See <a href="https://example.com/page?a=1&amp;b=2">this page</a> and <a href="../other/">that one</a>.</p>`)
		b.WriteString(`<figure><img src="/img/photo.png" alt="A photo" width="640" height="480"><figcaption>A caption &amp; more</figcaption></figure>`)
		b.WriteString(`<ul><li>one</li><li>two with <code>code</code></li></ul><pre><code class="language-go">fmt.Println("hi")</code></pre>`)
	}
	return b.String()
}

func benchRSS(items int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Bench</title><link>https://example.org/</link><description>d</description>`)
	for i := range items {
		fmt.Fprintf(&b, `<item><title>Post number %d</title><link>https://example.org/blog/post-%d/</link><guid>https://example.org/blog/post-%d/</guid><pubDate>Mon, 02 Jan 2006 15:04:05 -0700</pubDate><dc:creator>Jane Doe</dc:creator><category>go</category><description>A short summary of post %d.</description><content:encoded><![CDATA[%s]]></content:encoded></item>`, i, i, i, i, benchBody(i))
	}
	b.WriteString(`</channel></rss>`)
	return []byte(b.String())
}

func benchAtom(items int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Bench</title><id>https://example.org/</id><link href="https://example.org/"/><updated>2006-01-02T15:04:05Z</updated><author><name>Jane Doe</name></author>`)
	for i := range items {
		fmt.Fprintf(&b, `<entry><title>Post number %d</title><link href="https://example.org/blog/post-%d/"/><id>https://example.org/blog/post-%d/</id><published>2006-01-02T15:04:05Z</published><updated>2006-01-02T15:04:05Z</updated><content type="html">%s</content></entry>`, i, i, i, html.EscapeString(benchBody(i)))
	}
	b.WriteString(`</feed>`)
	return []byte(b.String())
}

// BenchmarkParse parses a 30-item feed with ~4 KB HTML bodies. Run with
// -benchmem for allocations; one op is one whole feed.
func BenchmarkParse(b *testing.B) {
	for _, bc := range []struct {
		name string
		body []byte
	}{
		{"rss", benchRSS(30)},
		{"atom", benchAtom(30)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.body)))
			for b.Loop() {
				if _, err := Parse(bc.body, "https://example.org/index.xml"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
