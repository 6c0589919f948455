package store

import "github.com/villagefeeds/village/internal/parse"

// An entry's visible text is what de-duplication reads it by. It is not
// stored: it is read again from the entry's content by the parser's
// extractor (parse.ContentText), which gives the text the parser gave
// when the entry was stored. Storing it cost 4 KB an entry, a fifth of
// what a cold ingest wrote, to spare the candidates whose readings are not
// kept (see readings.go) a pass over their content. entry_texts keeps each
// entry's search keys; a text an older village stored there is used until
// the entry changes.

// textOf is an entry's text: the one stored, as an older village kept
// it, else its content's.
func textOf(stored, content string) string {
	if stored != "" || content == "" {
		return stored
	}
	return parse.ContentText(content)
}
