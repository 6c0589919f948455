package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/model"
)

// withBody is r read from a body of digest d.
func withBody(r Refresh, d string) Refresh {
	r.BodyDigest = []byte(d)
	return r
}

// knownRefresh is a refresh whose known items k told of.
func knownRefresh(at time.Time, k *KnownItems, body string, entries ...model.Entry) Refresh {
	r := withBody(refresh(at, entries...), body)
	r.Known = k
	return r
}

// withDigest is e read from an item of digest d.
func withDigest(e model.Entry, d string) model.Entry {
	e.ItemDigest = []byte(d)
	return e
}

// knownStub is e as the refresh hands over an item Known told stored.
func knownStub(e model.Entry, d string) model.Entry {
	return model.Entry{GUID: e.GUID, Link: e.Link, ItemKey: e.ItemKey, ItemDigest: []byte(d), Known: true}
}

func knownItems(t *testing.T, s *Store, id int64, near bool) *KnownItems {
	t.Helper()
	k, err := s.Known(context.Background(), id, getSource(t, s, id).BodyDigest, near)
	if err != nil {
		t.Fatalf("Known(%d): %v", id, err)
	}
	return k
}

// TestKnownItems: an item key is known with the digest of the item it was
// last read from, when its entry is the source's own (a copy of another
// source's entry is always read: it may take the entry over), and only
// while it is in the source's window when near-duplicate detection is on.
// An item saved as known changes nothing and counts unchanged; one read
// again with another digest (a new village, say) but nothing new keeps the
// new digest.
func TestKnownItems(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	srcs := sources(t, s, 2)
	a, b := srcs[0].ID, srcs[1].ID
	one := textPost("one", "Scheduling in depth", t0, words("alpha", 120))
	two := textPost("two", "Networking in depth", t0, words("beta", 120))
	copyOfOne := textPost("copy", "Scheduling in depth", t0.Add(3600e9), words("alpha", 120))
	save(t, s, a, withBody(refresh(t0, withDigest(one, "d-one"), withDigest(two, "d-two")), "body 1"))
	if got := save(t, s, b, refresh(t0, withDigest(copyOfOne, "d-copy"))); got.Duplicates != 1 {
		t.Fatalf("the copy: %+v, want an alternate", got)
	}

	k := knownItems(t, s, a, true)
	for _, c := range []struct {
		key, digest string
		want        bool
	}{
		{"one", "d-one", true}, {"two", "d-two", true},
		{"one", "d-two", false}, {"three", "d-one", false}, {"one", "", false}, {"", "d-one", false},
	} {
		if got := k.Has(c.key, []byte(c.digest)); got != c.want {
			t.Errorf("source a: Has(%q, %q) = %v, want %v", c.key, c.digest, got, c.want)
		}
	}
	if knownItems(t, s, b, true).Has("copy", []byte("d-copy")) {
		t.Error("source b: the item of a copy of a's entry is known")
	}
	if _, err := s.Known(ctx, 999, nil, true); !errors.Is(err, ErrNotFound) {
		t.Errorf("Known of no source: %v, want ErrNotFound", err)
	}

	// Saved as known: nothing read, nothing written, the entry touched.
	before := allEntries(t, s)
	three := textPost("three", "Storage in depth", t0, words("gamma", 120))
	got := save(t, s, a, knownRefresh(t0.Add(7200e9), k, "body 2", withDigest(three, "d-three"), knownStub(one, "d-one"), knownStub(two, "d-two")))
	if got != (Result{New: 1, Unchanged: 2}) {
		t.Errorf("refresh with known items: %+v, want 1 new, 2 unchanged", got)
	}
	after := allEntries(t, s)
	if len(after) != len(before)+1 {
		t.Fatalf("%d entries after, %d before; want one more", len(after), len(before))
	}
	for _, e := range after {
		for _, was := range before {
			if e.ID == was.ID && (e.Content != was.Content || e.Title != was.Title || !e.Updated.Equal(was.Updated)) {
				t.Errorf("entry %s changed by a known item", e.GUID)
			}
		}
	}
	// Still in the window: touched, not dropped.
	k = knownItems(t, s, a, true)
	if !k.Has("one", []byte("d-one")) || !k.Has("three", []byte("d-three")) {
		t.Error("after the refresh, its known and new items are not known")
	}

	// Read again from another digest, unchanged: the new digest is kept.
	if got := save(t, s, a, withBody(refresh(t0.Add(3*3600e9), withDigest(one, "d-one, new village")), "body 3")); got != (Result{Unchanged: 1}) {
		t.Errorf("read again: %+v, want unchanged", got)
	}
	k = knownItems(t, s, a, true)
	if k.Has("one", []byte("d-one")) || !k.Has("one", []byte("d-one, new village")) {
		t.Error("the digest of an item read again is not the new one")
	}

	// Out of the window, an item is read again (its text is needed to
	// learn from) when near-duplicate detection is on.
	if _, err := s.writer.ExecContext(ctx, `UPDATE sources SET edge_window = X'' WHERE id = ?1`, a); err != nil {
		t.Fatal(err)
	}
	if knownItems(t, s, a, true).Has("two", []byte("d-two")) {
		t.Error("an item out of the window is known")
	}
	if !knownItems(t, s, a, false).Has("two", []byte("d-two")) {
		t.Error("without near-duplicate detection, an item out of the window is not known")
	}
}

// TestKnownItemsManyKeys: a source with more item keys than Known reads at
// once still has each of them known, by a lookup of its own.
func TestKnownItemsManyKeys(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	id := sources(t, s, 1)[0].ID
	var es []model.Entry
	for i := range knownAtOnce + 10 {
		g := "p" + string(rune('a'+i%26)) + string(rune('a'+i/26%26))
		es = append(es, withDigest(post(g, "https://a.example/"+g, "", t0), "d-"+g))
	}
	save(t, s, id, refresh(t0, es...))
	k := knownItems(t, s, id, false)
	if k.all {
		t.Fatalf("Known read all %d keys at once; the test needs more", len(es))
	}
	for _, e := range es {
		if !k.Has(e.GUID, []byte("d-"+e.GUID)) {
			t.Fatalf("item %s not known", e.GUID)
		}
	}
}

// TestKnownItemsCheckedAgain: what KnownItems told is checked again when
// the refresh is saved. When the source was read afresh meanwhile, an
// entry it took as known changed hands, or left the source's window,
// SaveRefresh writes nothing and answers ErrReadAgain.
func TestKnownItemsCheckedAgain(t *testing.T) {
	t.Parallel()
	one := textPost("one", "Scheduling in depth", t0, words("alpha", 120))
	for name, meanwhile := range map[string]func(t *testing.T, s *Store, a, b int64){
		"read afresh": func(t *testing.T, s *Store, a, b int64) {
			srcs := []model.Source{getSource(t, s, a), getSource(t, s, b)}
			srcs[0].Canonical = true
			if _, err := s.SyncSources(context.Background(), srcs); err != nil {
				t.Fatal(err)
			}
		},
		"taken over": func(t *testing.T, s *Store, a, b int64) {
			original := textPost("orig", "Scheduling in depth", t0.Add(-3600e9), words("alpha", 120))
			if got := save(t, s, b, withBody(refresh(t0, withDigest(original, "d-orig")), "b body")); got.Duplicates != 1 {
				t.Fatalf("the original: %+v, want it to take the entry over", got)
			}
		},
		"out of the window": func(t *testing.T, s *Store, a, b int64) {
			if _, err := s.writer.Exec(`UPDATE sources SET edge_window = X'' WHERE id = ?1`, a); err != nil {
				t.Fatal(err)
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			srcs := sources(t, s, 2)
			a, b := srcs[0].ID, srcs[1].ID
			save(t, s, a, withBody(refresh(t0, withDigest(one, "d-one")), "body 1"))
			k := knownItems(t, s, a, true)
			if !k.Has("one", []byte("d-one")) {
				t.Fatal("the item is not known to begin with")
			}
			meanwhile(t, s, a, b)
			before := countRows(t, s, "entries")
			two := textPost("two", "Networking in depth", t0, words("beta", 120))
			_, err := s.SaveRefresh(context.Background(), a, knownRefresh(t0.Add(7200e9), k, "body 2",
				withDigest(two, "d-two"), knownStub(one, "d-one")))
			if !errors.Is(err, ErrReadAgain) {
				t.Fatalf("SaveRefresh: %v, want ErrReadAgain", err)
			}
			if got := countRows(t, s, "entries"); got != before {
				t.Errorf("%d entries after, %d before: the refresh wrote", got, before)
			}
		})
	}
}

// TestKnownItemsForgetRenamedKeys: when an entry is written from an item
// under another key (a feed that changed its ids), the old key is no
// longer known: listed again as it was, it is read and written back.
func TestKnownItemsForgetRenamedKeys(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	a := sources(t, s, 1)[0].ID
	one := post("one", "https://a.example/one", "h1", t0)
	save(t, s, a, withBody(refresh(t0, withDigest(one, "d-one")), "body 1"))
	renamed := post("one-renamed", "https://a.example/one", "h2", t0)
	renamed.Content = "<p>Edited</p>"
	if got := save(t, s, a, withBody(refresh(t0.Add(3600e9), withDigest(renamed, "d-renamed")), "body 2")); got.Updated != 1 {
		t.Fatalf("the renamed item: %+v, want its entry updated", got)
	}
	k := knownItems(t, s, a, false)
	if k.Has("one", []byte("d-one")) {
		t.Error("the old key is still known after its entry was written from the new one")
	}
	if !k.Has("one-renamed", []byte("d-renamed")) {
		t.Error("the new key is not known")
	}
}
