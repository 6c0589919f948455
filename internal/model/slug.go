package model

import (
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

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

// SlugBase is the slug a source would like: its name slugified, else its
// feed URL's host, else "source".
func SlugBase(name, feedURL string) string {
	base := Slugify(name)
	if base == "" {
		if u, err := url.Parse(feedURL); err == nil {
			base = Slugify(u.Hostname())
		}
	}
	if base == "" {
		base = "source"
	}
	return base
}

// UniqueSlug returns base, or base-N for the smallest N >= 2 not taken, and
// marks it taken.
func UniqueSlug(base string, taken map[string]bool) string {
	slug := base
	for n := 2; taken[slug]; n++ {
		slug = base + "-" + strconv.Itoa(n)
	}
	taken[slug] = true
	return slug
}
