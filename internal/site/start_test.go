package site

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestEmptyPlanetSaysHowToStart: a planet without sources yet says how to
// add the first, rather than only "no posts".
func TestEmptyPlanetSaysHowToStart(t *testing.T) {
	docs, err := NewBuilder().Build(context.Background(), &fakeStore{}, fixtureOptions)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if d.Key().String() != "/" {
			continue
		}
		home := string(d.Body)
		for _, want := range []string{"This planet has no sources yet", "village add https://blog.example.org/", "<code>feeds:</code>"} {
			if !strings.Contains(home, want) {
				t.Errorf("the empty home page lacks %q", want)
			}
		}
		if strings.Contains(home, `class="updated"`) {
			t.Error("an empty planet claims an update time")
		}
		return
	}
	t.Fatal("no home page built")
}

// TestPostHeadingsRankBelowTheTitle reads the embedded stylesheet: every
// heading inside a post is smaller than the post's own title.
func TestPostHeadingsRankBelowTheTitle(t *testing.T) {
	th, err := loadTheme("")
	if err != nil {
		t.Fatal(err)
	}
	css := string(th.style)
	size := func(selector string) float64 {
		t.Helper()
		m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(selector) + `[^{]*\{[^}]*font-size: ([0-9.]+)rem`).FindStringSubmatch(css)
		if m == nil {
			t.Fatalf("no font-size for %s", selector)
		}
		v, _ := strconv.ParseFloat(m[1], 64)
		return v
	}
	title := size(".entry h2 ")
	for _, h := range []string{".content h1 ", ".content h2 ", ".content h3 ", ".content h4,"} {
		if got := size(h); got >= title {
			t.Errorf("%s is %vrem, not below the title's %vrem", h, got, title)
		}
	}
}
