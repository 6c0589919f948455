package site

import (
	"slices"

	"github.com/villagefeeds/village/internal/model"
)

// Slugs gives every source a URL path segment: the slug the store gave it
// (fixed when it was first listed, see store.SyncSources), else, for a
// source the store has not named, its name lower-cased down to a-z, 0-9
// and '-' or its feed URL's host, taken in ID order with -2, -3, ... for a
// repeat and never one a named source holds.
func Slugs(sources []model.Source) map[int64]string {
	sorted := slices.Clone(sources)
	slices.SortFunc(sorted, func(a, b model.Source) int { return cmpInt(a.ID, b.ID) })
	taken := map[string]bool{}
	out := make(map[int64]string, len(sources))
	for _, s := range sorted {
		if s.Slug != "" && !taken[s.Slug] {
			taken[s.Slug] = true
			out[s.ID] = s.Slug
		}
	}
	for _, s := range sorted {
		if _, ok := out[s.ID]; !ok {
			out[s.ID] = model.UniqueSlug(model.SlugBase(s.Name, s.URL), taken)
		}
	}
	return out
}

// Slugify lower-cases s, drops accents, and turns every run of other
// characters than a-z and 0-9 into one '-', trimmed at both ends.
func Slugify(s string) string { return model.Slugify(s) }

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
