package store

import (
	"bytes"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/model"
)

// TestItemKeys: items that share a GUID but not a link are distinct
// entries, and an item with neither GUID nor link is stored under the key
// the parser gave it, once.
func TestItemKeys(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	id := sources(t, s, 1)[0].ID
	shared1 := post("same", "https://a.example/1", "", t0)
	shared1.ItemKey = "same\nhttps://a.example/1"
	shared2 := post("same", "https://a.example/2", "", t0.Add(-time.Hour))
	shared2.ItemKey = "same\nhttps://a.example/2"
	anon := model.Entry{ItemKey: "digest:0123", Title: "No id, no link", Content: "<p>x</p>", Published: t0.Add(-2 * time.Hour)}
	res := save(t, s, id, refresh(t0, shared1, shared2, anon))
	if res.New != 3 || res.Skipped != 0 {
		t.Fatalf("first poll: %+v; want 3 new, none skipped", res)
	}
	res = save(t, s, id, refresh(t0.Add(time.Hour), shared1, shared2, anon))
	if res.Unchanged != 3 || res.New != 0 {
		t.Errorf("second poll: %+v; want 3 unchanged", res)
	}
	got := allEntries(t, s)
	if len(got) != 3 || got[0].ItemKey != shared1.ItemKey || got[2].ItemKey != "digest:0123" {
		t.Errorf("entries %+v", got)
	}
}

// TestFingerprintKeepsOldEntriesUnchanged: what older versions did not
// store (the language, authors without addresses) does not change the
// fingerprint, so an upgrade does not update every entry; an enclosure does.
func TestFingerprintKeepsOldEntriesUnchanged(t *testing.T) {
	var scratch []byte
	old := post("g", "https://a.example/1", "h", t0)
	before := bytes.Clone(fingerprint(&scratch, &old))
	now := old
	now.Lang, now.ItemKey = "en", "g"
	now.Authors = []model.Person{{Name: "Ann"}}
	if !bytes.Equal(fingerprint(&scratch, &now), before) {
		t.Error("language, key or author names changed the fingerprint")
	}
	now.Enclosures = []model.Enclosure{{URL: "https://a.example/1.mp3"}}
	if bytes.Equal(fingerprint(&scratch, &now), before) {
		t.Error("an enclosure did not change the fingerprint")
	}
	now.Enclosures = nil
	now.Authors[0].Email = "ann@a.example"
	if bytes.Equal(fingerprint(&scratch, &now), before) {
		t.Error("an author's address did not change the fingerprint")
	}
}
