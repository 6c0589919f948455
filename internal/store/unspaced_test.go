package store

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// japanesePost is the paragraphs of a Japanese post of dedup's test data.
func japanesePost(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../dedup/testdata/unspaced/sidecar.ja.txt")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(b)), "\n")
}

// TestJapaneseCrossPost: a Japanese post re-posted with an origin line, a
// footer and an edit, under another title, is one entry. Before, its
// text read as too few words to judge, and only an identical text merged.
func TestJapaneseCrossPost(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	srcs := sources(t, s, 2)
	paras := japanesePost(t)
	save(t, s, srcs[0].ID, refresh(t0, textPost("blog", "サイドカーコンテナがステーブルに", t0, paras...)))
	edited := append([]string{"この記事は、Kubernetesブログに掲載された記事の転載です。"}, paras...)
	edited[2] = strings.Replace(edited[2], "独自の回避策を作ってきました", "自前の回避策を用意してきました", 1)
	edited = append(edited, "この記事が役に立ったら、いいねとフォローをお願いします。")
	cp := textPost("qiita", "【転載】Kubernetes 1.31：サイドカーコンテナがステーブルに", t0.Add(20*time.Hour), edited...)
	if got := save(t, s, srcs[1].ID, refresh(t0.Add(time.Hour), cp)); got != (Result{Duplicates: 1}) {
		t.Fatalf("copy = %+v, want 1 duplicate", got)
	}
	if es := allEntries(t, s); len(es) != 1 || es[0].SourceID != srcs[0].ID || len(es[0].Alternates) != 1 {
		t.Fatalf("entries %+v, want the blog's with the copy as alternate", es)
	}
}

// TestUpgradeRereadsEveryEntry: a database an older village keyed has
// its entries read again and its sources' boilerplate learned again
// (migration 022, which takes in 021's reading of Japanese text), since
// words are spelled another way; one with no entries has nothing to read.
func TestUpgradeRereadsEveryEntry(t *testing.T) {
	t.Parallel()
	for _, stored := range []bool{true, false} {
		s := upgraded(t, func(s *Store) {
			srcs := sources(t, s, 2)
			if stored {
				save(t, s, srcs[0].ID, refresh(t0, textPost("post", "Title", t0, words("alpha", 60))))
				save(t, s, srcs[1].ID, refresh(t0, textPost("other", "Other", t0, japanesePost(t)...)))
			}
		}, `DELETE FROM rescan_due`, `UPDATE sources SET boilerplate = X'01'`, `PRAGMA user_version = 21`)
		due, _, err := s.RescanDue(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if due != stored {
			t.Errorf("entries stored %v: rescan due %v", stored, due)
		}
		var relearn int
		if err := s.reader.QueryRow(`SELECT count(*) FROM sources WHERE boilerplate = X''`).Scan(&relearn); err != nil {
			t.Fatal(err)
		}
		if relearn != 2 {
			t.Errorf("entries stored %v: %d sources learn their boilerplate again, want 2", stored, relearn)
		}
	}
}
