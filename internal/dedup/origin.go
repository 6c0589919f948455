package dedup

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// A syndicated copy often says where it was first published, with a link:
// "Originally published at <a>blog.example</a> on June 20", Medium's and
// dev.to's imports, "This post first appeared on …", WordPress's "The post
// … appeared first on …" kept by a mirror. The link names the original as
// well as its own <link> would: OriginURL reads it, and the store matches
// the item by it as by its URL (rule 1, the texts still able to dispute
// it). Only a link in a sentence that says so, in one of a post's first
// two or last three blocks, counts, and only when it names one post: a
// response that links to the post it answers says something else, an
// editor's note run into the same paragraph links elsewhere, and a digest
// that credits several posts names several.

// originPhrase is what a copy says about where it was first published.
var originPhrase = regexp.MustCompile(`(?i)\b(?:originally|first)\s+(?:published|posted|appeared|written)\b|\bappeared\s+first\b|\bcross-?posted\s+(?:from|at|on)\b|\b(?:reposted|republished)\s+(?:from|with)\b|\bursprünglich\s+(?:veröffentlicht|erschienen)\b`)

// Which blocks may say where a post was first published: its first
// originHead and its last originTail.
const originHead, originTail = 2, 3

// OriginURL returns the canonical URL of the post that content, an item's
// sanitised HTML whose links are absolute, says it is a copy of, or "".
// text is the item's visible text, which tells cheaply whether it says so
// anywhere; self is the item's own canonical URL. A link to self's site is
// never an origin: Medium's "… was originally published in <a>Maps &
// Code</a> on Medium" links to the copy and its publication.
func OriginURL(content, text, self string) string {
	if !edgeSaysOrigin(text) {
		return ""
	}
	blocks := linkBlocks(content)
	found := ""
	for i, b := range blocks {
		if i >= originHead && i < len(blocks)-originTail {
			continue
		}
		for _, l := range b.inOriginSentences() {
			u := CanonicalURL(l.href)
			if u == "" || hostOf(u) == hostOf(self) || isSiteRoot(u) || u == found {
				continue
			}
			if found != "" {
				return "" // it names two posts
			}
			found = u
		}
	}
	return found
}

// hostOf is the host of canonical URL u.
func hostOf(u string) string {
	rest := strings.TrimPrefix(u, "https://")
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		return rest[:i]
	}
	return rest
}

// edgeSaysOrigin reports whether one of text's first originHead or last
// originTail lines says where the post was first published: most posts
// do not, and the HTML is read only for those that do.
func edgeSaysOrigin(text string) bool {
	lines := splitBlocks(text)
	for i, l := range lines {
		if (i < originHead || i >= len(lines)-originTail) && mayNameOrigin(l) && originPhrase.MatchString(l) {
			return true
		}
	}
	return false
}

// mayNameOrigin reports cheaply whether s may hold originPhrase: a
// case-insensitive regular expression reads 16 MB/s, too slow for every
// paragraph of every item, and most have none of these stems.
func mayNameOrigin(s string) bool {
	for _, stem := range originStems {
		if strings.Contains(s, stem) {
			return true
		}
	}
	return false
}

// originStems are the parts of originPhrase's words that keep their case
// at the start of a sentence.
var originStems = []string{"riginally", "irst", "IRST", "RIGINALLY", "ross-post", "rosspost", "eposted", "epublished", "rsprünglich"}

// isSiteRoot reports whether canonical URL u is a site's home page, as the
// name of the site a post first appeared on is linked ("… appeared first
// on <a>Site</a>"): a site, not a post.
func isSiteRoot(u string) bool {
	rest := strings.TrimPrefix(u, "https://")
	i := strings.IndexByte(rest, '/')
	return i < 0 || rest[i:] == "/"
}

// linkBlock is a block of HTML as OriginURL reads it: its text and the
// links in it.
type linkBlock struct {
	text  string
	links []link
}

// link is a link of a block, at offset at of the block's text.
type link struct {
	href string
	at   int
}

// inOriginSentences returns the block's links that are in a sentence
// saying where the post was first published.
func (b linkBlock) inOriginSentences() []link {
	if len(b.links) == 0 || !mayNameOrigin(b.text) {
		return nil
	}
	var out []link
	for _, m := range originPhrase.FindAllStringIndex(b.text, -1) {
		from, to := sentenceAround(b.text, m[0], m[1])
		for _, l := range b.links {
			if l.at >= from && l.at <= to {
				out = append(out, l)
			}
		}
	}
	return out
}

// sentenceAround returns the bounds of the sentence of text that holds
// text[start:end]: from after the previous full stop (or ! or ?) followed
// by a space, to the next.
func sentenceAround(text string, start, end int) (int, int) {
	from := 0
	for i := start - 1; i > 0; i-- {
		if isSpace(text[i]) && isStop(text[i-1]) {
			from = i
			break
		}
	}
	to := len(text)
	for i := end; i+1 < len(text); i++ {
		if isStop(text[i]) && isSpace(text[i+1]) {
			to = i
			break
		}
	}
	return from, to
}

func isStop(c byte) bool  { return c == '.' || c == '!' || c == '?' }
func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' }

// linkBlocks splits content into blocks (paragraphs, list items, headings
// and the like), each with its text and links.
func linkBlocks(content string) []linkBlock {
	var blocks []linkBlock
	var cur linkBlock
	var text strings.Builder
	flush := func() {
		cur.text = text.String()
		if strings.TrimSpace(cur.text) != "" || len(cur.links) > 0 {
			blocks = append(blocks, cur)
		}
		cur, text = linkBlock{}, strings.Builder{}
	}
	z := html.NewTokenizer(strings.NewReader(content))
	for {
		switch z.Next() {
		case html.ErrorToken:
			flush()
			return blocks
		case html.TextToken:
			text.Write(z.Text())
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			if isBlockTag(a) {
				flush()
			}
			for hasAttr && a == atom.A {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				if string(k) == "href" {
					cur.links = append(cur.links, link{href: string(v), at: text.Len()})
				}
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); isBlockTag(atom.Lookup(name)) {
				flush()
			}
		}
	}
}

func isBlockTag(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Li, atom.Blockquote, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Hr, atom.Pre, atom.Section, atom.Article, atom.Aside, atom.Footer, atom.Header, atom.Figure,
		atom.Table, atom.Tr, atom.Ul, atom.Ol, atom.Dl, atom.Dd, atom.Dt:
		return true
	}
	return false
}
