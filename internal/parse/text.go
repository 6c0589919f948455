package parse

import (
	"strings"
	"unicode"
	"unicode/utf8"

	nethtml "golang.org/x/net/html"
)

// cleanString drops what XML 1.0 cannot carry: C0 controls other than tab,
// LF and CR, U+FFFE, U+FFFF and invalid UTF-8. Everything we return ends up
// in a published Atom document, where one such byte makes it unreadable.
// The common clean string is returned without allocating.
func cleanString(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if isXMLChar(r) && !(r == utf8.RuneError && size == 1) {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func isClean(s string) bool {
	ascii := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
		if c >= utf8.RuneSelf {
			ascii = false
		}
	}
	if ascii {
		return true
	}
	return utf8.ValidString(s) && !strings.Contains(s, "\uFFFE") && !strings.Contains(s, "\uFFFF")
}

func isXMLChar(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r < 0x20:
		return false
	case r == 0xFFFE || r == 0xFFFF:
		return false
	}
	return true
}

// plainText turns a name, a category, or a title whose type the feed does
// not say (RSS) into plain text, deciding as feedparser does whether it is
// HTML (see looksLikeHTML). Text that feedparser would keep but that holds
// active markup (a <script> element, an onerror attribute) is stripped
// all the same: RSS readers disagree on whether a title is HTML, and a
// planet must not hand such a title on to those that think it is.
func plainText(s string) string {
	if looksLikeHTML(s) || hasActiveMarkup(s) {
		return markupText(s)
	}
	return collapseSpace(s)
}

// markupText is the visible text of HTML: control characters removed,
// tags stripped (with the text of script and style), character references
// decoded, white space collapsed.
func markupText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return collapseSpace(s)
	}
	var t textBuilder
	z := nethtml.NewTokenizer(strings.NewReader(s))
	skip := 0 // inside script or style, whose text is not visible
	for {
		switch z.Next() {
		case nethtml.ErrorToken:
			return t.String()
		case nethtml.TextToken:
			if skip == 0 {
				t.Write(z.Text())
			}
		case nethtml.StartTagToken:
			if name, _ := z.TagName(); isInvisible(name) {
				skip++
			}
		case nethtml.EndTagToken:
			if name, _ := z.TagName(); isInvisible(name) && skip > 0 {
				skip--
			}
		}
	}
}

func isInvisible(name []byte) bool {
	switch string(name) {
	case "script", "style", "template", "noscript":
		return true
	}
	return false
}

// collapseSpace trims s, turns every run of white space into one space and
// drops characters XML cannot carry.
func collapseSpace(s string) string {
	if isCollapsed(s) {
		return s
	}
	var t textBuilder
	t.WriteString(s)
	return t.String()
}

func isCollapsed(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c >= utf8.RuneSelf:
			return false
		case c == ' ' && s[i+1] == ' ':
			return false
		}
	}
	return true
}

// textBuilder accumulates visible text with white space collapsed, so source
// indentation ends up as single spaces and the edges of block elements as
// single newlines. De-duplication reads an item's text block by block (a
// syndicator's "originally published at" line is a block of its own), so
// the blocks survive here; titles never call Break and stay on one line.
type textBuilder struct {
	b            []byte
	pending      bool // a space is owed before the next visible character
	pendingBreak bool // a newline is owed instead: a block ended
	// blankLines makes a blank line in the text end a block too, as in a
	// plain-text post (an RSS description without markup, a mailing-list
	// mail), whose paragraphs are nothing else.
	blankLines bool
	newlines   int // line feeds in the current run of white space
}

// Break records the edge of a block element.
func (t *textBuilder) Break() { t.pendingBreak = true }

// Write adds p, dropping what XML cannot carry (see cleanString) so the
// text needs no second pass.
func (t *textBuilder) Write(p []byte) {
	b, pending := t.b, t.pending
	for i := 0; i < len(p); {
		c := p[i]
		if c == ' ' {
			pending = true
			i++
			continue
		}
		j := i + 1
		if c > ' ' && c < utf8.RuneSelf { // a run of visible ASCII, most text
			for j < len(p) && p[j] > ' ' && p[j] < utf8.RuneSelf {
				j++
			}
		} else {
			kind, size := classify(p[i:])
			j = i + size
			if kind == space {
				pending = true
				if c == '\n' {
					t.newlines++
					t.pendingBreak = t.pendingBreak || t.blankLines && t.newlines >= 2
				}
			}
			if kind != visible {
				i = j
				continue
			}
		}
		if len(b) > 0 {
			switch {
			case t.pendingBreak:
				b = append(b, '\n')
			case pending:
				b = append(b, ' ')
			}
		}
		pending, t.pendingBreak, t.newlines = false, false, 0
		b = append(b, p[i:j]...)
		i = j
	}
	t.b, t.pending = b, pending
}

const (
	visible = iota
	space
	invalid
)

// classify returns the kind and length of the character at the start of p.
func classify(p []byte) (kind, size int) {
	c := p[0]
	switch {
	case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
		return space, 1
	case c < 0x20:
		return invalid, 1
	case c < utf8.RuneSelf:
		return visible, 1
	}
	r, size := utf8.DecodeRune(p)
	switch {
	case r == utf8.RuneError && size == 1, r == 0xFFFE, r == 0xFFFF:
		return invalid, size
	case unicode.IsSpace(r):
		return space, size
	}
	return visible, size
}

func (t *textBuilder) WriteString(s string) {
	t.Write([]byte(s))
}

func (t *textBuilder) String() string { return string(t.b) }

// joinNames joins the non-empty plain-text forms of names with ", ",
// skipping repeats.
func joinNames(names []string) string {
	out := uniquePlain(names)
	return strings.Join(out, ", ")
}

// uniquePlain returns the distinct non-empty plain-text forms of values, in
// order, or nil.
func uniquePlain(values []string) []string {
	var out []string
	for _, v := range values {
		v = plainText(v)
		if v == "" || contains(out, v) {
			continue
		}
		out = append(out, v)
	}
	return out
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

// personName extracts the name from the RSS author forms "Name",
// "mail@example.org (Name)" and "Name (mail@example.org)". A bare e-mail
// address yields "": it is not a name, and republishing it only feeds
// address harvesters.
func personName(s string) string {
	s = strings.TrimSpace(s)
	for _, pair := range [...]string{"()", "<>"} {
		open := strings.LastIndexByte(s, pair[0])
		if open < 0 || !strings.HasSuffix(s, pair[1:]) {
			continue
		}
		outer, inner := strings.TrimSpace(s[:open]), strings.TrimSpace(s[open+1:len(s)-1])
		switch {
		case strings.Contains(outer, "@") && !strings.Contains(inner, "@"):
			return inner
		case strings.Contains(inner, "@") && !strings.Contains(outer, "@"):
			return outer
		}
	}
	if strings.Contains(s, "@") && !strings.ContainsAny(s, " \t") {
		return ""
	}
	return s
}

// firstNonEmpty returns the first of values that is not empty.
func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
