package dedup

// Persian writes some prefixes, suffixes and second halves of compounds
// apart from their word with a zero-width non-joiner: می‌خواهم (I want),
// کتاب‌ها (books), بزرگ‌ترین (largest), رتبه‌بندی (ranking). A copy may
// drop the non-joiner (میخواهم), which reads the same, since the
// non-joiner is no letter (see spelling.go); or, typed on an Arabic
// keyboard, which has none, put a space there (می خواهم), which made two
// words of one, so that a forum's copy of a post lost most of its runs
// of words. So the words below are joined to their neighbour when a
// space is all that parts them: a prefix to the word after it, a suffix
// to the word before it. Every copy is read so, whichever way it writes
// them, and the three spellings read alike. A common word among them (به,
// "to"; شده, "done") is joined where a space parts it in every copy too:
// copies still read alike, and only the look-alikes' shared words lose a
// little weight.
//
// The lists are spelled as appendUnicodeWords spells letters: Persian's
// yeh and kaf as Arabic's (see spelling.go).
var (
	persianPrefixes = wordSet("مي", "نمي", "بي", "به")
	persianSuffixes = wordSet(
		"ها", "هاي", "هايي", "هايم", "هايت", "هايش", "هايمان", "هايتان", "هايشان",
		"اي", "ام", "ات", "اش", "ايم", "ايد", "اند", "است",
		"تر", "ترين", "شده", "سازي", "بندي", "دار", "گاه", "وار", "مند", "گر",
	)
)

func wordSet(words ...string) map[string]bool {
	set := make(map[string]bool, len(words))
	for _, w := range words {
		set[w] = true
	}
	return set
}

// isArabicLetter reports whether r is a letter of the Arabic block, whose
// words the joiner is told of by their letters.
func isArabicLetter(r rune) bool { return r >= 0x0620 && r <= 0x06FF }

// joiner appends a text's word hashes, joining Persian's affixes to their
// neighbours (see above). A word's hash is FNV-1a over its letters, so the
// hash of two words joined is the first's hash continued with the
// second's letters.
type joiner struct {
	// apart is set when something other than a space has come since the
	// last word appended or held.
	apart bool
	// arabicLast is set when the last word appended is of Arabic letters
	// (a suffix after it joins it).
	arabicLast bool
	// prefix is the hash of a prefix word held for the word after it,
	// when held is set.
	prefix uint64
	held   bool
}

// word appends h, a word that is not of Arabic letters.
func (j *joiner) word(dst []uint64, h uint64) []uint64 {
	dst = j.flush(dst)
	j.apart, j.arabicLast = false, false
	return append(dst, h)
}

// arabicWord appends the word of Arabic letters letters, whose hash is h,
// or joins it to its neighbour.
func (j *joiner) arabicWord(dst []uint64, h uint64, letters []byte) []uint64 {
	next := !j.apart
	j.apart = false
	switch {
	case j.held && next:
		j.held, j.arabicLast = false, true
		return append(dst, hashBytes(j.prefix, letters))
	case next && j.arabicLast && len(dst) > 0 && persianSuffixes[string(letters)]:
		dst[len(dst)-1] = hashBytes(dst[len(dst)-1], letters)
		return dst
	}
	dst = j.flush(dst)
	if persianPrefixes[string(letters)] {
		j.prefix, j.held = h, true
		return dst
	}
	j.arabicLast = true
	return append(dst, h)
}

// flush appends the prefix held, if any, as a word of its own.
func (j *joiner) flush(dst []uint64) []uint64 {
	if !j.held {
		return dst
	}
	j.held, j.arabicLast = false, true
	return append(dst, j.prefix)
}
