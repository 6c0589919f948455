package parse

import (
	"regexp"

	"github.com/microcosm-cc/bluemonday"
)

// policy is the allow-list every item's HTML goes through. It is built once:
// a bluemonday policy is safe for concurrent use, and building one compiles
// regular expressions.
//
// It keeps what a blog post needs to read well (text structure, links,
// images, figures, quotes, code, tables) and nothing that runs code, loads
// active content or styles the page around it: no script, style, iframe,
// object, embed, form, svg or math, no event handlers or style attributes,
// and no URL schemes other than http, https and mailto.
//
// Links get no rel or target. The sources are chosen by the planet's
// operator, so their links are editorial rather than user-generated spam that
// rel="nofollow" exists for; without target="_blank" there is no opener to
// protect, so rel="noopener" would do nothing; and the content stays as the
// author wrote it, which keeps republished entries small and stable.
var policy = newPolicy()

var (
	languageClass = regexp.MustCompile(`^language-[A-Za-z0-9_+#.-]{1,40}$`)
	dimension     = regexp.MustCompile(`^[0-9]{1,5}(%|px)?$`)
	dateTime      = regexp.MustCompile(`^[0-9T:+.Z -]{4,40}$`)
	srcsetMedia   = regexp.MustCompile(`^[A-Za-z0-9 ():,.-]{1,100}$`)
)

func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements(
		"p", "br", "hr", "div", "span", "section", "article", "aside", "header", "footer",
		"h1", "h2", "h3", "h4", "h5", "h6",
		"em", "strong", "b", "i", "u", "s", "strike", "del", "ins", "mark", "small", "sub", "sup",
		"abbr", "cite", "dfn", "kbd", "samp", "var", "tt", "bdi", "wbr",
		"blockquote", "q", "pre", "code",
		"figure", "figcaption", "picture",
		"ul", "ol", "li", "dl", "dt", "dd",
		"table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col",
		"details", "summary", "time",
	)
	p.AllowStandardURLs()
	p.RequireNoFollowOnLinks(false) // see the policy comment
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("title").Matching(bluemonday.Paragraph).OnElements("a", "abbr", "dfn", "img")
	p.AllowAttrs("cite").OnElements("blockquote", "q", "del", "ins")
	p.AllowAttrs("datetime").Matching(dateTime).OnElements("time", "del", "ins")
	p.AllowAttrs("class").Matching(languageClass).OnElements("pre", "code")

	p.AllowAttrs("src", "srcset").OnElements("img")
	p.AllowAttrs("alt").Matching(bluemonday.Paragraph).OnElements("img")
	p.AllowAttrs("width", "height").Matching(dimension).OnElements("img", "video")
	p.AllowAttrs("srcset").OnElements("source")
	p.AllowAttrs("media").Matching(srcsetMedia).OnElements("source")
	p.AllowAttrs("type").Matching(bluemonday.Paragraph).OnElements("source")
	p.AllowAttrs("src", "poster").OnElements("video")
	p.AllowAttrs("src").OnElements("audio", "source")
	p.AllowAttrs("controls").Matching(regexp.MustCompile(`^(controls)?$`)).OnElements("video", "audio")

	p.AllowLists()
	p.AllowTables()
	return p
}
