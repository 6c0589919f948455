package dedup

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// prose is long enough to be hashed, with the characters that cross-posting
// tends to change: an em dash, curly quotes and a non-breaking space.
const prose = "When circumstances opened the door for me to lead the 1.8 release, " +
	"I signed on despite a minor case of the butterflies. They assured me that " +
	"\u201cbeing organized, following up, and knowing when to ask for help\u201d " +
	"were the keys to being a successful lead. That\u2019s when I knew I could do " +
	"it \u2014 and so I\u00a0did. Also, emoji in Slack cannot be overestimated."

func TestHashTextEqual(t *testing.T) {
	tests := []struct {
		name, a, b string
	}{
		{"en dash for em dash", prose, strings.ReplaceAll(prose, "\u2014", "\u2013")},
		{"hyphen for em dash", prose, strings.ReplaceAll(prose, "\u2014", "-")},
		{"straight quotes", prose, strings.NewReplacer("\u201c", `"`, "\u201d", `"`, "\u2019", "'").Replace(prose)},
		{"plain space for nbsp", prose, strings.ReplaceAll(prose, "\u00a0", " ")},
		{"lost paragraph break", prose + "\n\nAn important point.", prose + "An important point."},
		{"white space", prose, strings.Join(strings.Fields(prose), "\n\t ")},
		{"upper case", prose, strings.ToUpper(prose)},
		{"full case folding", prose + " Stra\u00dfe", prose + " STRASSE"},
		{"composed and decomposed", prose + " caf\u00e9", prose + " cafe\u0301"},
		{"ligature", prose + " \ufb01le", prose + " file"},
		{"fullwidth", prose + " \uff21\uff11", prose + " a1"},
		{"superscript digit", prose + " x\u00b2", prose + " x2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := HashText(tt.a), HashText(tt.b)
			if a == "" {
				t.Fatalf("HashText(%q) = \"\", want a hash", tt.a)
			}
			if a != b {
				t.Errorf("hashes differ:\n%q -> %s\n%q -> %s", tt.a, a, tt.b, b)
			}
		})
	}
}

func TestHashTextDiffers(t *testing.T) {
	tests := []struct {
		name, a, b string
	}{
		{"one word", prose, strings.Replace(prose, "butterflies", "butterfly", 1)},
		{"one digit", prose, strings.Replace(prose, "1.8", "1.9", 1)},
		{"accent kept", prose + " resume", prose + " r\u00e9sum\u00e9"},
		{"word order", prose + " one two", prose + " two one"},
		{"non-latin letters count", prose + " \u03b1\u03b2", prose + " \u03b2\u03b1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if a, b := HashText(tt.a), HashText(tt.b); a == b {
				t.Errorf("HashText(%q) == HashText(%q) = %q", tt.a, tt.b, a)
			}
		})
	}
}

func TestHashTextShort(t *testing.T) {
	letters := func(n int) string { return strings.Repeat("x", n) }
	tests := []struct {
		name     string
		in       string
		wantHash bool
	}{
		{"empty", "", false},
		{"teaser", "Read more\u2026", false},
		{"punctuation only", strings.Repeat("\u2014 ... !? ", 100), false},
		{"one rune short", letters(MinHashRunes - 1), false},
		{"punctuation does not count", letters(MinHashRunes-1) + strings.Repeat(".", 50), false},
		{"markup-looking text counts as text", letters(MinHashRunes-3) + "<p>", false},
		{"exactly enough", letters(MinHashRunes), true},
		{"digits count", letters(MinHashRunes-1) + "7", true},
		{"a rune is one, not its bytes", strings.Repeat("\u00e9", MinHashRunes/2), false},
		{"non-latin letters count", strings.Repeat("\u6f22", MinHashRunes), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := HashText(tt.in)
			if (got != "") != tt.wantHash {
				t.Errorf("HashText(%q) = %q, want hash: %v", tt.in, got, tt.wantHash)
			}
		})
	}
}

// TestHashTextDigest pins the digest to the SHA-256 of the normalised text,
// so that hashes stored by an earlier version stay comparable.
func TestHashTextDigest(t *testing.T) {
	in := strings.Repeat("Ab-1 ", 100)
	sum := sha256.Sum256([]byte(strings.Repeat("ab1", 100)))
	want := hex.EncodeToString(sum[:])
	if got := HashText(in); got != want {
		t.Errorf("HashText(%q) = %s, want %s", in, got, want)
	}
}

var refFold = cases.Fold()

// referenceKey is the normalisation spelled out with the slow, whole-string
// calls. The fast path must agree with it on every input.
func referenceKey(s string) string {
	folded := refFold.String(norm.NFKC.String(s))
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, folded)
}

// fastKey runs the package's normalisation on s.
func fastKey(s string) string {
	sc := getScratch()
	defer putScratch(sc)
	sc.text = append(sc.text[:0], s...)
	sc.normalise()
	return string(sc.key)
}

func TestNormaliseMatchesReference(t *testing.T) {
	tests := []string{
		"",
		"plain ASCII, Mixed Case 123",
		"e\u0301 a\u0308 A\u030a",     // combining marks after ASCII
		"\u0301leading mark",          // nothing to attach to
		"x\u0323\u0307 q\u0307\u0323", // marks to reorder
		"\u212b \u2126 \u00c5",        // singletons: angstrom, ohm
		"\ufb01 \ufb00 \u2460 \u3392", // compatibility: ligatures, circled, squared
		"\u00df \u1e9e \u0130 \u0131 \u03a3\u03c2 \u0390", // folds that grow
		"\ud55c\uad6d\uc5b4 \u1100\u1161\u11a8",           // Hangul, precomposed and jamo
		"\xff\xfe broken \xc3 utf8 \xe2\x80",
		"a\u0338<\u0338=",
		prose,
	}
	for _, s := range tests {
		if got, want := fastKey(s), referenceKey(s); got != want {
			t.Errorf("key(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestASCIIStartsSegment checks the assumption the ASCII fast path rests on:
// NFKC never lets an ASCII character combine with what comes before it.
func TestASCIIStartsSegment(t *testing.T) {
	for c := 0; c < 0x80; c++ {
		if !norm.NFKC.PropertiesString(string(rune(c))).BoundaryBefore() {
			t.Errorf("NFKC: no boundary before %q", rune(c))
		}
	}
}

// referenceUnicodeWords is appendUnicodeWords with a string for each
// step: its words, then each spelled as plainWord spells it. The pooled
// buffers and the hashing as it goes must not change a word's hash, since
// word hashes end up in stored search keys.
func referenceUnicodeWords(dst []uint64, seg string) []uint64 {
	folded, _, _ := transform.String(fold, norm.NFKC.String(seg))
	var words []string
	word := ""
	for _, r := range folded {
		switch {
		case unicode.IsLetter(r), unicode.IsDigit(r), ignorable(r), isDiacritic(r),
			word != "" && unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me):
			word += string(r)
		default:
			words, word = append(words, word), ""
		}
	}
	for _, w := range append(words, word) {
		if w = plainWord(w); w != "" {
			h := uint64(fnvOffset)
			for _, b := range []byte(w) {
				h ^= uint64(b)
				h *= fnvPrime
			}
			dst = append(dst, h)
		}
	}
	return dst
}

func TestUnicodeWordsMatchReference(t *testing.T) {
	for _, s := range []string{
		"café naïve", "e\u0301\u0301x", "\ufb01re \u2460\u3392", "\u00df\u1e9e \u0130\u0131",
		"\ud55c\uad6d\uc5b4", "\xff\xfe broken \xc3 utf8 \xe2\x80", "\ufffd word\ufffdword", "word—word", prose,
		"Grüße aus Straße", "Fahr\u00adplan\u00adaus\u00adkunft", "Gru\u0308\u00dfe", "\u0939\u093f\u0928\u094d\u0926\u0940",
		"año Ærø œuvre", "Tiếng Việt", "ёлка", "άλφα",
	} {
		if got, want := appendUnicodeWords(nil, s, new(joiner)), referenceUnicodeWords(nil, s); !slices.Equal(got, want) {
			t.Errorf("words(%q) = %x, want %x", s, got, want)
		}
	}
}
