package model

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Person is an author of an entry. At least one field is set.
type Person struct {
	Name  string `json:"name,omitempty"`
	URI   string `json:"uri,omitempty"` // an absolute http(s) URL
	Email string `json:"email,omitempty"`
}

// Enclosure is a file attached to an entry: a podcast episode, a video, a
// download.
type Enclosure struct {
	URL    string `json:"url"` // absolute http(s) URL
	Type   string `json:"type,omitempty"`
	Length int64  `json:"length,omitempty"` // bytes; 0 when unknown
	Title  string `json:"title,omitempty"`
}

// Origin is the feed an entry was first published in, as the entry says
// (RFC 4287 section 4.2.11): an entry a source took from elsewhere keeps
// naming its original feed.
type Origin struct {
	ID      string    `json:"id,omitempty"`
	Title   string    `json:"title,omitempty"`
	Link    string    `json:"link,omitempty"` // the original site's home page
	Self    string    `json:"self,omitempty"` // the original feed's URL
	Updated time.Time `json:"updated,omitzero"`
}

// headlineRunes is the most a headline made from an entry's text holds.
const headlineRunes = 80

// Headline makes a title from an entry's visible text, for an entry that
// has none: its first line, cut at a word boundary after at most 80
// characters, with an ellipsis when cut. It returns "" for empty text.
func Headline(text string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
	line = strings.Join(strings.Fields(line), " ")
	if utf8.RuneCountInString(line) <= headlineRunes {
		return line
	}
	end := len(line) // the byte offset of rune number headlineRunes
	n := 0
	for i := range line {
		if n == headlineRunes {
			end = i
			break
		}
		n++
	}
	cut := strings.LastIndexByte(line[:end+1], ' ')
	if cut <= 0 { // one long word
		cut = end
	}
	return strings.TrimRight(line[:cut], " ,;:.-–—") + "…"
}
