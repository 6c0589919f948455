package dedup

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// TitlesConflict reports whether two titles carry numbers that say they are
// different posts: release 1.11 and 1.12, part 1 and part 2, the notes of
// March 3 and of March 10, a recap of 2017 and of 2018. Numbers are
// compared by kind (versions, dates, plain numbers); a kind that only one
// title has does not conflict, since an editor's new headline may drop the
// version or add a count ("5 things to know about Kubernetes 1.9"), and
// neither do numbers of a kind that one title has and the other has some
// of ("notes of 19 March 2024", "notes of the 19 March meeting").
func TitlesConflict(a, b string) bool {
	na, nb := titleNumbers(a), titleNumbers(b)
	for k := range na {
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

// titleWords is the set of a title's words, numbers left out.
func titleWords(title string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(title), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if _, _, ok := number(w); !ok {
			out[w] = true
		}
	}
	return out
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
	plainNumber = iota
	versionNumber
	dateNumber
	numberKinds
)

// titleNumbers returns the distinct numbers of a title by kind, sorted.
func titleNumbers(title string) [numberKinds][]string {
	var out [numberKinds][]string
	words := strings.FieldsFunc(strings.ToLower(title), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.' && r != '-' && r != '/'
	})
	for i, w := range words {
		w = strings.Trim(w, ".-/")
		kind, n, ok := number(w)
		if !ok && i > 0 && isSeriesWord(words[i-1]) {
			kind = plainNumber
			n, ok = spelledNumber(w)
		}
		if ok {
			out[kind] = append(out[kind], n)
		}
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

// isSeriesWord reports whether w introduces the number of a post in a series.
func isSeriesWord(w string) bool {
	switch w {
	case "part", "chapter", "episode", "issue", "volume", "vol", "week", "day", "no", "number", "session", "lesson":
		return true
	}
	return false
}

// spelledNumber reads "one" to "twelve" and roman numerals up to xii, as
// series titles write them ("Part Two", "Part II").
func spelledNumber(w string) (string, bool) {
	for i, names := range [...][2]string{
		{"one", "i"}, {"two", "ii"}, {"three", "iii"}, {"four", "iv"}, {"five", "v"}, {"six", "vi"},
		{"seven", "vii"}, {"eight", "viii"}, {"nine", "ix"}, {"ten", "x"}, {"eleven", "xi"}, {"twelve", "xii"},
	} {
		if w == names[0] || w == names[1] {
			return strconv.Itoa(i + 1), true
		}
	}
	return "", false
}
