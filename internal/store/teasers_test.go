package store

import (
	"testing"
	"time"
)

// TestPostTakesItsTeaserBack: a teaser that joined a response opening
// with the same paragraph, stored before the post (a first start, the
// feeds answering in that order), goes to the post when it comes, with
// the keys it brought: the teaser carries the post's title, not the
// response's. The response keeps its entry.
func TestPostTakesItsTeaserBack(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	srcs := sources(t, s, 3)
	opening := words("alpha", 60)
	at := t0.Add(48 * time.Hour)
	save(t, s, srcs[0].ID, refresh(at, textPost("response", "What scheduling taught us", t0.Add(24*time.Hour), opening, words("delta", 120))))
	teaser := textPost("teaser", "Scheduling in depth", t0, opening, "Read the whole post on the blog")
	save(t, s, srcs[1].ID, refresh(at, teaser))
	if es := allEntries(t, s); len(es) != 1 {
		t.Fatalf("%d entries before the post, want the response with the teaser it opens with", len(es))
	}
	save(t, s, srcs[2].ID, refresh(at, textPost("post", "Scheduling in depth", t0.Add(3*time.Hour), opening, words("beta", 100))))

	es := allEntries(t, s)
	if len(es) != 2 {
		t.Fatalf("%d entries, want the response and the post", len(es))
	}
	for _, e := range es {
		switch e.SourceID {
		case srcs[0].ID:
			if len(e.Alternates) != 0 {
				t.Errorf("the response keeps alternates %+v", e.Alternates)
			}
		case srcs[2].ID:
			if len(e.Alternates) != 1 || e.Alternates[0].SourceID != srcs[1].ID {
				t.Errorf("the post's alternates %+v, want the teaser", e.Alternates)
			}
		default:
			t.Errorf("entry kept from source %d", e.SourceID)
		}
	}
	// Its keys went with it: the teaser read again is the post's copy.
	if got := save(t, s, srcs[1].ID, refresh(at.Add(time.Hour), teaser)); got.New != 0 {
		t.Errorf("the teaser read again = %+v, want no new entry", got)
	}
	if n := countRows(t, s, "teaser_copies"); n != 1 {
		t.Errorf("%d teaser copies kept, want 1", n)
	}
}

// TestPostTakesBackATeaserItsResponseTookOver: a response that took its
// entry over from a teaser, as the whole of which it is the opening,
// gives the teaser up to the post when it comes: the teaser, under a
// title of its own, came a day before the post and days before the
// response.
func TestPostTakesBackATeaserItsResponseTookOver(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	srcs := sources(t, s, 3)
	opening := words("alpha", 60)
	at := t0.Add(96 * time.Hour)
	save(t, s, srcs[1].ID, refresh(at, textPost("teaser", "This week in scheduling", t0, opening, "Read the whole post tomorrow")))
	save(t, s, srcs[0].ID, refresh(at, textPost("response", "What scheduling taught us", t0.Add(90*time.Hour), opening, words("delta", 120))))
	if es := allEntries(t, s); len(es) != 1 || es[0].SourceID != srcs[0].ID {
		t.Fatalf("entries %+v before the post, want the response, over its teaser", es)
	}
	save(t, s, srcs[2].ID, refresh(at, textPost("post", "Scheduling in depth", t0.Add(24*time.Hour), opening, words("beta", 100))))
	for _, e := range allEntries(t, s) {
		want := map[int64]int{srcs[0].ID: 0, srcs[2].ID: 1}[e.SourceID]
		if len(e.Alternates) != want {
			t.Errorf("entry of source %d has alternates %+v, want %d", e.SourceID, e.Alternates, want)
		}
	}
}
