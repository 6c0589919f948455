package dedup

import (
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// MinHashRunes is the number of normalised letters and digits a body needs
// before it is matched by hash. Shorter bodies are teasers ("Read more…")
// that many different posts share; those are matched by URL only.
const MinHashRunes = 200

// fold is stateless and safe for concurrent use. It is held as a Transformer
// so that it is boxed once, not on every call.
var fold transform.Transformer = cases.Fold()

// HashText returns the hex SHA-256 of the normalised visible text, or ""
// when the text is too short to identify a post.
//
// Normalisation is Unicode NFKC, then full case folding, then dropping
// everything but letters and digits. A cross-posted copy that swaps em for
// en dashes, curly for straight quotes or nbsp for spaces, or loses a
// paragraph break, therefore hashes the same.
func HashText(text string) string {
	sc := getScratch()
	defer putScratch(sc)
	sc.text = append(sc.text[:0], text...)
	return sc.hash()
}

// scratch holds the buffers one hash needs, reused through a pool so that
// hashing a body allocates only its result.
type scratch struct {
	text, key, nfkc, folded []byte
	word                    []byte // an Arabic word's letters (see appendUnicodeWords)
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// maxPooled bounds the buffers kept for reuse, so that one huge body does not
// pin its memory for the life of the process.
const maxPooled = 1 << 20

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

func putScratch(sc *scratch) {
	if cap(sc.text) > maxPooled || cap(sc.key) > maxPooled ||
		cap(sc.nfkc) > maxPooled || cap(sc.folded) > maxPooled || cap(sc.word) > maxPooled {
		return
	}
	scratchPool.Put(sc)
}

// hash normalises sc.text into sc.key and returns its hex digest, or "" when
// fewer than MinHashRunes runes were kept.
func (sc *scratch) hash() string {
	n := sc.normalise()
	if n < MinHashRunes {
		return ""
	}
	sum := sha256.Sum256(sc.key)
	var out [2 * sha256.Size]byte
	hex.Encode(out[:], sum[:])
	return string(out[:])
}

// normalise sets sc.key to the case-folded NFKC letters and digits of
// sc.text and returns how many runes it kept.
//
// Most text is ASCII, where NFKC changes nothing and folding is lower-casing,
// so ASCII is handled a byte at a time. Every ASCII character starts a new
// normalisation segment (none composes with what precedes it), so a
// non-ASCII run, together with the one ASCII character before it that a
// combining mark may attach to, can be normalised on its own.
func (sc *scratch) normalise() int {
	s := sc.text
	sc.key = sc.key[:0]
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf && (i+1 == len(s) || s[i+1] < utf8.RuneSelf) {
			if k := asciiKey[c]; k != 0 {
				sc.key = append(sc.key, k)
				n++
			}
			i++
			continue
		}
		j := i + 1
		for j < len(s) && s[j] >= utf8.RuneSelf {
			j++
		}
		n += sc.normaliseRun(s[i:j])
		i = j
	}
	return n
}

// asciiKey maps an ASCII letter or digit to its folded form, and anything
// else to 0 (dropped).
var asciiKey = func() (t [utf8.RuneSelf]byte) {
	for c := byte('0'); c <= '9'; c++ {
		t[c] = c
	}
	for c := byte('a'); c <= 'z'; c++ {
		t[c] = c
		t[c-'a'+'A'] = c
	}
	return t
}()

// normaliseRun appends the folded NFKC letters and digits of run to sc.key
// and returns how many runes it appended.
func (sc *scratch) normaliseRun(run []byte) int {
	sc.nfkc = norm.NFKC.Append(sc.nfkc[:0], run...)
	if cap(sc.folded) == 0 {
		sc.folded = make([]byte, 0, 256)
	}
	// The error is always nil: at EOF a Caser has no short source to report,
	// and transform.Append grows the buffer instead of reporting a short one.
	sc.folded, _, _ = transform.Append(fold, sc.folded[:0], sc.nfkc)
	n := 0
	for p := sc.folded; len(p) > 0; {
		r, size := utf8.DecodeRune(p)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			sc.key = append(sc.key, p[:size]...)
			n++
		}
		p = p[size:]
	}
	return n
}
