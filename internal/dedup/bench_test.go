package dedup

import "testing"

// BenchmarkContentHash hashes the rendered seed post, a typical ~6 KB body
// with links, emphasis and curly quotes.
func BenchmarkContentHash(b *testing.B) {
	page := renderHugo(b, readSeed(b, "village-post.hugo.md"))
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		if ContentHash(page) == "" {
			b.Fatal("no hash")
		}
	}
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
