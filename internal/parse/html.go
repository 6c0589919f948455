package parse

import (
	"bytes"
	"html"
	"net/url"
	"regexp"
	"strings"
	"sync"

	nethtml "golang.org/x/net/html"
)

// cleanHTML sanitises an item's HTML, makes its URLs absolute against base
// and, when wantText is set, collects its visible text, in one pass over the
// sanitiser's output. Building a DOM per item would cost several times as
// much, and none of this needs one.
//
// The pass also re-checks the scheme of every URL it resolves: bluemonday
// validates a[href] and img[src] but not srcset, poster or source[src].
func cleanHTML(raw string, base *url.URL, wantText bool) (content, text string) {
	raw = cleanString(raw)
	if strings.TrimSpace(raw) == "" {
		return "", ""
	}
	if !strings.ContainsAny(raw, "<&") {
		return plainHTML(raw, wantText)
	}
	return sanitiseHTML(raw, base, wantText)
}

// sanitiseHTML is cleanHTML for markup: balanceHTML, bluemonday, then the
// pass over its output.
func sanitiseHTML(raw string, base *url.URL, wantText bool) (content, text string) {
	w := rewriters.Get().(*rewriter)
	defer w.release()
	w.base, w.wantText = base, wantText
	w.text.blankLines = true
	w.sanitised.Grow(len(raw) + len(raw)/4)
	if err := policy.SanitizeReaderToWriter(strings.NewReader(balanceHTML(raw)), &w.sanitised); err != nil {
		return "", "" // only a tokenizer I/O error, impossible on a string
	}
	if !w.scan(w.sanitised.Bytes()) {
		w.out, w.text = w.out[:0], textBuilder{b: w.text.b[:0], blankLines: true}
		w.run(nethtml.NewTokenizer(bytes.NewReader(w.sanitised.Bytes())))
	}
	// Character references such as &#1; decode to characters XML cannot
	// carry, so the output is cleaned as well as the input; the text
	// builder drops them as it goes.
	return cleanString(string(bytes.TrimSpace(w.out))), w.text.String()
}

// plainHTML is cleanHTML for text with neither markup nor character
// references, for which the sanitiser and the pass over its output come down
// to what the tokenizer does to text (line ends normalised) and escaping.
func plainHTML(raw string, wantText bool) (content, text string) {
	if strings.IndexByte(raw, '\r') >= 0 {
		raw = strings.ReplaceAll(strings.ReplaceAll(raw, "\r\n", "\n"), "\r", "\n")
	}
	if wantText {
		t := textBuilder{blankLines: true}
		t.WriteString(raw)
		text = t.String()
	}
	return cleanString(strings.TrimSpace(nethtml.EscapeString(raw))), text
}

// rewriter holds the state of one cleanHTML call. Its buffers are pooled:
// every item needs a few of them the size of its content, and allocating
// them afresh was a good part of the parser's garbage.
type rewriter struct {
	base      *url.URL
	wantText  bool
	sanitised bytes.Buffer // bluemonday's output
	out       []byte       // the re-serialised HTML
	text      textBuilder
	attrs     []attr // scratch, reused across tags
	values    []byte // scratch for unescaped attribute values
}

var rewriters = sync.Pool{New: func() any { return new(rewriter) }}

// maxPooled caps the buffers kept for reuse, so one huge post does not pin
// its memory for the life of the process.
const maxPooled = 256 << 10

func (w *rewriter) release() {
	if w.sanitised.Cap() > maxPooled || cap(w.out) > maxPooled || cap(w.text.b) > maxPooled || cap(w.values) > maxPooled {
		return
	}
	w.base = nil
	w.sanitised.Reset()
	w.out = w.out[:0]
	w.text = textBuilder{b: w.text.b[:0]}
	w.attrs = w.attrs[:0]
	w.values = w.values[:0]
	rewriters.Put(w)
}

type attr struct{ key, val []byte }

func (w *rewriter) run(z *nethtml.Tokenizer) {
	for {
		tt := z.Next()
		switch tt {
		case nethtml.ErrorToken:
			return
		case nethtml.TextToken:
			w.out = append(w.out, z.Raw()...)
			if w.wantText {
				w.text.Write(z.Text())
			}
		case nethtml.StartTagToken, nethtml.SelfClosingTagToken:
			// bluemonday writes every tag in one canonical form
			// (<name key="value">, lower case, quotes escaped inside
			// values), so the name and the presence of a URL attribute can
			// be read off the raw bytes; the tokenizer's TagName and TagAttr
			// copy every name and value. Only tags with a URL are taken apart.
			mark := len(w.out)
			w.out = append(w.out, z.Raw()...)
			raw := w.out[mark:]
			name := tagName(raw[1:])
			w.boundary(name)
			if hasURLAttr(raw) {
				w.rewriteTag(z, mark, tt == nethtml.SelfClosingTagToken)
			}
		case nethtml.EndTagToken:
			mark := len(w.out)
			w.out = append(w.out, z.Raw()...)
			if raw := w.out[mark:]; len(raw) > 2 {
				w.boundary(tagName(raw[2:]))
			}
		}
	}
}

// tagName returns the name at the start of b, a tag without its "<" or "</".
func tagName(b []byte) []byte {
	for i, c := range b {
		if c == ' ' || c == '>' || c == '/' || c == '\t' || c == '\n' {
			return b[:i]
		}
	}
	return b
}

var urlAttrNeedles = [][]byte{[]byte(` href="`), []byte(` src="`), []byte(` srcset="`), []byte(` poster="`), []byte(` cite="`)}

// hasURLAttr reports whether a canonical tag carries a URL attribute. A
// quote cannot occur unescaped inside a value, so a match is an attribute.
func hasURLAttr(tag []byte) bool {
	for _, n := range urlAttrNeedles {
		if bytes.Contains(tag, n) {
			return true
		}
	}
	return false
}

// boundary turns the edge of a block element into a line break in the text.
func (w *rewriter) boundary(name []byte) {
	if w.wantText && isBlock(name) {
		w.text.Break()
	}
}

// rewriteTag collects the attributes of the tokenizer's current tag for fixTag.
func (w *rewriter) rewriteTag(z *nethtml.Tokenizer, mark int, selfClosing bool) {
	name, _ := z.TagName()
	w.attrs = w.attrs[:0]
	for more := true; more; {
		var key, val []byte
		key, val, more = z.TagAttr()
		w.attrs = append(w.attrs, attr{key, val})
	}
	w.fixTag(mark, name, selfClosing)
}

// fixTag resolves the URL attributes among w.attrs, the unescaped
// attributes of the tag written to w.out from mark on, and writes the tag
// again when that changed anything.
func (w *rewriter) fixTag(mark int, name []byte, selfClosing bool) {
	kept := w.attrs[:0]
	changed := false
	for _, a := range w.attrs {
		if isURLAttr(a.key) {
			fixed, ok := w.fixURLAttr(a.key, a.val)
			if !ok {
				changed = true
				continue
			}
			if fixed != string(a.val) {
				changed = true
				a.val = []byte(fixed)
			}
		}
		kept = append(kept, a)
	}
	w.attrs = kept
	if !changed {
		return
	}
	if isVoidMedia(name) && !hasSource(w.attrs) {
		w.out = w.out[:mark] // an image without a usable URL shows nothing
		return
	}
	w.out = append(w.out[:mark], '<')
	w.out = append(w.out, name...)
	for _, a := range w.attrs {
		w.out = append(w.out, ' ')
		w.out = append(w.out, a.key...)
		w.out = append(w.out, `="`...)
		w.out = appendEscaped(w.out, a.val)
		w.out = append(w.out, '"')
	}
	if selfClosing {
		w.out = append(w.out, '/')
	}
	w.out = append(w.out, '>')
}

// appendEscaped appends v escaped as html.EscapeString does, without
// converting it to a string and back.
func appendEscaped(dst, v []byte) []byte {
	for {
		i := bytes.IndexAny(v, `<>&'"`)
		if i < 0 {
			return append(dst, v...)
		}
		dst = append(dst, v[:i]...)
		switch v[i] {
		case '<':
			dst = append(dst, "&lt;"...)
		case '>':
			dst = append(dst, "&gt;"...)
		case '&':
			dst = append(dst, "&amp;"...)
		case '\'':
			dst = append(dst, "&#39;"...)
		case '"':
			dst = append(dst, "&#34;"...)
		}
		v = v[i+1:]
	}
}

// srcsetDescriptor is a width, height or pixel density descriptor of a
// srcset candidate ("640w", "1.5x").
var srcsetDescriptor = regexp.MustCompile(`^(?:[0-9]+[wh]|(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?x)$`)

// readableDescriptors reports whether a browser reads a srcset candidate
// with these descriptors: a width, a density or nothing, and a height only
// beside a width. It skips any other candidate, and so does the sanitiser.
func readableDescriptors(ds []string) bool {
	var kinds [256]int
	for _, d := range ds {
		if !srcsetDescriptor.MatchString(d) {
			return false
		}
		kinds[d[len(d)-1]]++
	}
	w, h, x := kinds['w'], kinds['h'], kinds['x']
	return w <= 1 && h <= w && x <= 1 && x+w <= 1
}

func isVoidMedia(name []byte) bool {
	return string(name) == "img" || string(name) == "source"
}

func hasSource(attrs []attr) bool {
	for _, a := range attrs {
		if string(a.key) == "src" || string(a.key) == "srcset" {
			return true
		}
	}
	return false
}

func isURLAttr(key []byte) bool {
	switch string(key) {
	case "href", "src", "srcset", "poster", "cite":
		return true
	}
	return false
}

// fixURLAttr returns the attribute value with its URLs made absolute, or
// false when the attribute must go.
func (w *rewriter) fixURLAttr(key, val []byte) (string, bool) {
	if string(key) == "srcset" {
		return w.fixSrcset(string(val))
	}
	return resolveURL(w.base, string(val), string(key) == "href")
}

// fixSrcset resolves each candidate of a srcset ("a.png 1x, b.png 2x") and
// drops those whose URL is not allowed or whose descriptors a browser
// would not read (see readableDescriptors).
func (w *rewriter) fixSrcset(v string) (string, bool) {
	var b strings.Builder
	for _, cand := range strings.Split(v, ",") {
		fields := strings.Fields(cand)
		if len(fields) == 0 || !readableDescriptors(fields[1:]) {
			continue
		}
		u, ok := resolveURL(w.base, fields[0], false)
		if !ok {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(u)
		for _, d := range fields[1:] {
			b.WriteByte(' ')
			b.WriteString(d)
		}
	}
	return b.String(), b.Len() > 0
}

func isBlock(name []byte) bool {
	switch string(name) {
	case "p", "div", "br", "hr", "li", "ul", "ol", "dl", "dt", "dd",
		"h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
		"table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th",
		"figure", "figcaption", "picture", "section", "article", "aside", "header", "footer",
		"details", "summary", "video", "audio":
		return true
	}
	return false
}

// textToHTML renders plain text (Atom type="text" content, JSON Feed
// content_text) as HTML: blank lines separate paragraphs, single newlines
// become line breaks.
func textToHTML(s string) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if s == "" {
		return ""
	}
	var b bytes.Buffer
	for _, para := range strings.Split(s, "\n\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		b.WriteString("<p>")
		b.WriteString(strings.ReplaceAll(html.EscapeString(para), "\n", "<br>"))
		b.WriteString("</p>")
	}
	return b.String()
}

// Text returns the visible text of an HTML fragment, one line per block,
// exactly as Parse computes Item.Text. It serves entries stored before
// their text was kept (`village dedup rescan`) and tests, so that there is
// one text extractor.
func Text(fragment string) string {
	_, text := cleanHTML(fragment, nil, true)
	return text
}

// ContentText is Text for HTML this package made, an Item.Content as
// stored: it gives Item.Text again, at a fraction of Text's cost, by
// leaving out the sanitiser, whose output the content already is (the
// store reads stored entries' texts so, see store's texts.go).
func ContentText(content string) string {
	if strings.TrimSpace(content) == "" {
		return ""
	}
	w := rewriters.Get().(*rewriter)
	defer w.release()
	w.wantText = true
	w.text.blankLines = true
	if !w.scan([]byte(content)) {
		w.out, w.text = w.out[:0], textBuilder{b: w.text.b[:0], blankLines: true}
		w.run(nethtml.NewTokenizer(strings.NewReader(content)))
	}
	return w.text.String()
}
