package dedup

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// readProse returns the text of testdata/unspaced/name.
func readProse(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/unspaced/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

func TestUnspacedScriptsReadAsPairs(t *testing.T) {
	for _, c := range []struct {
		text string
		want []string // the words, as appendWords reads them alone
	}{
		{"Kubernetesの新機能", []string{"kubernetes", "の新", "新機", "機能"}},
		{"a 日 b", []string{"a", "日", "b"}},
		{"サイドカー、ｺﾝﾃﾅ。", []string{"サイ", "イド", "ドカ", "カー", "コン", "ンテ", "テナ"}},
		{"本文首发于社区博客", []string{"本文", "文首", "首发", "发于", "于社", "社区", "区博", "博客"}},
		{"ภาษาไทย ok", []string{"ภา", "าษ", "ษา", "าไ", "ไท", "ทย", "ok"}}, // ไ, ท, ย are letters; no marks here
		{"한국어 문장", []string{"한국어", "문장"}},                                  // Korean is spaced
	} {
		got := appendWords(nil, c.text)
		var want []uint64
		for _, w := range c.want {
			want = append(want, appendWords(nil, w)...)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q: %d words, want %d (%q)", c.text, len(got), len(c.want), c.want)
		}
	}
	// A mark of a Thai word stays inside its run and is no word of its own.
	if got, want := len(appendWords(nil, "สวัสดี")), 3; got != want { // ส ว ส ด
		t.Errorf("สวัสดี: %d words, want %d pairs of its letters", got, want)
	}
}

// TestJapaneseCopies holds copies of a Japanese post to the rules English
// ones meet: before, a 400-character post read as 25 words, too few to
// judge, and its copies were merged only when their text was the same.
func TestJapaneseCopies(t *testing.T) {
	post := readProse(t, "sidecar.ja.txt")
	title := "サイドカーコンテナがステーブルに"
	orig := Analyze(Post{Title: title, Text: post}, Boilerplate{})
	if orig.Words < MinWords || len(orig.Bands) == 0 {
		t.Fatalf("the post reads as %d words with %d search keys: too few to judge", orig.Words, len(orig.Bands))
	}
	paras := strings.Split(post, "\n")
	edited := strings.Replace(post, "独自の回避策を作ってきました", "自前の回避策を用意してきました", 1)
	for _, c := range []struct {
		name, text string
	}{
		{"origin line", "この記事は、Kubernetesブログに2024年8月13日に掲載された記事の転載です。\n" + post},
		{"origin line fused", "この記事は、Kubernetesブログに掲載された記事の転載です。" + post},
		{"edited, a break lost", strings.Replace(edited, "。\n", "。", 1)},
		{"half-width punctuation", strings.NewReplacer("、", ",", "。", ".", "：", ":").Replace(post)},
		{"footer", post + "\nこの記事が役に立ったら、いいねとフォローをお願いします。"},
		{"teaser", paras[0] + "\n" + paras[1] + "\n続きを読む"},
		{"cut short", strings.Join(paras[:3], "\n")},
	} {
		cp := Analyze(Post{Title: "【転載】" + title, Text: c.text}, Boilerplate{})
		if v := Compare(orig, cp); !v.Same {
			t.Errorf("%s: not one post: %v", c.name, v)
		}
		if !sharesKey(orig.Bands, cp.Bands) {
			t.Errorf("%s: no search key in common: the search would not find it", c.name)
		}
	}
}

func sharesKey(a, b []int64) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

// TestJapaneseLookAlikes: two posts of one project that open and close
// with the same sentences, and two posts of a series from one template,
// stay apart.
func TestJapaneseLookAlikes(t *testing.T) {
	sidecar := Analyze(Post{Title: "サイドカーコンテナがステーブルに", Text: readProse(t, "sidecar.ja.txt")}, Boilerplate{})
	sched := Analyze(Post{Title: "キューイングヒントがデフォルトで有効に", Text: readProse(t, "scheduler.ja.txt")}, Boilerplate{})
	if v := Compare(sidecar, sched); v.Same || v.Jaccard > 0.2 {
		t.Errorf("two posts on neighbouring topics: %v", v)
	}
	for _, c := range []struct {
		a, b     string
		conflict bool
	}{
		{"Kubernetes入門 第2回：Pod", "Kubernetes入門 第3回：Pod", true},
		{"2024年5月1日の定例会議", "2024年5月8日の定例会議", true},
		{"第12号 コミュニティ通信", "第13号 コミュニティ通信", true},
		{"v1.4 をリリースしました", "v1.5 をリリースしました", true},
		{"Kubernetes入門 第2回：Pod", "【転載】Kubernetes入門 第2回：Pod", false},
		{"3人の新しいメンテナを迎えました", "5人の新しいメンテナを迎えました", false}, // counts: CountsConflict
	} {
		if got := TitlesConflict(c.a, c.b); got != c.conflict {
			t.Errorf("TitlesConflict(%q, %q) = %v, want %v", c.a, c.b, got, c.conflict)
		}
	}
	if !CountsConflict("3人の新しいメンテナを迎えました", "5人の新しいメンテナを迎えました") {
		t.Error("3人 and 5人 count differently")
	}
	if !titleWithin("サイドカーコンテナがステーブルに", "【翻訳】Kubernetes 1.31：サイドカーコンテナがステーブルに") {
		t.Error("a headline with words put around it is not within it")
	}
	if titleWithin("サイドカーコンテナがステーブルに", "キューイングヒントがデフォルトで有効に") {
		t.Error("two headlines are within each other")
	}
}

func TestFullWidthSentences(t *testing.T) {
	for _, c := range []struct {
		block       string
		first, last string // "" when one sentence
	}{
		{"この記事は最初に掲載されました。本文です。詳しくは後述します。", "この記事は最初に掲載されました。", "詳しくは後述します。"},
		{"一文だけ。", "", ""},
		{"本当ですか？はい！そうです。", "本当ですか？", "そうです。"},
		{"Hello there. Second one.", "Hello there.", "Second one."},
	} {
		f, l := sentenceBounds(c.block)
		if c.first == "" {
			if f >= 0 {
				t.Errorf("%q: sentences end at %d, want one sentence", c.block, f)
			}
			continue
		}
		if f < 0 || c.block[:f] != c.first || c.block[l:] != c.last {
			t.Errorf("%q: bounds %d, %d; want first %q and last %q", c.block, f, l, c.first, c.last)
		}
	}
}
