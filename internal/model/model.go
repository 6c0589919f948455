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
	// Canonical marks the source as the original publisher: its copy of a
	// cross-post is the entry, whichever copy was published first.
	Canonical bool
	// Face is the source's picture (a hackergotchi), shown beside its posts:
	// an absolute http(s) URL, or the absolute path of an image file that the
	// site serves itself. Empty when none.
	Face string

	// What the feed says about itself, from the last successful parse.
	FeedID    string // atom:id or the channel link
	FeedTitle string

	// Polling state.
	ETag         string
	LastModified string
	LastStatus   int       // HTTP status of the last attempt, 0 when none answered
	LastError    string    // empty after a success; secrets redacted
	LastProblem  string    // LastError in plain words for the public page: no addresses, no Go error chain
	ErrorCount   int       // consecutive failures
	FailingSince time.Time // when the current run of failures began; zero while ErrorCount is 0
	LastCheck    time.Time
	LastSuccess  time.Time
	NextCheck    time.Time
	Active       bool // false once removed from feeds.yaml
	// BodyDigest identifies the feed body the last successful refresh
	// stored, and how it was read; a refresh that gets the same bytes
	// stores nothing. Empty when unknown.
	BodyDigest []byte

	// MovedTo is where the feed says it lives now (every redirect hop was
	// 301/308). village never rewrites feeds.yaml: it reports the change.
	MovedTo string
	// Gone is set when the feed answered 410 Gone; it is no longer polled.
	Gone bool

	// Slug is the source's path segment on the site (/sources/{slug}/),
	// given by the store when the source is first listed and kept: it never
	// moves to another source while this one's entries are kept.
	Slug string
	// Notes are what the last successful parse had to repair or guess:
	// a wrong charset, items skipped, without ids or without titles.
	Notes []string
}

// Source states, as `village feeds`, /sources.json, /healthz, /metrics and
// the web page show them.
const (
	StateNew     = "new" // never polled yet
	StateOK      = "ok"
	StateFailing = "failing"
	StateMoved   = "moved"
	StateGone    = "gone"
)

// States lists every state, in the order reports show them.
var States = []string{StateNew, StateOK, StateFailing, StateMoved, StateGone}

// State sums up a source's health in one word. A source never polled is
// new, not ok: nothing has succeeded yet.
func (s Source) State() string {
	switch {
	case s.Gone:
		return StateGone
	case s.MovedTo != "":
		return StateMoved
	case s.ErrorCount > 0:
		return StateFailing
	case s.LastCheck.IsZero():
		return StateNew
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
	// OriginURL is the canonical URL of the post the entry says it is a
	// copy of ("Originally published at …"; see dedup.OriginURL), or "".
	OriginURL   string
	ContentHash string // dedup.HashText of the visible text; empty when too short to identify a post
	PublicID    string // the id it is published under, fixed when first stored; empty for old rows
	Title       string
	Author      string
	Summary     string // sanitised HTML, empty when the source had none
	Content     string // sanitised HTML with absolute URLs
	Text        string // visible text of Content, one line per block: what de-duplication compares; not published
	Categories  []string
	Published   time.Time // zero when the source gave no date: the store uses first-seen
	Updated     time.Time // zero when the source gave no date
	FirstSeen   time.Time // set by the store
	// Listed is the date the entry is listed under, newest first: its
	// published date, unless flood control listed it lower (set by the
	// store).
	Listed     time.Time
	Alternates []Alternate

	// ItemKey is how the source tells this item from its others: its GUID;
	// its GUID and link when the feed gives one GUID to posts with
	// different links; else its link; else a digest of its title, date and
	// text. Empty for rows stored before it was kept: GUID, else link.
	ItemKey    string
	Authors    []Person    // as the source gave them, in order; Author joins their names
	Enclosures []Enclosure // attached files: podcast episodes, downloads
	Lang       string      // xml:lang, RSS or JSON Feed language; "" when unknown
	// Origin is the feed the entry itself says it was first published in
	// (Atom's atom:source), nil when it says none: the source is then the
	// origin.
	Origin *Origin

	// ItemDigest identifies the item the entry was read from, as its source
	// wrote it, and how it was read (see refresh's digest.go); nil when
	// unknown.
	ItemDigest []byte
	// Known is set when the source's item is stored as read from an item
	// of this digest: only its keys and ItemDigest are set.
	Known bool
}

// Alternate is another source's copy of an Entry.
type Alternate struct {
	SourceID int64
	GUID     string
	Link     string
}
