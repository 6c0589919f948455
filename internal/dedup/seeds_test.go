package dedup

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/villagefeeds/village/internal/parse"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/renderer/html"
)

// The seeds are the two copies of "It Takes a Village to Raise a
// Kubernetes" that village was started from, and a different article about
// the same person (testdata/seeds/README.md).

func readSeed(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "seeds", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// renderHugo renders a Hugo page as the Kubernetes site does: front matter
// removed, goldmark with raw HTML allowed.
func renderHugo(t testing.TB, page string) string {
	t.Helper()
	body, ok := strings.CutPrefix(page, "---\n")
	if ok {
		_, body, ok = strings.Cut(body, "\n---\n")
	}
	if !ok {
		t.Fatal("no front matter")
	}
	var out bytes.Buffer
	md := goldmark.New(goldmark.WithRendererOptions(html.WithUnsafe()))
	if err := md.Convert([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func TestSeedPair(t *testing.T) {
	page := renderHugo(t, readSeed(t, "village-post.hugo.md"))
	if !strings.Contains(page, "<a href=") || !strings.Contains(page, "\u2014") {
		t.Fatal("rendered post lacks the links and em dash the test is about")
	}
	post := HashText(parse.Text(page))
	if post == "" {
		t.Fatal("hash of the rendered post = \"\"")
	}
	if plain := HashText(readSeed(t, "village-post.plain.txt")); plain != post {
		t.Errorf("republished copy hashes %s, original %s", plain, post)
	}
	interview := HashText(readSeed(t, "interview.plain.txt"))
	if interview == "" || interview == post {
		t.Errorf("interview hash = %q, want non-empty and != post hash %s", interview, post)
	}
}
