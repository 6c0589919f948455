package site

import (
	"html/template"
	"time"
)

// The template data. Every page template receives a Page. README's
// theme_dir section documents these fields: changing one breaks themes.

// Page is the data of one HTML page.
type Page struct {
	Site    Info
	Kind    string // "home", "source", "tag" or "sources" (the list of every subscription)
	Title   string // the page's own title: the planet's, a source's or "Posts tagged x"
	Root    string // relative path to the site's root: "./" or "../../"; prefix every link with it
	Number  int    // this page's number, from 1
	Pages   int    // how many pages the listing has
	Newer   string // link to the newer page, "" on the first
	Older   string // link to the older page, "" on the last
	Entries []Entry
	Source  *Source  // the source of a "source" page
	Tag     *Tag     // the tag of a "tag" page
	Sources []Source // the subscriptions to list beside the entries (all on the home page, a tag's on its page)
	// SourceCount is how many sources the planet has, listed or not.
	SourceCount int
	// Subscriptions links to where every subscription is listed with its
	// health: this page's list ("#subscriptions"), the front page's, or,
	// for a planet too large to list them beside its posts, the
	// subscriptions page.
	Subscriptions string
	Tags          []Tag  // every tag in use
	Feeds         []Feed // this page's feeds (merged, the source's or the tag's)
	Style         string // link to the stylesheet
	// Updated is when the planet last stored a new post, as "2 Jan 2006
	// 15:04 UTC" ("" before the first); UpdatedTime is the same in RFC 3339.
	Updated     string
	UpdatedTime string
}

// Info describes the planet.
type Info struct {
	Title       string
	Link        string // the public URL, as in feeds.yaml
	Author      string
	Description string
	Generator   string // "village"
	Version     string
	OPML        string // link to opml.xml
	Home        string // link to the front page
}

// Entry is one post.
type Entry struct {
	ID         string // the stable id the feeds carry
	Title      string
	Link       string // the original post
	Author     string // the post's author, else the source's name
	Source     *Source
	Published  time.Time
	Date       string        // Published as "2 January 2006", UTC
	DateTime   string        // Published in RFC 3339, for <time datetime>
	Content    template.HTML // sanitised; for a long post only its first part
	More       template.HTML // the rest of a long post, folded behind "read more"; "" when short
	Alternates []Alternate   // where else the post was published
	Categories []string
	Lang       string      // the post's language tag, "" when unknown
	Enclosures []Enclosure // attached files: podcast episodes, downloads
}

// Enclosure is a file attached to a post.
type Enclosure struct {
	URL  string
	Type string // media type, "" when unknown
	Name string // its title, else its file name
	Size string // "12.3 MB", "" when unknown
}

// Alternate is a copy of a post on another source.
type Alternate struct {
	Name string // the other source's name
	Link string
}

// Source is a subscription with its health.
type Source struct {
	ID          int64
	Name        string
	Slug        string
	Page        string // link to its page, relative to the root: "sources/slug/"
	Feed        string // link to its Atom feed, relative to the root
	URL         string // the feed URL it is polled at
	Homepage    string // "" when unknown
	Tags        []string
	Face        string    // the source's picture, ready to use on this page; "" when none
	State       string    // "new", "ok", "failing", "moved" or "gone"
	Problem     string    // what is wrong, in plain words; "" when ok
	LastError   string    // the last error in plain words ("connection refused"); "" when ok
	LastSuccess time.Time // zero when never
	LastFetch   string    // LastSuccess as "2 Jan 2006 15:04 UTC", or "never"
	// FailingSince is when the current run of failed polls began; zero
	// when the last poll did not fail.
	FailingSince time.Time
	// Fetched says how fetching goes, in a few words: "not fetched yet",
	// "last successful fetch: 2 Jan 2006 15:04 UTC", or "last successful
	// fetch: never (failing since 2 Jan 2006 15:04 UTC)".
	Fetched string

	faceFile string // the image file of a local face, served at Face
}

// Tag is a tag of feeds.yaml with its page.
type Tag struct {
	Name    string
	Slug    string
	Page    string // relative to the root: "tags/slug/"
	Sources int    // how many sources carry it
}

// Feed is a link to a feed.
type Feed struct {
	Title string // "Atom", "RSS", "JSON Feed", "OPML"
	Type  string // its media type
	Href  string // relative to the root
}
