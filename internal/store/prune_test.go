package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/model"
)

const day = 24 * time.Hour

// fivePosts are source a's posts, one a day, the newest first; source b
// carries a copy of a3 (an alternate).
func fivePosts(t *testing.T) (*Store, []int64) {
	t.Helper()
	s := newStore(t)
	srcs := sources(t, s, 2)
	save(t, s, srcs[0].ID, refresh(t0, aPosts()...))
	if res := save(t, s, srcs[1].ID, refresh(t0, bCopy())); res.Duplicates != 1 {
		t.Fatalf("b's copy of a3: %+v; want a duplicate", res)
	}
	return s, []int64{srcs[0].ID, srcs[1].ID}
}

func aPosts() []model.Entry {
	var out []model.Entry
	for i := 1; i <= 5; i++ {
		out = append(out, post(fmt.Sprintf("a%d", i), fmt.Sprintf("https://a.example/%d", i), fmt.Sprintf("hash-a%d", i), t0.Add(-time.Duration(i)*day)))
	}
	return out
}

func bCopy() model.Entry {
	return post("b-copy", "https://a.example/3", "hash-a3", t0.Add(-3*day))
}

func TestPruneLeavesTombstones(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		r    Retention
		kept []string // GUIDs left, newest first
	}{
		{"max entries", Retention{MaxEntries: 2, Now: t0}, []string{"a1", "a2"}},
		{"max age", Retention{MaxAge: 3*day + time.Hour, Now: t0}, []string{"a1", "a2", "a3"}},
		{"both, age stricter", Retention{MaxAge: day + time.Hour, MaxEntries: 4, Now: t0}, []string{"a1"}},
		{"both, count stricter", Retention{MaxAge: 30 * day, MaxEntries: 4, Now: t0}, []string{"a1", "a2", "a3", "a4"}},
		{"no limit", Retention{}, []string{"a1", "a2", "a3", "a4", "a5"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, ids := fivePosts(t)
			ctx := context.Background()
			p, err := s.Prune(ctx, tc.r)
			if err != nil {
				t.Fatal(err)
			}
			pruned := 5 - len(tc.kept)
			if p.Entries != pruned || countRows(t, s, "entries") != len(tc.kept) {
				t.Fatalf("Prune = %+v, %d entries left; want %d pruned, %d left", p, countRows(t, s, "entries"), pruned, len(tc.kept))
			}
			if got := guids(allEntries(t, s)); fmt.Sprint(got) != fmt.Sprint(tc.kept) {
				t.Errorf("kept %v; want %v", got, tc.kept)
			}

			// Both sources still list everything: nothing pruned comes back.
			resA := save(t, s, ids[0], refresh(t0.Add(time.Hour), aPosts()...))
			resB := save(t, s, ids[1], refresh(t0.Add(time.Hour), bCopy()))
			if resA.New != 0 || resB.New != 0 || resA.Pruned != pruned {
				t.Errorf("refresh after prune: a %+v, b %+v; want 0 new, %d pruned items skipped", resA, resB, pruned)
			}
			if n := countRows(t, s, "entries"); n != len(tc.kept) {
				t.Errorf("%d entries after the refresh; want %d", n, len(tc.kept))
			}

			// A post the source has not sent before is still new.
			fresh := post("a0", "https://a.example/0", "hash-a0", t0)
			if res := save(t, s, ids[0], refresh(t0.Add(2*time.Hour), fresh)); res.New != 1 {
				t.Errorf("a new post after prune: %+v; want it stored", res)
			}
		})
	}
}

// TestPruneTombstonesEveryKey: the alternate's item key, the canonical URL
// and the content hash of a pruned entry each keep it from coming back.
func TestPruneTombstonesEveryKey(t *testing.T) {
	t.Parallel()
	s, ids := fivePosts(t)
	ctx := context.Background()
	if _, err := s.Prune(ctx, Retention{MaxEntries: 2, Now: t0}); err != nil {
		t.Fatal(err)
	}
	c := sources(t, s, 3)[2] // a third source, never seen a3
	for _, tc := range []struct {
		name string
		src  int64
		e    model.Entry
	}{
		{"same guid, new link and text", ids[0], post("a3", "https://a.example/moved/3", "other-hash", t0)},
		{"other source, same url", c.ID, post("c3", "https://a.example/3", "", t0)},
		{"other source, same text", c.ID, post("c3b", "https://c.example/3", "hash-a3", t0)},
		{"alternate's own guid", ids[1], post("b-copy", "https://b.example/elsewhere", "", t0)},
	} {
		if res := save(t, s, tc.src, refresh(t0, tc.e)); res.New != 0 || res.Pruned != 1 {
			t.Errorf("%s: %+v; want it recognised as pruned", tc.name, res)
		}
	}
}

func guids(es []model.Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.GUID)
	}
	return out
}
