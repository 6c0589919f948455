// Package model holds the plain values that travel between the pipeline
// stages: a source from feeds.yaml with its polling state, and a stored entry
// with the copies of it that other sources published.
package model

import (
	"strconv"
	"time"
)

// Source is one feed listed in feeds.yaml together with the state village
// keeps about it between polls.
type Source struct {
	ID       int64
	Name     string
	URL      string // the feed URL as written in feeds.yaml
	Homepage string
	Tags     []string
	Interval time.Duration // 0 means the planet's default interval

	// What the feed says about itself, from the last successful parse.
	FeedID    string // atom:id or the channel link
	FeedTitle string

	// Polling state.
	ETag         string
	LastModified string
	LastStatus   int    // HTTP status of the last attempt, 0 when none answered
	LastError    string // empty after a success; secrets redacted
	LastProblem  string // LastError in plain words for the public page: no addresses, no Go error chain
	ErrorCount   int    // consecutive failures
	LastCheck    time.Time
	LastSuccess  time.Time
	NextCheck    time.Time
	Active       bool // false once removed from feeds.yaml

	// MovedTo is where the feed says it lives now (every redirect hop was
	// 301/308). village never rewrites feeds.yaml: it reports the change.
	MovedTo string
	// Gone is set when the feed answered 410 Gone; it is no longer polled.
	Gone bool
}

// Source states, as `village feeds` and /sources.json show them.
const (
	StateOK      = "ok"
	StateFailing = "failing"
	StateMoved   = "moved"
	StateGone    = "gone"
)

// State sums up a source's health in one word.
func (s Source) State() string {
	switch {
	case s.Gone:
		return StateGone
	case s.MovedTo != "":
		return StateMoved
	case s.ErrorCount > 0:
		return StateFailing
	}
	return StateOK
}

// PublicError is the last error as the public page and /sources.json show
// it: LastProblem, or for a row stored before village kept one, the HTTP
// status alone. "" when the last poll succeeded.
func (s Source) PublicError() string {
	switch {
	case s.LastProblem != "":
		return s.LastProblem
	case s.LastError == "":
		return ""
	case s.LastStatus >= 400:
		return "HTTP " + strconv.Itoa(s.LastStatus)
	}
	return "the poll failed"
}

// Entry is one post as village stores and publishes it. A post that several
// sources carry is stored once; the other copies are its Alternates.
type Entry struct {
	ID           int64
	SourceID     int64
	GUID         string // the source's own id (atom:id, RSS guid, JSON Feed id); may be empty
	Link         string // absolute link to the original post
	CanonicalURL string // dedup.CanonicalURL(Link); empty when Link is empty
	ContentHash  string // dedup.HashText of the visible text; empty when too short to identify a post
	PublicID     string // the id it is published under, fixed when first stored; empty for old rows
	Title        string
	Author       string
	Summary      string // sanitised HTML, empty when the source had none
	Content      string // sanitised HTML with absolute URLs
	Categories   []string
	Published    time.Time // zero when the source gave no date: the store uses first-seen
	Updated      time.Time // zero when the source gave no date
	FirstSeen    time.Time // set by the store
	Alternates   []Alternate
}

// Alternate is another source's copy of an Entry.
type Alternate struct {
	SourceID int64
	GUID     string
	Link     string
}
