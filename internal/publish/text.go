package publish

import (
	"strings"

	"golang.org/x/net/html"
)

// textOf returns the visible text of an HTML fragment with runs of white
// space collapsed: JSON Feed's summary is plain text.
func textOf(fragment string) string {
	z := html.NewTokenizer(strings.NewReader(fragment))
	var b strings.Builder
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.Join(strings.Fields(b.String()), " ")
		case html.TextToken:
			b.Write(z.Text())
			b.WriteByte(' ')
		}
	}
}
