package dedup

import (
	"slices"
	"testing"
)

// TestPersianAffixesJoin: a Persian word written with its zero-width
// non-joiner, without it, and with a space for it reads as one word; other
// words stay apart, and so do an affix and a word that punctuation or
// another script parts.
func TestPersianAffixesJoin(t *testing.T) {
	for _, spellings := range [][]string{
		{"من می\u200cخواهم بخوانم", "من میخواهم بخوانم", "من می خواهم بخوانم"},                       // prefix
		{"این کتاب\u200cها را نمی\u200cخوانم", "این کتابها را نمیخوانم", "این کتاب ها را نمی خوانم"}, // suffix and prefix
		{"بزرگ\u200cترین کتاب\u200cهای ما", "بزرگترین کتابهای ما", "بزرگ ترین کتاب های ما"},
		{"یکسان\u200cسازی و رتبه\u200cبندی", "یکسانسازی و رتبهبندی", "یکسان سازی و رتبه بندی"},
		{"مجموعه\u200cای از نمونه\u200cاش", "مجموعهای از نمونهاش", "مجموعه ای از نمونه اش"},
		{"به\u200cزودی می\u200cآید", "بهزودی میآید", "به زودی می آید"},
		{"دفتر شده است", "دفترشدهاست", "دفتر\u200cشده\u200cاست"},
	} {
		want := appendWords(nil, spellings[0])
		for _, s := range spellings[1:] {
			if got := appendWords(nil, s); !slices.Equal(got, want) {
				t.Errorf("%q reads as %x, %q as %x", s, got, spellings[0], want)
			}
		}
	}
	for _, c := range []struct{ a, b string }{
		{"کتاب ها", "کتاب، ها"},       // a comma parts them
		{"کتاب ها", "کتاب (ها)"},      // and a bracket
		{"می خواهم", "می. خواهم"},     // and a full stop
		{"Daftar ها", "Daftarها"},     // an affix joins Arabic letters only
		{"کتاب خوب", "کتابخوب"},       // two words that are no affix
		{"می خواهم", "نمی خواهم"},     // a prefix is a letter of the word
		{"کتاب ها", "کتاب های"},       // and a suffix
		{"کتاب ها", "کتاب\nها"},       // a line break parts blocks
		{"خواهم می", "خواهم\u200cمی"}, // a prefix at the end joins nothing
	} {
		if a, b := appendWords(nil, c.a), appendWords(nil, c.b); slices.Equal(a, b) {
			t.Errorf("%q and %q read as the same words", c.a, c.b)
		}
	}
	// A prefix with no word after it is a word of its own.
	if got, want := appendWords(nil, "می"), []uint64{hashBytes(fnvOffset, []byte("مي"))}; !slices.Equal(got, want) {
		t.Errorf("a lone prefix reads as %x, want %x", got, want)
	}
}
