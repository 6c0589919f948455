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
	f := &feeds.JSONFeed{
		Version:     JSONFeedVersion,
		Title:       clean(m.Title),
		HomePageUrl: clean(m.Link),
		FeedUrl:     clean(m.SelfURL),
		Description: clean(m.Description),
		NextUrl:     clean(m.linkHref("next")),
		Authors:     []*feeds.JSONAuthor{{Name: clean(orDefault(m.Author, m.Title))}},
		Items:       make([]*feeds.JSONItem, len(entries)),
	}
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

func newJSONItem(e *model.Entry, id string, src model.Source) *feeds.JSONItem {
	pub := published(e).UTC()
	mod := entryUpdated(e).UTC()
	it := &feeds.JSONItem{
		Id:            id,
		Url:           clean(e.Link),
		Title:         clean(e.Title),
		ContentHTML:   clean(body(e)),
		PublishedDate: &pub,
		ModifiedDate:  &mod,
		Authors:       []*feeds.JSONAuthor{{Name: clean(orDefault(e.Author, SourceName(src))), Url: clean(src.Homepage)}},
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
	return it
}
