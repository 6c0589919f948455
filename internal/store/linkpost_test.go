package store

import (
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/model"
)

// linkPost is a link blog's item about the post at url: its link is the
// post's, its text a comment of its own.
func linkPost(guid, url, comment string, at time.Time) func() model.Entry {
	return func() model.Entry {
		e := textPost(guid, "Worth reading", at, comment)
		e.Link, e.CanonicalURL = url+"?utm_source=links", url
		return e
	}
}

// TestLinkPostKeptApart: an item of another source whose link is a stored
// post's, but whose text is a comment of its own, is a post about that
// post, not a copy of it, whichever arrives first; the post's copies still
// find the post. An item with too little text to judge is its URL's post.
func TestLinkPostKeptApart(t *testing.T) {
	t.Parallel()
	body := []string{words("alpha", 120), words("beta", 80)}
	const url = "https://orig.example/"
	orig := textPost("orig", "Scheduling in depth", t0, body...) // link url
	copy := syndicated("copy", "Scheduling In Depth", t0.Add(30*time.Hour), body...)
	comment := linkPost("note", url, words("gamma", 45), t0.Add(2*time.Hour))

	for _, order := range []string{"post first", "link first"} {
		t.Run(order, func(t *testing.T) {
			s := newStore(t)
			srcs := sources(t, s, 3)
			blog, synd, links := srcs[0].ID, srcs[1].ID, srcs[2].ID
			at := t0.Add(72 * time.Hour)
			if order == "link first" {
				save(t, s, links, refresh(at, comment()))
				save(t, s, synd, refresh(at, copy))
				save(t, s, blog, refresh(at, orig))
			} else {
				save(t, s, blog, refresh(at, orig))
				save(t, s, synd, refresh(at, copy))
				save(t, s, links, refresh(at, comment()))
			}
			es := allEntries(t, s)
			if len(es) != 2 {
				t.Fatalf("%d entries, want the post (with its copy) and the link post", len(es))
			}
			for _, e := range es {
				switch e.SourceID {
				case blog:
					if len(e.Alternates) != 1 || e.Alternates[0].SourceID != synd {
						t.Errorf("post's alternates %+v, want the syndicator's copy alone", e.Alternates)
					}
				case links:
					if len(e.Alternates) != 0 {
						t.Errorf("link post has alternates %+v", e.Alternates)
					}
				default:
					t.Errorf("entry %d of source %d, want the blog's and the link blog's", e.ID, e.SourceID)
				}
			}
		})
	}

	t.Run("too little text to judge", func(t *testing.T) {
		s := newStore(t)
		srcs := sources(t, s, 2)
		save(t, s, srcs[0].ID, refresh(t0, orig))
		pointer := linkPost("hn", url, "Comments", t0.Add(time.Hour))()
		if got := save(t, s, srcs[1].ID, refresh(t0.Add(time.Hour), pointer)); got != (Result{Duplicates: 1}) {
			t.Errorf("pointer = %+v, want 1 duplicate: its URL decides", got)
		}
	})
}

// TestSummaryFeedIsItsPost: a blog's summary feed, listed beside its full
// feed, carries a blurb written for each post under the post's URL and id:
// it is the post, however little of the post's text it holds. The same
// URL and id years later is another post.
func TestSummaryFeedIsItsPost(t *testing.T) {
	t.Parallel()
	const url = "https://blog.example/p/1"
	post := textPost(url, "Scheduling in depth", t0, words("alpha", 120), words("beta", 80))
	post.Link, post.CanonicalURL = url, url
	blurb := post
	blurb.Content = "<p>" + words("gamma", 50) + "</p>"
	blurb.Text, blurb.ContentHash = words("gamma", 50), ""

	s := newStore(t)
	srcs := sources(t, s, 2)
	save(t, s, srcs[0].ID, refresh(t0, post))
	if got := save(t, s, srcs[1].ID, refresh(t0.Add(time.Hour), blurb)); got != (Result{Duplicates: 1}) {
		t.Errorf("blurb under the post's URL and id = %+v, want 1 duplicate", got)
	}

	later := blurb
	later.Published = t0.Add(4 * 365 * 24 * time.Hour)
	s = newStore(t)
	srcs = sources(t, s, 2)
	save(t, s, srcs[0].ID, refresh(t0, post))
	if got := save(t, s, srcs[1].ID, refresh(later.Published, later)); got != (Result{New: 1}) {
		t.Errorf("another text under the URL and id four years later = %+v, want a new entry", got)
	}
}
