package store

import (
	"context"
	"strings"
	"testing"
	"time"
)

// persianPost is a Persian post that writes its affixes with the
// zero-width non-joiner.
var persianPost = []string{
	"ما در گروه دفتر فارسی می\u200cخواهیم کتاب\u200cهای درسی دبیرستان را برای خوانندگان نابینا و کم\u200cبینا آماده کنیم. این کار بزرگ\u200cترین پروژه ما در سال گذشته بود و هنوز تمام نشده است، اما نیمی از کتاب\u200cها اکنون با صفحه\u200cخوان و نمایشگر بریل خوانده می\u200cشوند.",
	"داوطلبان ما هر هفته کتاب\u200cها را می\u200cخوانند، متن را یکسان\u200cسازی می\u200cکنند، جدول\u200cها و فرمول\u200cها را بازنویسی می\u200cکنند و نسخه\u200cای تازه منتشر می\u200cکنند. هر کتاب دست\u200cکم دو بار خوانده می\u200cشود تا غلط\u200cهای تایپی و جاافتادگی\u200cها پیدا شوند.",
	"به\u200cزودی فهرست کتاب\u200cهای آماده را در وبلاگ می\u200cگذاریم تا معلم\u200cها و خانواده\u200cها بتوانند از آن\u200cها استفاده کنند. اگر می\u200cخواهید کمک کنید، لازم نیست برنامه\u200cنویس باشید: به ویراستار، آزمایشگر و خواننده نیاز داریم که بگویند چه چیزی کار نمی\u200cکند.",
}

// TestPersianCopyOnArabicKeyboard: a forum's copy of a Persian post, typed
// on an Arabic keyboard that writes a space for every non-joiner and
// Arabic's yeh and kaf for Persian's, is one entry with the post. Before,
// every such word read as two, and the copy as another post.
func TestPersianCopyOnArabicKeyboard(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	srcs := sources(t, s, 2)
	save(t, s, srcs[0].ID, refresh(t0, textPost("blog", "کتاب\u200cهای درسی برای همه", t0, persianPost...)))
	keyboard := strings.NewReplacer("\u200c", " ", "ی", "ي", "ک", "ك")
	spaced := make([]string, len(persianPost))
	for i, p := range persianPost {
		spaced[i] = keyboard.Replace(p)
	}
	cp := textPost("forum", keyboard.Replace("کتاب\u200cهای درسی برای همه"), t0.Add(20*time.Hour), spaced...)
	if got := save(t, s, srcs[1].ID, refresh(t0.Add(time.Hour), cp)); got != (Result{Duplicates: 1}) {
		t.Fatalf("copy = %+v, want 1 duplicate", got)
	}
	if es := allEntries(t, s); len(es) != 1 || es[0].SourceID != srcs[0].ID || len(es[0].Alternates) != 1 {
		t.Fatalf("entries %+v, want the blog's with the copy as alternate", es)
	}
}

// TestUpgradeRereadsPersian: a database an older village keyed has its
// entries read again and its sources' boilerplate learned again when it
// holds text in Arabic letters (migration 023), and is left alone when it
// holds none.
func TestUpgradeRereadsPersian(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		title string
		text  []string
		due   bool
	}{
		{"persian", "کتاب\u200cهای درسی برای همه", persianPost, true},
		{"english", "Textbooks for everyone", []string{strings.Repeat("We are preparing school textbooks for blind readers. ", 12)}, false},
		{"empty", "", nil, false},
	} {
		s := upgraded(t, func(s *Store) {
			srcs := sources(t, s, 2)
			if c.text != nil {
				save(t, s, srcs[0].ID, refresh(t0, textPost("post", c.title, t0, c.text...)))
			}
		}, `DELETE FROM rescan_due`, `UPDATE sources SET boilerplate = X'01'`, `PRAGMA user_version = 22`)
		due, _, err := s.RescanDue(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if due != c.due {
			t.Errorf("%s: rescan due %v, want %v", c.name, due, c.due)
		}
		var relearn int
		if err := s.reader.QueryRow(`SELECT count(*) FROM sources WHERE boilerplate = X''`).Scan(&relearn); err != nil {
			t.Fatal(err)
		}
		if want := map[bool]int{true: 2, false: 0}[c.due]; relearn != want {
			t.Errorf("%s: %d sources learn their boilerplate again, want %d", c.name, relearn, want)
		}
	}
}
