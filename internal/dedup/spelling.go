package dedup

import (
	"strings"
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
// the byte order mark, the marks that set the direction of right-to-left
// text, and Arabic's tatweel, which only stretches a word.
func ignorable(r rune) bool {
	switch {
	case r == 0x00AD, r == 0x034F, r == 0x0640, r == 0x2060, r == 0xFEFF:
		return true
	case r >= 0x200B && r <= 0x200F, r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return r != 0x200B // a zero-width space is a space
	}
	return false
}

// isDiacritic reports whether r is a mark a copy may write or leave out
// with the word unchanged: a combining accent of Latin, Greek or Cyrillic
// letters (which NFKC leaves on its own when no single character has the
// letter with it), Arabic's short vowels (harakat) and Quranic marks,
// Hebrew's points (niqqud) and cantillation, and Devanagari's nukta.
func isDiacritic(r rune) bool {
	switch {
	case r < 0x0300:
		return false
	case r <= 0x036F:
		return true
	case r >= 0x0591 && r <= 0x05C7:
		return r != 0x05BE && r != 0x05C0 && r != 0x05C3 && r != 0x05C6 // Hebrew punctuation
	case r >= 0x064B && r <= 0x065F, r == 0x0670, r >= 0x06D6 && r <= 0x06ED && r != 0x06DD && r != 0x06DE && r != 0x06E5 && r != 0x06E6 && r != 0x06E9:
		return true
	}
	return r == 0x093C
}

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
	// Arabic as Persian writes it and as copies without hamza do: one
	// yeh, one kaf, one alef, teh marbuta as heh.
	for r, p := range map[rune]rune{'ی': 'ي', 'ى': 'ي', 'ئ': 'ي', 'ک': 'ك', 'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ة': 'ه', 'ۀ': 'ه', 'ؤ': 'و'} {
		t[r] = p
	}
	// Digits of other scripts, as ASCII ones: a release "۱.۴" is 1.4.
	for _, zero := range digitZeros {
		for i := range rune(10) {
			t[zero+i] = '0' + i
		}
	}
	return &t
})

// digitZeros are the zeros of the decimal digits below plainEnd that NFKC
// leaves as they are: Arabic-Indic, Persian, N'Ko, the Indic scripts,
// Thai, Lao, Tibetan, Myanmar, Khmer and Mongolian.
var digitZeros = []rune{0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66,
	0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810}

// plainDigits returns s with its digits of other scripts as ASCII ones.
func plainDigits(s string) string {
	for _, r := range s {
		if r >= 0x0660 && unicode.IsDigit(r) {
			return strings.Map(func(r rune) rune {
				if r >= 0x0660 && unicode.IsDigit(r) {
					return plainLetter(r)
				}
				return r
			}, s)
		}
	}
	return s
}

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
