package site

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/villagefeeds/village/internal/model"
)

// TestLargePlanetListsItsSourcesApart: past maxListedBeside sources the
// front page links to /sources/ instead of listing them all (at ten
// thousand it was 4 MB), and /sources/ lists every one with its health;
// a smaller planet lists them on the front page, as before.
func TestLargePlanetListsItsSourcesApart(t *testing.T) {
	ctx := context.Background()
	for _, n := range []int{maxListedBeside, maxListedBeside + 1} {
		st := &fakeStore{}
		for i := range n {
			st.sources = append(st.sources, model.Source{ID: int64(i + 1), Name: fmt.Sprintf("Blog %05d", i),
				URL: fmt.Sprintf("https://blog%d.example/feed.xml", i)})
		}
		st.sources[0].LastError, st.sources[0].LastProblem, st.sources[0].ErrorCount = "boom", "the server's name could not be resolved", 1
		snap, err := NewBuilder().Snapshot(ctx, st, fixtureOptions)
		if err != nil {
			t.Fatal(err)
		}
		home, err := snap.Render(ctx, Key{Path: "/", Page: 1})
		if err != nil {
			t.Fatal(err)
		}
		listed := strings.Count(string(home.Body), `class="name"`)
		apart := n > maxListedBeside
		switch {
		case !apart && listed != n:
			t.Errorf("%d sources: the front page lists %d", n, listed)
		case apart && (listed != 0 || !strings.Contains(string(home.Body), fmt.Sprintf(`<a href="./sources/">All %d subscriptions</a>`, n))):
			t.Errorf("%d sources: the front page lists %d and links to the list: %v", n, listed,
				strings.Contains(string(home.Body), `href="./sources/"`))
		}
		if strings.Contains(string(home.Body), "no sources yet") {
			t.Errorf("%d sources: the front page says the planet has none", n)
		}

		subs, err := snap.Render(ctx, Key{Path: "/sources/", Page: 1})
		if err != nil {
			t.Fatal(err)
		}
		body := string(subs.Body)
		if got := strings.Count(body, `class="name"`); got != n || !strings.Contains(body, "could not be resolved") ||
			!strings.Contains(body, `href="../sources/blog-00000/"`) {
			t.Errorf("%d sources: /sources/ lists %d, with health %v", n, got, strings.Contains(body, "could not be resolved"))
		}
		if _, err := snap.Render(ctx, Key{Path: "/sources/", Page: 2}); err != ErrNoPage {
			t.Errorf("/sources/?page=2: %v, want ErrNoPage", err)
		}
	}
}
