package site

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/villagefeeds/village/internal/model"
)

// Slugs gives every source a URL path segment: its name lower-cased down to
// a-z, 0-9 and '-', else its feed URL's host. Sources are taken in ID order
// and a repeated slug gets -2, -3, ..., so a source keeps its slug across
// renders as long as no older source takes it.
func Slugs(sources []model.Source) map[int64]string {
	sorted := slices.Clone(sources)
	slices.SortFunc(sorted, func(a, b model.Source) int { return cmpInt(a.ID, b.ID) })
	taken := map[string]bool{}
	out := make(map[int64]string, len(sources))
	for _, s := range sorted {
		base := Slugify(s.Name)
		if base == "" {
			if u, err := url.Parse(s.URL); err == nil {
				base = Slugify(u.Hostname())
			}
		}
		if base == "" {
			base = "source"
		}
		out[s.ID] = unique(base, taken)
	}
	return out
}

// unique returns base, or base-N for the smallest N >= 2 not taken, and
// marks it taken.
func unique(base string, taken map[string]bool) string {
	slug := base
	for n := 2; taken[slug]; n++ {
		slug = base + "-" + strconv.Itoa(n)
	}
	taken[slug] = true
	return slug
}

// Slugify lower-cases s, drops accents, and turns every run of other
// characters than a-z and 0-9 into one '-', trimmed at both ends.
func Slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(strings.ToLower(s)) {
		switch {
		case 'a' <= r && r <= 'z' || '0' <= r && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		case r == '\'' || r == '’' || unicode.Is(unicode.Mn, r):
			// an apostrophe ("Alice's") or a combining accent split off by
			// NFKD: drop it rather than break the word
		default:
			dash = true
		}
	}
	return b.String()
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
