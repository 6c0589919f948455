package site

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/villagefeeds/village/internal/model"
)

func TestSlugify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Kubernetes Blog", "kubernetes-blog"},
		{"Alice's Blog", "alices-blog"},
		{"  Café — Crème  ", "cafe-creme"},
		{"Bob & Co <Weekly>", "bob-co-weekly"},
		{"k8s.io", "k8s-io"},
		{"日本語", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Slugify(tt.in); got != tt.want {
			t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSlugs(t *testing.T) {
	srcs := []model.Source{
		{ID: 9, Name: "Blog", URL: "https://c.example/feed"},
		{ID: 2, Name: "Blog", URL: "https://a.example/feed"},
		{ID: 5, Name: "blog!", URL: "https://b.example/feed"},
		{ID: 7, URL: "https://www.d.example:8443/rss"},
		{ID: 8, Name: "日本語", URL: "https://e.example/"},
	}
	got := Slugs(srcs)
	want := map[int64]string{2: "blog", 5: "blog-2", 9: "blog-3", 7: "www-d-example", 8: "e-example"}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("source %d: slug %q, want %q", id, got[id], w)
		}
	}
}

func TestDirWritesChangesAndRemovesStale(t *testing.T) {
	dir := t.TempDir()
	docs := []Doc{
		{Path: "/", Page: 1, Body: []byte("home")},
		{Path: "/", Page: 2, Body: []byte("two")},
		{Path: "/atom.xml", Page: 2, Body: []byte("feed two")},
	}
	d := NewDir(dir)
	if n, err := d.Write(docs); err != nil || n != 3 {
		t.Fatalf("first write: %d, %v; want 3 files", n, err)
	}
	if n, _ := d.Write(docs); n != 0 {
		t.Errorf("unchanged write touched %d files", n)
	}
	// A restart: a new Dir finds the manifest and removes page 2.
	d = NewDir(dir)
	n, err := d.Write(docs[:1])
	if err != nil || n != 2 {
		t.Fatalf("write after restart: %d, %v; want page 2 and atom-2.xml removed", n, err)
	}
	for _, name := range []string{"page/2/index.html", "atom-2.xml"} {
		if _, err := os.Stat(filepath.Join(dir, name)); !os.IsNotExist(err) {
			t.Errorf("%s still there: %v", name, err)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "index.html")); string(b) != "home" {
		t.Errorf("index.html = %q", b)
	}
}

func TestFold(t *testing.T) {
	short := "<p>short</p>"
	if f := fold(short); f.More != "" || string(f.Head) != short {
		t.Errorf("short post folded: %+v", f)
	}
	long := ""
	for range 40 {
		long += "<p>" + string(make([]byte, 0)) + "A sentence of about a hundred characters, give or take, to fill a long post up nicely.</p>"
	}
	f := fold(long + "<pre><code>unclosed")
	if f.More == "" || len(f.Head) > len(long)/2 {
		t.Errorf("long post not folded: head %d bytes, more %d", len(f.Head), len(f.More))
	}
	if string(f.Head)+string(f.More) != long+"<pre><code>unclosed</code></pre>" {
		t.Error("head and more do not add up to the balanced post")
	}
}
