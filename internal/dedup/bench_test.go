package dedup

import (
	"fmt"
	"testing"

	"github.com/villagefeeds/village/internal/parse"
)

// BenchmarkAnalyze is what near-duplicate detection costs an entry at
// ingest: the rendered seed post, a typical ~6 KB body, read into shingles,
// its lead and its search keys, with a learned boilerplate to leave out.
func BenchmarkAnalyze(b *testing.B) {
	p, bp := villagePost(b)
	b.SetBytes(int64(len(p.Text)))
	b.ReportAllocs()
	for b.Loop() {
		if d := Analyze(p, bp); len(d.Bands) == 0 {
			b.Fatal("no search keys")
		}
	}
}

// BenchmarkAnalyzeJapanese is BenchmarkAnalyze on a Japanese post, read
// as pairs of characters (see appendUnicodeWords); MB/s compares the two.
func BenchmarkAnalyzeJapanese(b *testing.B) {
	p := Post{Title: "サイドカーコンテナがステーブルに", Text: readProse(b, "sidecar.ja.txt")}
	b.SetBytes(int64(len(p.Text)))
	b.ReportAllocs()
	for b.Loop() {
		if d := Analyze(p, Boilerplate{}); len(d.Bands) == 0 {
			b.Fatal("no search keys")
		}
	}
}

// villagePost is the rendered seed post, and a boilerplate learned from a
// syndicator's lines.
func villagePost(tb testing.TB) (Post, Boilerplate) {
	p := Post{Title: "It Takes a Village to Raise a Kubernetes", Text: parse.Text(renderHugo(tb, readSeed(tb, "village-post.hugo.md")))}
	var w Window
	for i := range MinSupport {
		w.Add(fmt.Sprint(i), Post{Text: "Originally published on the blog.\n" + fmt.Sprint("Post ", i) + "\nShare this post."})
	}
	return p, w.Learn(Boilerplate{})
}

func BenchmarkHashText(b *testing.B) {
	text := readSeed(b, "village-post.plain.txt")
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if HashText(text) == "" {
			b.Fatal("no hash")
		}
	}
}

func BenchmarkCanonicalURL(b *testing.B) {
	urls := []string{
		"https://kubernetes.io/blog/2017/10/it-takes-village-to-raise-kubernetes/",
		"http://Blog.Example.org:80/2017/10/post/index.html?utm_source=rss&utm_medium=feed&p=12#comments",
		"https://k8s-mirror.example.org/p/2034",
		"https://example.com/caf%c3%a9/./a/../b?tag=go&tag=db&fbclid=IwAR0abc",
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, u := range urls {
			if CanonicalURL(u) == "" {
				b.Fatal(u)
			}
		}
	}
}

// BenchmarkOriginURL is what reading a copy's origin line costs every
// item at ingest, most of which have none: the rendered seed post, ending
// with a syndicator's origin line.
func BenchmarkOriginURL(b *testing.B) {
	html := renderHugo(b, readSeed(b, "village-post.hugo.md")) +
		`<p>Originally published at <a href="https://kubernetes.io/blog/2017/10/it-takes-village-to-raise-kubernetes/">kubernetes.io</a>.</p>`
	text := parse.Text(html)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if OriginURL(html, text, "https://mirror.example/p/1") == "" {
			b.Fatal("no origin")
		}
	}
}
