package site

import (
	"html/template"
	"strings"
	"sync"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Long posts are folded on the page: the first top-level blocks up to about
// foldAt characters of text are shown, the rest goes behind "read more".
// Posts with less than foldMin characters of text are shown whole, so that
// nobody clicks to reveal one more paragraph.
const (
	foldAt  = 1200
	foldMin = 2400

	foldKeep = 1024
)

// folded is a post's HTML split for the page.
type folded struct {
	Head, More template.HTML
}

// folder folds HTML and remembers the result by entry, so that an entry on
// the front page, its source's page and its tags' pages is parsed once,
// and an unchanged entry is not parsed again on the next render. It keeps
// at most foldKeep entries between two sweeps: a crawler reading the
// whole archive must not grow it.
type folder struct {
	mu    sync.Mutex
	cache map[foldKey]folded
	used  map[foldKey]folded
}

type foldKey struct {
	id   int64
	html string
}

func newFolder() *folder {
	return &folder{cache: map[foldKey]folded{}, used: map[foldKey]folded{}}
}

// fold splits content, which the parser has already sanitised.
func (f *folder) fold(id int64, content string) folded {
	if len(content) < foldMin {
		// Bytes bound the text from above: too short to fold.
		return folded{Head: template.HTML(content)}
	}
	k := foldKey{id, content}
	f.mu.Lock()
	r, ok := f.used[k]
	if !ok {
		r, ok = f.cache[k]
	}
	f.mu.Unlock()
	if !ok {
		r = fold(content)
	}
	f.mu.Lock()
	if len(f.used) < foldKeep {
		f.used[k] = r
	}
	f.mu.Unlock()
	return r
}

// sweep forgets the entries not folded since the last sweep.
func (f *folder) sweep() {
	f.mu.Lock()
	f.cache, f.used = f.used, map[foldKey]folded{}
	f.mu.Unlock()
}

// fold parses content as the inside of a <div> and splits it between
// top-level nodes. A node is kept whole, so both halves are balanced HTML.
func fold(content string) folded {
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(content), ctx)
	if err != nil {
		return folded{Head: template.HTML(content)}
	}
	total := 0
	lens := make([]int, len(nodes))
	for i, n := range nodes {
		lens[i] = textLen(n)
		total += lens[i]
	}
	if total < foldMin {
		return folded{Head: template.HTML(content)}
	}
	var head, more strings.Builder
	seen := 0
	for i, n := range nodes {
		w := &head
		if seen >= foldAt {
			w = &more
		}
		seen += lens[i]
		if err := html.Render(w, n); err != nil {
			return folded{Head: template.HTML(content)}
		}
	}
	return folded{Head: template.HTML(head.String()), More: template.HTML(more.String())}
}

// textLen counts the characters of text in n.
func textLen(n *html.Node) int {
	if n.Type == html.TextNode {
		return len(strings.TrimSpace(n.Data))
	}
	total := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		total += textLen(c)
	}
	return total
}
