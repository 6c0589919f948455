package dedup

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TitlesConflict reports whether two titles carry numbers that say they are
// different posts: release 1.11 and 1.12, part 1 and part 2, the notes of
// March 3 and of March 10, a recap of 2017 and of 2018. Numbers are
// compared by kind (versions, dates, plain numbers); a kind that only one
// title has does not conflict, since an editor's new headline may drop the
// version, and neither do numbers of a kind that one title has and the
// other has some of ("notes of 19 March 2024", "notes of the 19 March
// meeting"). Counts are not among them: see CountsConflict.
func TitlesConflict(a, b string) bool {
	return conflict(titleNumbers(a), titleNumbers(b), plainNumber, versionNumber, dateNumber)
}

// CountsConflict reports whether two titles count things differently
// ("Welcome, 3 new maintainers", "Please welcome our 5 newest
// maintainers"; "Three new faces"). That is a weaker sign than other
// numbers: posts written from one template count differently, but so may
// an editor's new headline for a copy ("Five Helm chart mistakes" for
// "What I learned reviewing 100 Helm charts"), so Compare lets the texts
// overrule it.
func CountsConflict(a, b string) bool {
	return conflict(titleNumbers(a), titleNumbers(b), countNumber)
}

func conflict(na, nb [numberKinds][]string, kinds ...int) bool {
	for _, k := range kinds {
		if len(na[k]) > 0 && len(nb[k]) > 0 && !isSubset(na[k], nb[k]) && !isSubset(nb[k], na[k]) {
			return true
		}
	}
	return false
}

// titleWithin reports whether most words of title short (two in three)
// are in title long: the same headline, or one an editor put words
// around ("Tooling Tuesday: three kubectl flags").
func titleWithin(short, long string) bool {
	ws, wl := titleWords(short), titleWords(long)
	in := 0
	for w := range ws {
		if wl[w] {
			in++
		}
	}
	return len(ws) > 0 && 3*in >= 2*len(ws)
}

// titleWords is the set of a title's words, numbers left out. A run of
// Chinese, Japanese or Thai characters gives its pairs of characters, as
// a text's words do (see appendUnicodeWords).
func titleWords(title string) map[string]bool {
	out := map[string]bool{}
	for _, f := range strings.FieldsFunc(strings.ToLower(title), inTitleWord) {
		for w := range splitUnspaced(plainWord(f)) {
			if _, _, ok := number(w); !ok {
				out[w] = true
			}
		}
	}
	return out
}

// inTitleWord reports whether r ends a word of a title: it is no letter,
// digit, accent or ignorable character (see spelling.go).
func inTitleWord(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !ignorable(r) && !unicode.Is(unicode.Mn, r)
}

// appendScripts appends the parts of f, a word as spaces delimit it, that
// are in a script written without spaces and that are not, in order.
func appendScripts(dst []string, f string) []string {
	start, unspaced := 0, false
	for i, r := range f {
		if u := isUnspaced(r); u != unspaced {
			if i > start {
				dst = append(dst, f[start:i])
			}
			start, unspaced = i, u
		}
	}
	if start < len(f) {
		dst = append(dst, f[start:])
	}
	return dst
}

// splitUnspaced yields the words of f, a run of letters and digits: its
// parts in other scripts whole, and the pairs of characters of its parts
// in scripts written without spaces (a lone character as itself).
func splitUnspaced(f string) func(yield func(string) bool) {
	return func(yield func(string) bool) {
		for _, part := range appendScripts(nil, f) {
			r, first := utf8.DecodeRuneInString(part)
			if !isUnspaced(r) || first == len(part) {
				if !yield(part) {
					return
				}
				continue
			}
			for i := 0; i+first < len(part); {
				_, n := utf8.DecodeRuneInString(part[i+first:])
				if !yield(part[i : i+first+n]) {
					return
				}
				i, first = i+first, n
			}
		}
	}
}

// isSubset reports whether every value of the sorted set a is in b.
func isSubset(a, b []string) bool {
	for _, v := range a {
		if _, found := slices.BinarySearch(b, v); !found {
			return false
		}
	}
	return true
}

// Kinds of title numbers.
const (
	plainNumber   = iota // a part or issue number, a year, a day
	versionNumber        // 1.12
	dateNumber           // 2024-05-01
	countNumber          // a plain number before a word: "5 new maintainers"
	numberKinds
)

// titleNumbers returns the distinct numbers of a title by kind, sorted.
func titleNumbers(title string) [numberKinds][]string {
	var out [numberKinds][]string
	var words []string
	for _, f := range strings.FieldsFunc(strings.ToLower(plainDigits(title)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.' && r != '-' && r != '/'
	}) {
		// Chinese and Japanese write a number without spaces around
		// it: the 2 of "第2回" (part 2) is a word of its own.
		words = appendScripts(words, f)
	}
	for i, w := range words {
		w = strings.Trim(w, ".-/")
		series := i > 0 && isSeriesWord(words[i-1])
		kind, n, ok := number(w)
		if !ok {
			// Spelled out, "one" is more often a pronoun and "i", "v",
			// "x" are words: those are numbers only after a series word.
			n, ok = spelledNumber(w)
			ok = ok && (series || n != "1" && w != romanNumerals[n])
			kind = plainNumber
		}
		if !ok {
			continue
		}
		if kind == plainNumber && !series && i+1 < len(words) && isCounted(n, words[i+1]) {
			kind = countNumber
		}
		out[kind] = append(out[kind], n)
	}
	for k := range out {
		slices.Sort(out[k])
		out[k] = slices.Compact(out[k])
	}
	return out
}

// number reads w as a plain number ("42", "#42" arrives as "42"), a version
// ("1.11", "v1.12.0", the same as "1.12") or a date ("2024-05-01",
// "2024/05/01"), normalised.
func number(w string) (kind int, n string, ok bool) {
	w = strings.TrimPrefix(w, "v")
	if w == "" || !isDigit(w[0]) || !isDigit(w[len(w)-1]) {
		return 0, "", false
	}
	for _, sep := range [...]struct {
		sep  string
		kind int
	}{{"-", dateNumber}, {"/", dateNumber}, {".", versionNumber}} {
		if !strings.Contains(w, sep.sep) {
			continue
		}
		parts := strings.Split(w, sep.sep)
		for i, p := range parts {
			if !isNumber(p) {
				return 0, "", false
			}
			parts[i] = trimZeros(p)
		}
		if sep.kind == versionNumber {
			for len(parts) > 2 && parts[len(parts)-1] == "0" {
				parts = parts[:len(parts)-1]
			}
		}
		return sep.kind, strings.Join(parts, sep.sep), true
	}
	if !isNumber(w) {
		return 0, "", false
	}
	return plainNumber, trimZeros(w), true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func trimZeros(s string) string {
	if t := strings.TrimLeft(s, "0"); t != "" {
		return t
	}
	return "0"
}

// isCounted reports whether the plain number n, followed by the word next,
// counts things ("5 new", "100 Helm charts") rather than naming a year.
func isCounted(n, next string) bool {
	if len(n) == 4 && (strings.HasPrefix(n, "19") || strings.HasPrefix(n, "20")) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(next)
	// Chinese and Japanese write a date's parts, an issue's, a part's or
	// an episode's number before its unit: 2024年5月1日, 第12号, 第2回.
	return unicode.IsLetter(r) && !strings.ContainsRune(orderUnits, r)
}

// orderUnits are the units after a number that say which one, not how
// many, in Chinese and Japanese titles.
const orderUnits = "年月日号號回話章部巻卷期"

// isSeriesWord reports whether w introduces the number of a post in a series.
func isSeriesWord(w string) bool {
	switch w {
	case "part", "chapter", "episode", "issue", "volume", "vol", "week", "day", "no", "number", "session", "lesson",
		"第", "その", "パート", "其":
		return true
	}
	return false
}

// spelledNumber reads "one" to "twelve" and roman numerals up to xii, as
// series titles write them ("Part Two", "Part II").
func spelledNumber(w string) (string, bool) {
	for i, name := range spelledNumbers {
		if n := strconv.Itoa(i + 1); w == name || w == romanNumerals[n] {
			return n, true
		}
	}
	return "", false
}

var (
	spelledNumbers = [...]string{"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"}
	romanNumerals  = map[string]string{
		"1": "i", "2": "ii", "3": "iii", "4": "iv", "5": "v", "6": "vi",
		"7": "vii", "8": "viii", "9": "ix", "10": "x", "11": "xi", "12": "xii",
	}
)
