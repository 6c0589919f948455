package cli

import (
	"fmt"
	"github.com/villagefeeds/village/internal/config"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// checkTags lower-cases the tags given with --tag and refuses one that
// feeds.yaml would refuse, naming it.
func checkTags(in []string) ([]string, error) {
	var out []string
	for _, t := range in {
		tag := strings.ToLower(strings.TrimSpace(t))
		if !config.ValidTag(tag) {
			return nil, fmt.Errorf("--tag %q: a tag must match [a-z0-9][a-z0-9._-]*", t)
		}
		if !slices.Contains(out, tag) {
			out = append(out, tag)
		}
	}
	return out, nil
}

// tagify turns a feed reader's folder or category name into a tag:
// "Open Source" becomes "open-source", "Café" becomes "cafe". It returns ""
// when nothing usable is left.
func tagify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r): // accents, split off by NFD
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '_':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	return strings.TrimLeft(b.String(), "._-")
}
