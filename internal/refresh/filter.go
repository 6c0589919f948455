package refresh

import (
	"github.com/villagefeeds/village/internal/filter"
	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/parse"
	"github.com/villagefeeds/village/internal/store"
)

// Keep returns the items of a parsed feed that f keeps, in order. It runs
// between parse and store, so the items it drops are never stored. A known
// item (parse.Item.Known) is stored, so f kept it: its digest covers f.
func Keep(f filter.Filter, items []parse.Item) []parse.Item {
	if f.IsZero() {
		return items
	}
	out := items[:0:0]
	for _, it := range items {
		if it.Known || f.Keep(filter.Post{Title: it.Title, Text: it.Text, Categories: it.Categories}) {
			out = append(out, it)
		}
	}
	return out
}

// KeepStored applies f to an entry already stored, as when a rule is added
// or changed: the text is read from its sanitised HTML.
func KeepStored(f filter.Filter) store.Keep {
	return func(e model.Entry) bool {
		body := e.Content
		if body == "" {
			body = e.Summary
		}
		return f.Keep(filter.Post{Title: e.Title, Text: parse.Text(body), Categories: e.Categories})
	}
}
