package dedup

import (
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Copies of a post are not always spelled alike. A plain-text mirror
// writes é as e, and ü and ß as u or ue and ss; a newsletter keeps the
// soft hyphens a blog put in long German words, or drops them. Words are
// read as such a copy writes them: a letter without its accents (é, è
// and ê read as e, ø as o, æ as a), an "e" right after a, o or u left
// out, so that ü, ue and u read alike, and the characters that only say
// where a word may break left out. Two spellings of one word then read
// as one, and two different words very rarely do ("toe" and "to" do).

// ignorable reports whether r is a character that is part of no word and
// splits none: the soft hyphen, the zero-width joiners and the word joiner,
// and the byte order mark.
func ignorable(r rune) bool {
	switch r {
	case 0x00AD, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x034F:
		return true
	}
	return false
}

// isDiacritic reports whether r is a combining accent of Latin, Greek or
// Cyrillic letters (U+0300 to U+036F), which NFKC leaves on its own when
// no single character has the letter with it.
func isDiacritic(r rune) bool { return r >= 0x0300 && r <= 0x036F }

// afterDigraphVowel reports whether an "e" after last is left out.
func afterDigraphVowel(last rune) bool { return last == 'a' || last == 'o' || last == 'u' }

// plainLetters maps the letters of the Latin, Greek and Cyrillic blocks
// that carry accents to the letter without them (0 for a letter that has
// none). Its table is built the first time it is needed.
var plainLetters = sync.OnceValue(func() *[plainEnd]rune {
	var t [plainEnd]rune
	// Latin-1 to Cyrillic, then Latin Extended Additional and Greek
	// Extended: the blocks between have no such letters.
	for _, block := range [][2]rune{{0xC0, 0x0530}, {0x1E00, plainEnd}} {
		for r := block[0]; r < block[1]; r++ {
			d := norm.NFD.String(string(r))
			base, n := utf8.DecodeRuneInString(d)
			if n == len(d) || !unicode.IsLetter(base) {
				continue
			}
			plain := true
			for _, m := range d[n:] {
				plain = plain && unicode.Is(unicode.Mn, m)
			}
			if plain {
				t[r] = unicode.ToLower(base)
			}
		}
	}
	// Letters that are not an accented letter to Unicode, but that copies
	// spell with the plain one: æ and œ as ae and oe (a and o, by the
	// rule for e), ø as o or oe, ł as l.
	for r, p := range map[rune]rune{'æ': 'a', 'œ': 'o', 'ø': 'o', 'ð': 'd', 'đ': 'd', 'ħ': 'h', 'ı': 'i', 'ł': 'l', 'ŧ': 't'} {
		t[r] = p
	}
	return &t
})

// plainEnd is where plainLetters' table ends: past Latin Extended
// Additional (Vietnamese) and Greek Extended.
const plainEnd = 0x2000

// plainLetter returns r without its accents.
func plainLetter(r rune) rune {
	if r < 0xC0 || r >= plainEnd {
		return r
	}
	if p := plainLetters()[r]; p != 0 {
		return p
	}
	return r
}

// plainWord returns w, a case-folded word, spelled as appendUnicodeWords
// reads it: without accents, ignorable characters or an "e" after a, o
// or u. Titles are compared by such words.
func plainWord(w string) string {
	plain := true
	for i := 0; i < len(w) && plain; i++ {
		plain = w[i] < utf8.RuneSelf && w[i] != 'e'
	}
	if plain {
		return w
	}
	out := make([]byte, 0, len(w))
	var last rune
	for _, r := range w {
		switch {
		case ignorable(r), isDiacritic(r):
			continue
		}
		if r == 'ß' { // as case folding spells it in a text
			out, last = append(out, "ss"...), 's'
			continue
		}
		r = plainLetter(r)
		if r != 'e' || !afterDigraphVowel(last) {
			out = utf8.AppendRune(out, r)
		}
		last = r
	}
	return string(out)
}
