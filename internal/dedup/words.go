package dedup

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// A text is read as words: maximal runs of letters and digits after Unicode
// NFKC and case folding, each kept as a 64-bit hash. This is the
// normalisation HashText applies, with the word boundaries kept, so a copy
// that swaps dashes and quotes or loses its links reads as the same words;
// and words are spelled without accents (see spelling.go), so a copy that
// writes é as e or ü as ue reads as the same words too.

// appendWords appends the hash of every word of text to dst.
func appendWords(dst []uint64, text string) []uint64 {
	return appendWordsMasking(dst, text, false)
}

// numberWord stands for every number when numbers are masked.
var numberWord = hashASCIIWord("0")

// appendWordsMasking is appendWords; with maskNumbers, every word made only
// of digits is appended as numberWord, so that dates and counts do not make
// two otherwise equal blocks differ.
func appendWordsMasking(dst []uint64, text string, maskNumbers bool) []uint64 {
	// Without masking, the dashes, curly quotes and spaces copies swap
	// for each other split words as ASCII punctuation does: they
	// normalise to no letter or digit, so "don’t" and "a—b" are read as
	// ASCII words without normalising the whole segment. With masking
	// they stay inside it, as they always have: "2024’s" is one segment,
	// not a masked number, and learned block keys do not change.
	split := !maskNumbers
	var j joiner // see affixes.go
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf && asciiKey[c] == 0 {
			j.apart = j.apart || c != ' '
			i++
			continue
		}
		if n := separatorLen(text, i); split && n > 0 {
			j.apart = true
			i += n
			continue
		}
		// A segment runs to the next ASCII character that is neither a
		// letter nor a digit; non-ASCII characters stay inside it, as
		// "café" needs normalising before it splits. An ASCII segment,
		// most of them, is hashed (as hashASCIIWord) in the same pass
		// that finds its end.
		end, ascii, digits := i, true, true
		h := uint64(fnvOffset)
		for ; end < len(text); end++ {
			c := text[end]
			if c >= utf8.RuneSelf {
				if split && separatorLen(text, end) > 0 {
					break
				}
				ascii = false
				continue
			}
			k := asciiKey[c]
			if k == 0 {
				break
			}
			digits = digits && c <= '9' && c >= '0'
			if k == 'e' && end > i && text[end-1] < utf8.RuneSelf && afterDigraphVowel(rune(asciiKey[text[end-1]])) {
				continue // see spelling.go
			}
			h ^= uint64(k)
			h *= fnvPrime
		}
		switch {
		case maskNumbers && ascii && digits:
			dst = j.word(dst, numberWord)
		case ascii:
			dst = j.word(dst, h)
		default:
			dst = appendUnicodeWords(dst, text[i:end], &j)
		}
		i = end
	}
	return j.flush(dst)
}

// separatorLen is the length in bytes of the separator at text[i], or 0:
// no-break space, en and em dash, curly quotes and the ellipsis, which
// NFKC and case folding leave without a letter or digit.
func separatorLen(text string, i int) int {
	switch {
	case text[i] == 0xC2 && i+1 < len(text) && text[i+1] == 0xA0: // U+00A0
		return 2
	case text[i] == 0xE2 && i+2 < len(text) && text[i+1] == 0x80:
		switch text[i+2] {
		case 0x93, 0x94, 0x98, 0x99, 0x9C, 0x9D, 0xA6: // U+2013 U+2014 U+2018 U+2019 U+201C U+201D U+2026
			return 3
		}
	}
	return 0
}

// FNV-1a, 64 bits: fast on short words and stable across releases, since
// word hashes end up in stored keys.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hashASCIIWord(w string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(w); i++ {
		k := asciiKey[w[i]]
		if k == 'e' && i > 0 && w[i-1] < utf8.RuneSelf && afterDigraphVowel(rune(asciiKey[w[i-1]])) {
			continue
		}
		h ^= uint64(k)
		h *= fnvPrime
	}
	return h
}

// appendUnicodeWords normalises seg (NFKC, then case folding) and appends
// the hashes of the words it splits into. The normalised forms go to
// pooled buffers, as HashText's do: a post with accented words has many
// such segments.
//
// Chinese, Japanese and Thai are written without spaces between words, so
// a run of their characters would be one word from one punctuation mark
// to the next: a 400-character post read as 25 words, too few to judge,
// and one character changed would change a whole clause. Such a run is
// read as its overlapping pairs of characters instead (a lone character as
// itself), as full-text search engines index these scripts: a pair stands
// for about a word, and a copy's edited character changes two of them.
//
// j joins the words of Persian's affixes to their neighbours, across the
// spaces before and after seg (see affixes.go).
func appendUnicodeWords(dst []uint64, seg string, j *joiner) []uint64 {
	sc := getScratch()
	defer putScratch(sc)
	sc.nfkc = norm.NFKC.AppendString(sc.nfkc[:0], seg)
	sc.folded, _, _ = transform.Append(fold, sc.folded[:0], sc.nfkc) // never fails: see normaliseRun
	h, inWord := uint64(fnvOffset), false
	var last rune   // the word's letter before this one, for the rule on "e"
	var prev []byte // the last character of an unspaced run, else nil
	pairs := 0      // pairs appended in the run
	// arabic tells a word that begins with an Arabic letter, whose
	// letters are also kept in sc.word for the joiner.
	arabic := false
	endWord := func() {
		if arabic {
			dst = j.arabicWord(dst, h, sc.word)
		} else {
			dst = j.word(dst, h)
		}
		h, inWord = fnvOffset, false
	}
	endRun := func() {
		if prev != nil && pairs == 0 {
			dst = j.word(dst, hashBytes(fnvOffset, prev))
		}
		prev, pairs = nil, 0
	}
	for p := sc.folded; len(p) > 0; {
		r, size := utf8.DecodeRune(p)
		switch {
		case isUnspaced(r):
			if inWord {
				endWord()
			}
			if prev != nil {
				dst = j.word(dst, hashBytes(hashBytes(fnvOffset, prev), p[:size]))
				pairs++
			}
			prev = p[:size]
		case prev != nil && unicode.In(r, unicode.Mn, unicode.Mc):
			// A vowel sign or tone mark of a Thai word: part of
			// the run, and no letter of its own.
		case ignorable(r), isDiacritic(r):
			// No letter, and no break: see spelling.go.
		case inWord && unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me):
			// A vowel sign of an Indic word, say: part of it.
			h = hashBytes(h, p[:size])
			if arabic {
				sc.word = append(sc.word, p[:size]...)
			}
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			endRun()
			if inWord {
				endWord()
			}
			j.apart = true
		default:
			endRun()
			if !inWord {
				last, arabic = 0, isArabicLetter(r)
				sc.word = sc.word[:0]
			}
			if r = plainLetter(r); r != 'e' || !afterDigraphVowel(last) {
				h = hashRune(h, r)
				if arabic {
					sc.word = utf8.AppendRune(sc.word, r)
				}
			}
			last, inWord = r, true
		}
		p = p[size:]
	}
	endRun()
	if inWord {
		endWord()
	}
	return dst
}

// hashRune continues the FNV-1a hash h with the UTF-8 bytes of r.
func hashRune(h uint64, r rune) uint64 {
	if r < utf8.RuneSelf {
		return (h ^ uint64(r)) * fnvPrime
	}
	var b [utf8.UTFMax]byte
	return hashBytes(h, b[:utf8.EncodeRune(b[:], r)])
}

// hashBytes continues the FNV-1a hash h with b.
func hashBytes(h uint64, b []byte) uint64 {
	for _, c := range b {
		h ^= uint64(c)
		h *= fnvPrime
	}
	return h
}

// isUnspaced reports whether r is a letter of a script written without
// spaces between words: Han, Hiragana and Katakana (with the long vowel
// mark, which Unicode counts as common to both kana), Thai, Lao, Khmer and
// Myanmar. Korean puts spaces between words, and is read as any other
// language.
func isUnspaced(r rune) bool {
	switch {
	case r < 0x0E00:
		return false
	case r >= 0x3041 && r <= 0x3096, r >= 0x30A1 && r <= 0x30FA, r >= 0x4E00 && r <= 0x9FFF:
		return true // hiragana, katakana and the common ideographs: most of such text
	}
	return r == 'ー' || unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana,
		unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar) && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// isNumber reports whether the word w (as text) is all ASCII digits.
func isNumber(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return w != ""
}

// mix is the splitmix64 finaliser: a cheap, well-spread bijection used to
// derive shingle and band hashes from word hashes.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
