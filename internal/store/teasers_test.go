package store

import (
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/model"
)

// alike is a store with three sources, and the posts of TestTeaser*: a
// post and a response that open with the same paragraph, and teasers of
// that paragraph.
type alike struct {
	s       *Store
	srcs    []model.Source
	opening string
}

func newAlike(t *testing.T) alike {
	s := newStore(t)
	return alike{s: s, srcs: sources(t, s, 3), opening: words("alpha", 60)}
}

func (a alike) post(at time.Time) model.Entry {
	return textPost("post", "Scheduling in depth", at, a.opening, words("beta", 100))
}

func (a alike) response(at time.Time) model.Entry {
	return textPost("response", "What scheduling taught us", at, a.opening, words("delta", 120))
}

func (a alike) teaser(title string, at time.Time) model.Entry {
	return textPost("teaser", title, at, a.opening, "Read the whole post on the blog")
}

// save stores e as source i's at time at.
func (a alike) save(t *testing.T, i int, at time.Time, e model.Entry) Result {
	return save(t, a.s, a.srcs[i].ID, refresh(at, e))
}

// wantAlternates checks how many alternates the entry of each of the
// sources the entries belong to has, and that there are no others.
func (a alike) wantAlternates(t *testing.T, want map[int]int) {
	t.Helper()
	es := allEntries(t, a.s)
	if len(es) != len(want) {
		t.Fatalf("%d entries, want %d", len(es), len(want))
	}
	for _, e := range es {
		i := int(e.SourceID - a.srcs[0].ID)
		if n, ok := want[i]; !ok || len(e.Alternates) != n {
			t.Errorf("entry of source %d has alternates %+v, want %d", i, e.Alternates, n)
		}
	}
}

// TestTeaserJoinsOnePost: a teaser that arrives after the post it teases
// and a response that opens with the same paragraph joins the post, and
// does not merge the two: both hold it as their opening.
func TestTeaserJoinsOnePost(t *testing.T) {
	t.Parallel()
	a := newAlike(t)
	a.save(t, 0, t0.Add(4*time.Hour), a.post(t0.Add(3*time.Hour)))
	a.save(t, 1, t0.Add(25*time.Hour), a.response(t0.Add(24*time.Hour)))
	a.save(t, 2, t0.Add(26*time.Hour), a.teaser("Scheduling in depth", t0))
	a.wantAlternates(t, map[int]int{0: 1, 1: 0})
}

// TestPostTakesItsTeaserBack: a teaser that joined a response opening
// with the same paragraph, stored before the post (a first start, the
// feeds answering in that order), goes to the post when it comes, with
// the keys it brought: the teaser carries the post's title, not the
// response's. The response keeps its entry.
func TestPostTakesItsTeaserBack(t *testing.T) {
	t.Parallel()
	a := newAlike(t)
	at := t0.Add(48 * time.Hour)
	teaser := a.teaser("Scheduling in depth", t0)
	a.save(t, 0, at, a.response(t0.Add(24*time.Hour)))
	a.save(t, 1, at, teaser)
	a.wantAlternates(t, map[int]int{0: 1})
	a.save(t, 2, at, a.post(t0.Add(3*time.Hour)))
	a.wantAlternates(t, map[int]int{0: 0, 2: 1})

	// Its keys went with it: the teaser read again is the post's copy.
	if got := a.save(t, 1, at.Add(time.Hour), teaser); got.New != 0 {
		t.Errorf("the teaser read again = %+v, want no new entry", got)
	}
	if n := countRows(t, a.s, "teaser_copies"); n != 1 {
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
	a := newAlike(t)
	at := t0.Add(96 * time.Hour)
	a.save(t, 1, at, a.teaser("This week in scheduling", t0))
	a.save(t, 0, at, a.response(t0.Add(90*time.Hour)))
	a.wantAlternates(t, map[int]int{0: 1})
	a.save(t, 2, at, a.post(t0.Add(24*time.Hour)))
	a.wantAlternates(t, map[int]int{0: 0, 2: 1})
}
