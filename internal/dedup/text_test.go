package dedup

import "testing"

func TestVisibleText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"plain text", "just words", "just words"},
		{"inline markup joins", "Kube<b>rnetes</b> is <a href=\"/x\">here</a>", "Kubernetes is here"},
		{"paragraphs separate", "<p>overestimated.</p><p>An important</p>", "overestimated. An important"},
		{"headings and lists separate", "<h2>Title</h2><ul><li>one</li><li>two</li></ul>", "Title one two"},
		{"br separates", "line<br>next<br/>last", "line next last"},
		{"table cells separate", "<table><tr><td>a</td><td>b</td></tr></table>", "a b"},
		{"whitespace collapsed and trimmed", "\n  <p>  a \t\n b  </p>\n", "a b"},
		{"nbsp collapsed", "a&nbsp;&nbsp;b\u00a0c", "a b c"},
		{"entities decoded", "&lt;tag&gt; &amp; &#8212; &eacute; &#x41;", "<tag> & \u2014 \u00e9 A"},
		{"script hidden", "a<script>var x = \"<p>b</p>\";</script>c", "ac"},
		{"style hidden", "<style>p { color: red }</style>a", "a"},
		{"template hidden", "a<template><p>b</p><template>c</template>d</template>e", "ae"},
		{"noscript hidden", "a<noscript>enable JS</noscript>b", "ab"},
		{"iframe hidden", "a<iframe src=x>fallback</iframe>b", "ab"},
		{"title hidden", "<title>Page</title>a", "a"},
		{"self-closed script still hidden", "a<script/>secret</script>b", "ab"},
		{"unclosed script hides rest", "a<script>b", "a"},
		{"unmatched end tag ignored", "a</script>b", "ab"},
		{"comments hidden", "a<!-- note -->b", "ab"},
		{"attributes are not text", `<img alt="a diagram" src="x.png">caption`, "caption"},
		{"pre keeps words", "<pre><code>kubectl get pods\n  -o wide</code></pre>", "kubectl get pods -o wide"},
		{"upper-case tags", "<P>a</P><SCRIPT>x</SCRIPT><DIV>b</DIV>", "a b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := VisibleText(tt.in); got != tt.want {
				t.Errorf("VisibleText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTagName(t *testing.T) {
	tests := []struct{ raw, want string }{
		{"<p>", "p"},
		{"</P>", "p"},
		{"<DIV class=x>", "div"},
		{"<br/>", "br"},
		{"</td\n>", "td"},
		{"<blockquote>", "blockquote"},
		{"<blockquotes>", ""},
		{"<a", "a"},
	}
	var buf [maxTagName]byte
	for _, tt := range tests {
		if got := string(tagName([]byte(tt.raw), &buf)); got != tt.want {
			t.Errorf("tagName(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
}
