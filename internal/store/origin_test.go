package store

import (
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/dedup"
	"github.com/villagefeeds/village/internal/model"
)

// TestCopyFoundByItsOriginLine: a copy that links the post it was first
// published as ("Originally published at …") is that post's copy, in
// either order, even when its text alone does not say so: 12 days later,
// with an update longer than the post. A post that links another in its
// first paragraph without saying it copies it stays its own.
func TestCopyFoundByItsOriginLine(t *testing.T) {
	t.Parallel()
	body := words("alpha", 60)
	orig := textPost("orig", "Slides from the talk", t0, body)
	orig.Link = "https://orig.example/2024/06/slides/"
	orig.CanonicalURL = dedup.CanonicalURL(orig.Link)
	withOrigin := func(e model.Entry) model.Entry {
		e.OriginURL = dedup.OriginURL(e.Content, e.Text, e.CanonicalURL)
		return e
	}
	copied := withOrigin(textPost("copy", "Slides from the talk", t0.Add(12*24*time.Hour), body,
		"Update: "+words("beta", 80),
		`Originally published at <a href="https://orig.example/2024/06/slides/">orig.example</a> on June 20.`))
	if copied.OriginURL != orig.CanonicalURL {
		t.Fatalf("OriginURL = %q", copied.OriginURL)
	}
	response := withOrigin(textPost("response", "On the slides", t0.Add(24*time.Hour),
		`I read <a href="https://orig.example/2024/06/slides/">the slides</a> and `+words("gamma", 80)))
	at := t0.Add(13 * 24 * time.Hour)

	for _, copyFirst := range []bool{false, true} {
		s := newStore(t)
		srcs := sources(t, s, 3)
		if copyFirst {
			save(t, s, srcs[1].ID, refresh(at, copied))
			save(t, s, srcs[0].ID, refresh(at, orig))
		} else {
			save(t, s, srcs[0].ID, refresh(at, orig))
			save(t, s, srcs[1].ID, refresh(at, copied))
		}
		save(t, s, srcs[2].ID, refresh(at, response))
		es := allEntries(t, s)
		if len(es) != 2 {
			t.Fatalf("copy first %v: %d entries, want the post with its copy, and the response", copyFirst, len(es))
		}
		for _, e := range es {
			if e.SourceID == srcs[0].ID && (len(e.Alternates) != 1 || e.Alternates[0].SourceID != srcs[1].ID) {
				t.Errorf("copy first %v: the post's alternates %+v, want the copy", copyFirst, e.Alternates)
			}
			if e.SourceID == srcs[1].ID {
				t.Errorf("copy first %v: the copy is its own entry", copyFirst)
			}
		}
	}
}

// TestOriginLineOffWithNearDuplicates: with near-duplicate detection off
// (near_duplicates: false), an origin line matches nothing: URLs and exact
// texts alone do.
func TestOriginLineOffWithNearDuplicates(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	srcs := sources(t, s, 2)
	orig := textPost("orig", "Slides from the talk", t0, words("alpha", 60))
	orig.Link = "https://orig.example/2024/06/slides/"
	orig.CanonicalURL = dedup.CanonicalURL(orig.Link)
	copied := textPost("copy", "Slides from the talk", t0.Add(time.Hour), words("alpha", 60),
		`Originally published at <a href="https://orig.example/2024/06/slides/">orig.example</a>.`)
	copied.OriginURL = dedup.OriginURL(copied.Content, copied.Text, copied.CanonicalURL)
	for i, e := range []model.Entry{orig, copied} {
		r := refresh(t0.Add(2*time.Hour), e)
		r.Dedup = dedup.Options{Off: true}
		save(t, s, srcs[i].ID, r)
	}
	if n := len(allEntries(t, s)); n != 2 {
		t.Errorf("%d entries, want 2: the origin line read with near-duplicates off", n)
	}
}

// TestUndatedCopyAtAnyDate: an undated copy (a plain-text mirror) has only
// the time it was first seen, which says nothing of when its post was
// published: it is its post's copy a year later too, whichever comes
// first.
func TestUndatedCopyAtAnyDate(t *testing.T) {
	t.Parallel()
	body := []string{words("alpha", 120), words("beta", 80)}
	orig := textPost("orig", "Scheduling in depth", t0, body...)
	mirror := textPost("mirror", "Scheduling in depth", time.Time{}, append(body, "Mirrored from the project blog.")...)
	later := t0.Add(400 * 24 * time.Hour)
	for _, mirrorFirst := range []bool{false, true} {
		s := newStore(t)
		srcs := sources(t, s, 2)
		if mirrorFirst {
			save(t, s, srcs[1].ID, refresh(later, mirror))
			save(t, s, srcs[0].ID, refresh(later.Add(time.Hour), orig))
		} else {
			save(t, s, srcs[0].ID, refresh(t0.Add(time.Hour), orig))
			save(t, s, srcs[1].ID, refresh(later, mirror))
		}
		if es := allEntries(t, s); len(es) != 1 || es[0].SourceID != srcs[0].ID {
			t.Errorf("mirror first %v: entries %+v, want the post with its undated copy", mirrorFirst, es)
		}
	}
}

// TestTwoItemsNamingOnePost: a syndicator cuts a post in two and says on
// both halves where it was first published. The halves are two items of
// one source, and neither is lost: one is the post's copy (the first
// half, which holds the post's opening), the other stays an entry.
func TestTwoItemsNamingOnePost(t *testing.T) {
	t.Parallel()
	first, second := words("alpha", 60), words("beta", 60)
	orig := textPost("orig", "Moving CI to ARM", t0, first, second)
	orig.Link = "https://orig.example/2025/05/ci-on-arm/"
	orig.CanonicalURL = dedup.CanonicalURL(orig.Link)
	line := `Originally published at <a href="https://orig.example/2025/05/ci-on-arm/">orig.example</a>.`
	half := func(guid, title, body string) model.Entry {
		e := textPost(guid, title, t0.Add(24*time.Hour), line, body)
		e.Link = "https://synd.example/p/" + guid
		e.CanonicalURL = dedup.CanonicalURL(e.Link)
		e.OriginURL = dedup.OriginURL(e.Content, e.Text, e.CanonicalURL)
		return e
	}
	part2 := half("part-2", "Moving CI to ARM (part 2 of 2)", second)
	part1 := half("part-1", "Moving CI to ARM (part 1 of 2)", first)
	if part1.OriginURL != orig.CanonicalURL || part2.OriginURL != orig.CanonicalURL {
		t.Fatalf("OriginURL = %q, %q", part1.OriginURL, part2.OriginURL)
	}
	for _, sameFetch := range []bool{true, false} {
		s := newStore(t)
		srcs := sources(t, s, 2)
		save(t, s, srcs[0].ID, refresh(t0, orig))
		if sameFetch {
			save(t, s, srcs[1].ID, refresh(t0.Add(25*time.Hour), part2, part1))
		} else {
			save(t, s, srcs[1].ID, refresh(t0.Add(25*time.Hour), part2))
			save(t, s, srcs[1].ID, refresh(t0.Add(26*time.Hour), part2, part1))
		}
		seen := map[string]bool{}
		for _, e := range allEntries(t, s) {
			seen[e.GUID] = true
			for _, a := range e.Alternates {
				seen[a.GUID] = true
			}
		}
		for _, guid := range []string{"orig", "part-1", "part-2"} {
			if !seen[guid] {
				t.Errorf("same fetch %v: item %s is neither an entry nor an alternate", sameFetch, guid)
			}
		}
	}
}
