// Package filter decides which posts of a source a planet shows, from the
// source's include and exclude rules in feeds.yaml: a personal blog can be
// listed for its Kubernetes posts only. It is pure: no I/O, no clock.
package filter

import (
	"regexp"
	"slices"
	"strings"
)

// Rule matches a post when any of its conditions holds: one of the post's
// categories is in Categories, Match matches its title or its text, or
// Title matches its title.
type Rule struct {
	Categories []string       // compared without regard to case or surrounding space
	Match      *regexp.Regexp // on the title and on the text; nil for none
	Title      *regexp.Regexp // on the title only; nil for none
}

// Filter is a source's rules. The zero Filter keeps every post.
type Filter struct {
	Include *Rule // when set, only the posts it matches are kept
	Exclude *Rule // when set, the posts it matches are dropped, also included ones
}

// Post is what a filter looks at.
type Post struct {
	Title      string
	Text       string // the visible text of the body, without markup
	Categories []string
}

// Keep reports whether the planet shows p.
func (f Filter) Keep(p Post) bool {
	if f.Include != nil && !f.Include.Matches(p) {
		return false
	}
	return f.Exclude == nil || !f.Exclude.Matches(p)
}

// IsZero reports whether f keeps every post.
func (f Filter) IsZero() bool { return f.Include == nil && f.Exclude == nil }

// Matches reports whether any condition of r holds for p.
func (r *Rule) Matches(p Post) bool {
	for _, c := range p.Categories {
		c = strings.TrimSpace(c)
		if slices.ContainsFunc(r.Categories, func(want string) bool { return strings.EqualFold(want, c) }) {
			return true
		}
	}
	if r.Title != nil && r.Title.MatchString(p.Title) {
		return true
	}
	return r.Match != nil && (r.Match.MatchString(p.Title) || r.Match.MatchString(p.Text))
}

// IsEmpty reports whether r has no condition at all, which would match
// nothing: a mistake worth reporting rather than a rule.
func (r *Rule) IsEmpty() bool { return len(r.Categories) == 0 && r.Match == nil && r.Title == nil }

// String writes f in the shape of feeds.yaml, for logs and for telling
// whether a reload changed it.
func (f Filter) String() string {
	var parts []string
	if f.Include != nil {
		parts = append(parts, "include: "+f.Include.String())
	}
	if f.Exclude != nil {
		parts = append(parts, "exclude: "+f.Exclude.String())
	}
	return strings.Join(parts, ", ")
}

// String writes r as a flow mapping.
func (r *Rule) String() string {
	var parts []string
	if len(r.Categories) > 0 {
		parts = append(parts, "categories: ["+strings.Join(r.Categories, ", ")+"]")
	}
	if r.Match != nil {
		parts = append(parts, "match: "+quote(r.Match.String()))
	}
	if r.Title != nil {
		parts = append(parts, "title: "+quote(r.Title.String()))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }
