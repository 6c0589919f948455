package publish

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/gorilla/feeds"

	"github.com/villagefeeds/village/internal/model"
)

// JSONFeedVersion is the version URL JSON feeds declare.
const JSONFeedVersion = "https://jsonfeed.org/version/1.1"

// JSON renders entries as a JSON Feed 1.1 document with gorilla/feeds'
// types and the same ids as Atom. A Meta link with rel "hub" becomes a
// WebSub hub and one with rel "next" the feed's next_url.
func JSON(m Meta, entries []model.Entry, sources map[int64]model.Source) ([]byte, error) {
	ids, err := entryIDs(entries, sources)
	if err != nil {
		return nil, fmt.Errorf("publish json: %w", err)
	}
	f := &jsonFeed{JSONFeed: &feeds.JSONFeed{
		Version:     JSONFeedVersion,
		Title:       clean(m.Title),
		HomePageUrl: clean(m.Link),
		FeedUrl:     clean(m.SelfURL),
		Description: clean(m.Description),
		NextUrl:     clean(m.linkHref("next")),
		Authors:     []*feeds.JSONAuthor{{Name: clean(orDefault(m.Author, m.Title))}},
	}, Items: make([]*jsonItem, len(entries))}
	if hub := m.linkHref("hub"); hub != "" {
		f.Hubs = []*feeds.JSONHub{{Type: "WebSub", Url: clean(hub)}}
	}
	for i := range entries {
		e := &entries[i]
		f.Items[i] = newJSONItem(e, ids[i], sources[e.SourceID])
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // content_html is HTML; \u003c would only bloat it
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, fmt.Errorf("publish json: %w", err)
	}
	return buf.Bytes(), nil
}

// jsonFeed and jsonItem are gorilla/feeds' types with what they lack from
// JSON Feed 1.1: an item's language, and attachments whose size is
// size_in_bytes (gorilla writes "size").
type jsonFeed struct {
	*feeds.JSONFeed
	Items []*jsonItem `json:"items"`
}

type jsonItem struct {
	*feeds.JSONItem
	Language    string           `json:"language,omitempty"`
	Attachments []jsonAttachment `json:"attachments,omitempty"`
}

type jsonAttachment struct {
	URL      string `json:"url"`
	MIMEType string `json:"mime_type"`
	Title    string `json:"title,omitempty"`
	Size     int64  `json:"size_in_bytes,omitempty"`
}

func newJSONItem(e *model.Entry, id string, src model.Source) *jsonItem {
	pub := published(e).UTC()
	mod := entryUpdated(e).UTC()
	it := &feeds.JSONItem{
		Id:            id,
		Url:           clean(e.Link),
		Title:         clean(Title(e)),
		ContentHTML:   clean(body(e)),
		PublishedDate: &pub,
		ModifiedDate:  &mod,
		Authors:       jsonAuthors(e, src),
	}
	if e.Content != "" && e.Summary != "" {
		it.Summary = clean(textOf(e.Summary))
	}
	if it.ContentHTML == "" {
		// JSON Feed requires content_html or content_text.
		it.ContentText = orDefault(it.Title, it.Url)
	}
	for _, c := range categories(e.Categories) {
		it.Tags = append(it.Tags, c.Term)
	}
	out := &jsonItem{JSONItem: it, Language: clean(e.Lang)}
	for _, enc := range e.Enclosures {
		out.Attachments = append(out.Attachments, jsonAttachment{URL: clean(enc.URL),
			MIMEType: clean(orDefault(enc.Type, "application/octet-stream")), Title: clean(enc.Title), Size: max(enc.Length, 0)})
	}
	return out
}

// jsonAuthors are the entry's authors, an e-mail address standing in for
// a missing web address as a mailto: URL (JSON Feed has no e-mail field),
// else one author named by the entry or its source, linked to the source.
func jsonAuthors(e *model.Entry, src model.Source) []*feeds.JSONAuthor {
	var out []*feeds.JSONAuthor
	for _, p := range e.Authors {
		a := &feeds.JSONAuthor{Name: clean(p.Name), Url: clean(p.URI)}
		if a.Url == "" && p.Email != "" {
			a.Url = "mailto:" + clean(p.Email)
		}
		if a.Name != "" || a.Url != "" {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		out = []*feeds.JSONAuthor{{Name: clean(orDefault(e.Author, SourceName(src))), Url: clean(src.Homepage)}}
	}
	return out
}
