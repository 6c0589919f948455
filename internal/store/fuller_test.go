package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/dedup"
	"github.com/villagefeeds/village/internal/model"
)

// TestTeaserEntryComparedByItsPost: an entry that keeps a teaser (the
// earliest copy, or the canonical source's) is compared by its post, the
// fuller copy, too. A response that opens with the post's first paragraph
// is kept apart, as it is from the post itself; the post's copies still
// join. The post is short, and its teaser most of it: the two read as one
// text, and the earlier teaser stays the entry.
func TestTeaserEntryComparedByItsPost(t *testing.T) {
	t.Parallel()
	opening, rest := words("alpha", 60), words("beta", 30)
	teaser := textPost("teaser", "Scheduling in depth", t0, opening, "Read the whole post on the blog")
	whole := textPost("post", "Scheduling in depth", t0.Add(3*time.Hour), opening, rest)
	introduced := textPost("introduced", "Scheduling in depth", t0.Add(5*time.Hour), words("gamma", 40), opening, rest)
	response := textPost("response", "What scheduling taught us", t0.Add(24*time.Hour), opening, words("delta", 120))

	for _, canonicalTeaser := range []bool{false, true} {
		name := "earliest teaser"
		if canonicalTeaser {
			name = "canonical teaser, after its post"
		}
		t.Run(name, func(t *testing.T) {
			s := newStore(t)
			srcs := sources(t, s, 4)
			if canonicalTeaser {
				srcs[0].Canonical = true
				if _, err := s.SyncSources(context.Background(), srcs); err != nil {
					t.Fatal(err)
				}
				// The teaser takes over from the post, stored first.
				save(t, s, srcs[1].ID, refresh(t0.Add(4*time.Hour), whole))
				save(t, s, srcs[0].ID, refresh(t0.Add(4*time.Hour), teaser))
			} else {
				save(t, s, srcs[0].ID, refresh(t0.Add(time.Hour), teaser))
				save(t, s, srcs[1].ID, refresh(t0.Add(4*time.Hour), whole))
			}
			save(t, s, srcs[2].ID, refresh(t0.Add(6*time.Hour), introduced))
			save(t, s, srcs[3].ID, refresh(t0.Add(25*time.Hour), response))

			es := allEntries(t, s)
			if len(es) != 2 {
				t.Fatalf("%d entries, want the post with its copies, and the response", len(es))
			}
			for _, e := range es {
				switch e.SourceID {
				case srcs[0].ID:
					if len(e.Alternates) != 2 {
						t.Errorf("the teaser's entry has %d alternates, want the post and the introduced copy", len(e.Alternates))
					}
				case srcs[3].ID:
					if len(e.Alternates) != 0 {
						t.Errorf("the response has alternates %+v", e.Alternates)
					}
				default:
					t.Errorf("entry %d kept from source %d, want the teaser's and the response's", e.ID, e.SourceID)
				}
			}

			// A rescan reads the teaser's entry by its fuller copy too.
			if _, err := s.Rescan(context.Background(), dedup.Options{}, nil); err != nil {
				t.Fatal(err)
			}
			if n := len(allEntries(t, s)); n != 2 {
				t.Errorf("%d entries after a rescan, want 2", n)
			}
		})
	}
}

// TestFullerCopyFollowsTheEntry: the fuller copy goes once the entry's
// own text is as full (the teaser's source updates it to the whole post).
func TestFullerCopyFollowsTheEntry(t *testing.T) {
	t.Parallel()
	s, srcs, opening := keptTeaser(t)
	rest := words("beta", 30)
	save(t, s, srcs[1].ID, refresh(t0.Add(2*time.Hour), textPost("post", "Scheduling in depth", t0.Add(time.Hour), opening, rest)))
	if n := countRows(t, s, "fuller_copies"); n != 1 {
		t.Fatalf("%d fuller copies after the post joined its kept teaser, want 1", n)
	}
	updated := textPost("teaser", "Scheduling in depth", t0, opening, rest)
	save(t, s, srcs[0].ID, refresh(t0.Add(3*time.Hour), updated))
	if n := countRows(t, s, "fuller_copies"); n != 0 {
		t.Errorf("%d fuller copies once the entry's own text is the whole post, want 0", n)
	}
	if n := len(allEntries(t, s)); n != 1 {
		t.Errorf("%d entries, want 1", n)
	}
}

// TestFullerCopyOfAnEntryStoredBefore: an entry stored before words were
// counted (NULL after migration 018) has them counted when a copy joins.
func TestFullerCopyOfAnEntryStoredBefore(t *testing.T) {
	t.Parallel()
	s, srcs, opening := keptTeaser(t)
	if _, err := s.writer.Exec(`UPDATE entry_texts SET words = NULL`); err != nil {
		t.Fatal(err)
	}
	save(t, s, srcs[1].ID, refresh(t0.Add(2*time.Hour), textPost("post", "Scheduling in depth", t0.Add(time.Hour), opening, words("beta", 30))))
	var own, more int
	err := s.reader.QueryRow(`SELECT t.words, f.words FROM entry_texts AS t JOIN fuller_copies AS f USING (entry_id)`).Scan(&own, &more)
	if err != nil {
		t.Fatalf("the post is not the teaser's fuller copy: %v", err)
	}
	if own < 60 || more < own+20 {
		t.Errorf("words %d and %d, want the teaser's counted and the post's 20 or more above", own, more)
	}
}

// keptTeaser stores a teaser of a 90-word post from the first of two
// sources, and returns the store, the sources and the post's opening.
func keptTeaser(t *testing.T) (*Store, []model.Source, string) {
	s := newStore(t)
	srcs := sources(t, s, 2)
	opening := words("alpha", 60)
	save(t, s, srcs[0].ID, refresh(t0.Add(time.Hour), textPost("teaser", "Scheduling in depth", t0, opening, "Read the whole post on the blog")))
	return s, srcs, opening
}

// TestChangedTeaserStaysAnAlternate: a post that took its entry over from
// its earlier teaser keeps it when the teaser's item changes: the item's
// own id finds the entry, and the texts still say which is the whole.
func TestChangedTeaserStaysAnAlternate(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	srcs := sources(t, s, 2)
	opening, rest := words("alpha", 60), words("beta", 100)
	save(t, s, srcs[0].ID, refresh(t0.Add(time.Hour), textPost("teaser", "Scheduling in depth", t0, opening, "Read the whole post on the blog")))
	save(t, s, srcs[1].ID, refresh(t0.Add(4*time.Hour), textPost("post", "Scheduling in depth", t0.Add(3*time.Hour), opening, rest)))
	changed := textPost("teaser", "Scheduling in depth", t0, opening, "Read the whole post on our blog, out now")
	save(t, s, srcs[0].ID, refresh(t0.Add(5*time.Hour), changed))
	es := allEntries(t, s)
	if len(es) != 1 || es[0].SourceID != srcs[1].ID {
		t.Fatalf("entries %+v, want one, the post's", es)
	}
}

// TestUpgradeReadsAlternatesAgain: after migration 020, an entry stored
// before fuller copies were kept gains one from the copy it already has,
// the next time that copy's feed is read: its item digest and its feed's
// body digest are forgotten, the entry's own are kept.
func TestUpgradeReadsAlternatesAgain(t *testing.T) {
	t.Parallel()
	opening := words("alpha", 60)
	teaser := textPost("teaser", "Scheduling in depth", t0, opening, "Read the whole post on the blog")
	whole := textPost("post", "Scheduling in depth", t0.Add(time.Hour), opening, words("beta", 30))
	teaser.ItemDigest, whole.ItemDigest = []byte("t1"), []byte("p1")
	var srcs []model.Source
	s := upgraded(t, func(s *Store) {
		srcs = sources(t, s, 2)
		save(t, s, srcs[0].ID, refresh(t0.Add(time.Hour), teaser))
		r := refresh(t0.Add(2*time.Hour), whole)
		r.BodyDigest = []byte("body")
		save(t, s, srcs[1].ID, r)
	}, `DELETE FROM fuller_copies`, `PRAGMA user_version = 19`) // as a village before 020 left it

	digests := map[string]bool{}
	rows, err := s.reader.Query(`SELECT value, digest IS NOT NULL FROM entry_keys WHERE kind = 'item'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var key string
		var has bool
		if err := rows.Scan(&key, &has); err != nil {
			t.Fatal(err)
		}
		digests[key] = has
	}
	rows.Close()
	if len(digests) != 2 || digests[sourceKeyPrefix(srcs[0].ID)+"teaser"] != true || digests[sourceKeyPrefix(srcs[1].ID)+"post"] != false {
		t.Errorf("item digests kept after the upgrade %v, want the entry's own only", digests)
	}
	if got := getSource(t, s, srcs[1].ID).BodyDigest; len(got) != 0 {
		t.Errorf("the copy's feed keeps its body digest %q", got)
	}
	save(t, s, srcs[1].ID, refresh(t0.Add(3*time.Hour), whole))
	if n := countRows(t, s, "fuller_copies"); n != 1 {
		t.Errorf("%d fuller copies once the copy was read again, want 1", n)
	}
}

// TestFullerCopyRekeyedWhenItsSourceLearns: an entry's fuller copy comes
// from a syndicator whose lines were not learned yet, and is keyed with
// them. Once the syndicator's feed shows them on enough posts, the fuller
// copy is read again without them, as the syndicator's own entries are.
func TestFullerCopyRekeyedWhenItsSourceLearns(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	srcs := sources(t, s, 2)
	blog, synd := srcs[0].ID, srcs[1].ID
	srcs[0].Canonical = true // its teaser is the entry, the whole post its fuller copy
	if _, err := s.SyncSources(context.Background(), srcs); err != nil {
		t.Fatal(err)
	}
	opening, rest := words("alpha", 60), words("beta", 60)
	save(t, s, blog, refresh(t0.Add(time.Hour), textPost("teaser", "Scheduling in depth", t0, opening, "Read the whole post on the blog")))
	// The syndicator adds its lines after the post, as a teaser ends
	// inside it.
	signed := func(guid, title string, at time.Time, body ...string) model.Entry {
		return textPost(guid, title, at, append(body, syndicatorFooter, syndicatorBio)...)
	}
	whole := signed("whole", "Scheduling in depth", t0.Add(3*time.Hour), opening, rest)
	if got := save(t, s, synd, refresh(t0.Add(4*time.Hour), whole)); got != (Result{Duplicates: 1}) {
		t.Fatalf("whole post = %+v, want a copy of the teaser's entry", got)
	}
	fullerOf := func() (words int, bands, entryBands string) {
		t.Helper()
		err := s.reader.QueryRow(`SELECT f.words, f.bands, t.bands FROM fuller_copies AS f
			JOIN entry_texts AS t ON t.entry_id = f.entry_id`).Scan(&words, &bands, &entryBands)
		if err != nil {
			t.Fatal(err)
		}
		return words, bands, entryBands
	}
	before, beforeBands, beforeEntry := fullerOf()
	body := len(strings.Fields(opening + " " + rest))
	if before <= body {
		t.Fatalf("the fuller copy has %d words before its source's lines are learned, want them counted (%d without)", before, body)
	}

	others := []model.Entry{
		signed("c1", "Ingress", t0.Add(5*time.Hour), words("epsilon", 90)),
		signed("c2", "Probes", t0.Add(6*time.Hour), words("zeta", 90)),
	}
	save(t, s, synd, refresh(t0.Add(7*time.Hour), append(others, whole)...))
	after, afterBands, afterEntry := fullerOf()
	if after != body {
		t.Errorf("the fuller copy has %d words once its source's lines are learned, want %d", after, body)
	}
	if afterBands == beforeBands || afterEntry == beforeEntry {
		t.Error("the fuller copy's search keys were not made again")
	}
}
