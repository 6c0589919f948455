package farm

import (
	"math/rand/v2"
	"strconv"
)

// Post bodies are 1 to 8 KB. Blocks are appended until the body reaches its
// target, and no block is longer than maxBlock, so the target stays below
// maxBody-maxBlock.
const (
	minBody  = 1 << 10
	maxBody  = 8 << 10
	maxBlock = 1 << 10
)

// htmlGen writes the HTML of one post. site is the blog's home page,
// without the trailing slash, for absolute links.
type htmlGen struct {
	rng  *rand.Rand
	b    []byte
	site string
}

// body writes a post of about target bytes: an opening paragraph, then a mix
// of paragraphs, headings, lists, code, images and quotes.
func (g *htmlGen) body(target int) {
	g.paragraph()
	for len(g.b) < target {
		switch k := g.rng.IntN(100); {
		case k < 45:
			g.paragraph()
		case k < 57:
			g.list()
		case k < 69:
			g.code()
		case k < 80:
			g.image()
		case k < 90:
			g.heading()
		default:
			g.quote()
		}
	}
}

func (g *htmlGen) s(s string) { g.b = append(g.b, s...) }

func (g *htmlGen) word() string { return words[g.rng.IntN(len(words))] }

// words writes n words separated by spaces, the first one capitalised when
// capital is set and it starts with an ASCII letter.
func (g *htmlGen) words(n int, capital bool) {
	for i := range n {
		if i > 0 {
			g.b = append(g.b, ' ')
		}
		w := g.word()
		if i == 0 && capital && w[0] >= 'a' && w[0] <= 'z' {
			g.b = append(g.b, w[0]-'a'+'A')
			w = w[1:]
		}
		g.s(w)
	}
}

// sentence writes one sentence, sometimes with inline markup, a link or an
// escaped character.
func (g *htmlGen) sentence() {
	g.words(2+g.rng.IntN(5), true)
	g.b = append(g.b, ' ')
	switch k := g.rng.IntN(20); {
	case k < 3:
		g.link()
	case k < 5:
		g.inline("em")
	case k < 7:
		g.inline("strong")
	case k < 9:
		g.inline("code")
	case k < 10:
		g.s("Q&amp;A &mdash; ")
		g.words(2, false)
	default:
		g.words(1+g.rng.IntN(3), false)
	}
	g.b = append(g.b, ' ')
	g.words(2+g.rng.IntN(5), false)
	g.s([]string{". ", ". ", ". ", "? ", "! "}[g.rng.IntN(5)])
}

func (g *htmlGen) inline(tag string) {
	g.s("<" + tag + ">")
	g.words(1+g.rng.IntN(2), false)
	g.s("</" + tag + ">")
}

// link writes an anchor whose target is absolute, root-relative or relative
// to the post, as blogs mix all three.
func (g *htmlGen) link() {
	g.s(`<a href="`)
	switch g.rng.IntN(4) {
	case 0:
		g.s("https://")
		g.s(g.urlWord())
		g.s(".example.org/")
		g.s(g.urlWord())
		g.s("?ref=planet&amp;utm_source=feed")
	case 1:
		g.s(g.site)
		g.s("/tags/")
		g.s(tags[g.rng.IntN(len(tags))])
		g.b = append(g.b, '/')
	case 2:
		g.s("/archive/")
		g.b = strconv.AppendInt(g.b, int64(2015+g.rng.IntN(11)), 10)
		g.b = append(g.b, '/')
	default:
		g.s("../")
		g.s(g.urlWord())
		g.s(".html#section-")
		g.b = strconv.AppendInt(g.b, int64(g.rng.IntN(9)), 10)
	}
	g.s(`">`)
	g.words(1+g.rng.IntN(3), false)
	g.s("</a>")
}

// urlWord returns an ASCII word for URLs.
func (g *htmlGen) urlWord() string {
	for {
		if w := g.word(); len(w) >= 4 && isASCII(w) {
			return w
		}
	}
}

func (g *htmlGen) paragraph() {
	g.s("<p>")
	for range 1 + g.rng.IntN(4) {
		g.sentence()
	}
	g.b = g.b[:len(g.b)-1] // the last sentence's space
	g.s("</p>\n")
}

func (g *htmlGen) heading() {
	g.s([]string{"<h2>", "<h3>"}[g.rng.IntN(2)])
	n := len(g.b) - 2
	g.words(2+g.rng.IntN(4), true)
	g.s("</h")
	g.b = append(g.b, g.b[n])
	g.s(">\n")
}

func (g *htmlGen) list() {
	tag := []string{"ul", "ol"}[g.rng.IntN(2)]
	g.s("<" + tag + ">\n")
	for range 2 + g.rng.IntN(4) {
		g.s("<li>")
		g.words(3+g.rng.IntN(6), true)
		if g.rng.IntN(4) == 0 {
			g.b = append(g.b, ' ')
			g.inline("code")
		}
		g.s("</li>\n")
	}
	g.s("</" + tag + ">\n")
}

// code writes a code block; its lines are HTML-escaped, so the feed carries
// them escaped twice (or once inside CDATA).
func (g *htmlGen) code() {
	g.s(`<pre><code class="language-`)
	g.s(languages[g.rng.IntN(len(languages))])
	g.s(`">`)
	for i := range 2 + g.rng.IntN(6) {
		if i > 0 {
			g.b = append(g.b, '\n')
		}
		g.b = escapeText(g.b, codeLines[g.rng.IntN(len(codeLines))])
	}
	g.s("</code></pre>\n")
}

func (g *htmlGen) image() {
	figure := g.rng.IntN(2) == 0
	if figure {
		g.s("<figure>")
	} else {
		g.s("<p>")
	}
	g.s(`<img src="`)
	switch g.rng.IntN(3) {
	case 0:
		g.s("https://cdn.example.net/")
	case 1:
		g.s("/images/")
	default:
		g.s("images/")
	}
	g.s(g.urlWord())
	g.b = append(g.b, '-')
	g.b = strconv.AppendInt(g.b, int64(g.rng.IntN(1000)), 10)
	g.s(`.png" alt="`)
	g.words(2+g.rng.IntN(3), true)
	g.s(`" width="640" height="360">`)
	if figure {
		g.s("<figcaption>")
		g.words(3+g.rng.IntN(5), true)
		g.s("</figcaption></figure>\n")
	} else {
		g.s("</p>\n")
	}
}

func (g *htmlGen) quote() {
	g.s("<blockquote><p>")
	g.sentence()
	g.sentence()
	g.b = g.b[:len(g.b)-1]
	g.s("</p></blockquote>\n")
}

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
