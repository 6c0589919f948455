package parse

import (
	"os"
	"strings"
	"testing"
)

// TestHostile asserts, beyond the golden file, that nothing active survives
// testdata/hostile.xml and that the harmless parts do.
func TestHostile(t *testing.T) {
	body, err := os.ReadFile("testdata/hostile.xml")
	if err != nil {
		t.Fatal(err)
	}
	feed, err := Parse(body, "https://hostile.example/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	if feed.Link != "" || feed.ID != "" {
		t.Errorf("javascript: channel link kept: Link %q, ID %q", feed.Link, feed.ID)
	}
	if len(feed.Items) != 1 {
		t.Fatalf("got %d items, want 1", len(feed.Items))
	}
	it := feed.Items[0]
	for field, s := range map[string]string{"Title": it.Title, "Summary": it.Summary, "Content": it.Content, "Text": it.Text, "feed Title": feed.Title} {
		lower := strings.ToLower(s)
		for _, bad := range []string{
			"<script", "alert(", "onerror", "onload", "onclick", "onmouseover", "javascript:", "vbscript:", "data:",
			"<svg", "<math", "<iframe", "<object", "<embed", "<param", "<form", "<input", "<button", "formaction",
			"<style", "style=", "display:none", "<meta", "<base", "<link", "<noscript", "target=", "rel=", "evil.example",
		} {
			if strings.Contains(lower, bad) {
				t.Errorf("%s keeps %q: %s", field, bad, s)
			}
		}
	}
	for _, want := range []string{
		`<p>Safe paragraph with <a href="https://hostile.example/ok/">a relative link</a>.</p>`,
		`<img src="https://hostile.example/post/x.png">`,
		`<img srcset="https://hostile.example/ok.png 2x" src="https://hostile.example/fallback.png">`,
		`<source srcset="https://hostile.example/p.webp">`,
		`<blockquote>quoted</blockquote>`,
		`<a href="https://ok.example/">fine link</a>`,
	} {
		if !strings.Contains(it.Content, want) {
			t.Errorf("Content lost harmless markup %s:\n%s", want, it.Content)
		}
	}
	if it.Title != "Hostile item" {
		t.Errorf("Title = %q, want %q", it.Title, "Hostile item")
	}
	if it.Summary != "<p>Summary text</p>" {
		t.Errorf("Summary = %q", it.Summary)
	}
}

func TestCleanHTMLURLs(t *testing.T) {
	base := mustURL(t, "https://example.org/blog/post/")
	tests := []struct {
		name, in, want string
	}{
		{"root relative", `<a href="/blog/x/">x</a>`, `<a href="https://example.org/blog/x/">x</a>`},
		{"document relative", `<img src="img.png">`, `<img src="https://example.org/blog/post/img.png">`},
		{"parent", `<a href="../">up</a>`, `<a href="https://example.org/blog/">up</a>`},
		{"fragment", `<a href="#fn1">1</a>`, `<a href="https://example.org/blog/post/#fn1">1</a>`},
		{"protocol relative", `<img src="//cdn.example/a.png">`, `<img src="https://cdn.example/a.png">`},
		{"absolute kept", `<a href="http://other.example/a?b=1&amp;c=2">o</a>`, `<a href="http://other.example/a?b=1&amp;c=2">o</a>`},
		{"mailto kept", `<a href="mailto:a@example.org">m</a>`, `<a href="mailto:a@example.org">m</a>`},
		{"srcset", `<img src="a.png" srcset="a.png 1x, /b.png 2x">`, `<img src="https://example.org/blog/post/a.png" srcset="https://example.org/blog/post/a.png 1x, https://example.org/b.png 2x">`},
		{"srcset descriptors", `<img srcset="a.png 640w, b.png 1.5x, c.png onerror=x, d.png 2x 2x, e.png .5e1x, f.png 9w 4h, g.png 4h, h.png 9w 1x">`,
			`<img srcset="https://example.org/blog/post/a.png 640w, https://example.org/blog/post/b.png 1.5x, https://example.org/blog/post/e.png .5e1x, https://example.org/blog/post/f.png 9w 4h">`},
		{"poster", `<video poster="p.jpg" src="/v.mp4"></video>`, `<video poster="https://example.org/blog/post/p.jpg" src="https://example.org/v.mp4"></video>`},
		{"cite", `<q cite="/src">q</q>`, `<q cite="https://example.org/src">q</q>`},
		{"mailto not a source", `<img src="mailto:a@example.org">`, ``},
		{"ftp dropped", `<a href="ftp://example.org/f">f</a>`, `f`},
		{"class only language-*", `<pre class="x"><code class="language-go">go</code></pre>`, `<pre><code class="language-go">go</code></pre>`},
		{"ids and rel dropped", `<h2 id="a">A</h2><a href="/" rel="nofollow" target="_blank">b</a>`, `<h2>A</h2><a href="https://example.org/">b</a>`},
		{"empty", "  \n ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := cleanHTML(tt.in, base, false)
			if got != tt.want {
				t.Errorf("cleanHTML(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCleanHTMLText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"blocks become lines", "<h1>Title</h1><p>One</p><p>Two<br>Three</p><ul><li>a</li><li>b</li></ul>", "Title\nOne\nTwo\nThree\na\nb"},
		{"inline joins", "<p>in<em>line</em>d</p>", "inlined"},
		{"entities decoded", "<p>a &amp; b &lt;c&gt; &#8217; &nbsp;d</p>", "a & b <c> ’ d"},
		{"whitespace collapsed", "<p>  a \n\t b  </p>\n\n<p> c </p>", "a b\nc"},
		{"script text invisible", "<p>a</p><script>var x = 1;</script><style>p{}</style><p>b</p>", "a\nb"},
		{"plain-text paragraphs", "One.\n\nTwo,\nstill two.", "One.\nTwo, still two."},
		{"blank line in escaped text", "First &amp; one.\n \n\tSecond.", "First & one.\nSecond."},
		{"table cells", "<table><tr><td>1</td><td>2</td></tr></table>", "1\n2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := cleanHTML(tt.in, nil, true)
			if got != tt.want {
				t.Errorf("text of %q = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
