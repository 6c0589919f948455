package dedup

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

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
//
// A teaser's "Read more" link names its post as well: a newsletter's
// "weiterlesen …" under the first paragraph of a blog post links to the
// post. Only a link whose whole text is such a phrase counts.

// originPhrase is what a copy says about where it was first published.
// Spelled out in both cases of a sentence's first letter: a
// case-insensitive expression reads a tenth as fast.
var originPhrase = regexp.MustCompile(`(?:[Oo]riginally|[Ff]irst) (?:published|posted|appeared|written)|[Aa]ppeared first|[Cc]ompanion discussion topic for the original entry|[Cc]ross-?posted (?:from|at|on) |(?:[Rr]eposted|[Rr]epublished) (?:from|with) |[Uu]rsprünglich (?:veröffentlicht|erschienen)` +
	`|(?:[Pp]ublié|[Pp]aru) (?:initialement|à l'origine|d'abord|pour la première fois)|[Ii]nitialement (?:publié|paru)|a (?:d'abord|initialement) été publié` +
	`|[Pp]ublicad[oa] (?:originalmente|originariamente|inicialmente|por primera vez|pela primeira vez)|[Oo]riginalmente publicad[oa]|[Pp]ublicó (?:originalmente|por primera vez)` +
	`|[Pp]ubblicat[oa] (?:originariamente|originalmente|inizialmente|per la prima volta)|[Oo]riginariamente pubblicat[oa]` +
	`|(?:[Oo]orspronkelijk|[Ee]erder|[Oo]rigineel) gepubliceerd|(?:[Pp]ierwotnie|[Oo]ryginalnie) opublikowan` +
	`|(?:[Пп]ервоначально|[Вв]первые) опубликован` +
	`|[にで]掲載された(?:記事|もの|投稿)|転載(?:元|です|しました|したもの)|(?:原文|初出)[：:]|最初に(?:掲載|公開|投稿)` +
	`|首[发發](?:于|於|在)|原文(?:[发發](?:表|布|佈)|刊登)(?:于|於|在)|[转轉][载載]自`)

// Which blocks may say where a post was first published: its first
// originHead and its last originTail. A block may be several lines of
// text (a mailing list's signature, lines apart by <br>): the text is
// looked at over its last originTailLines.
const originHead, originTail, originTailLines = 2, 3, 6

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
	found := ""
	for _, b := range edgeLinkBlocks(content) {
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
	says := func(l string) bool {
		if len(originMatches(l)) > 0 || endsReadingOn(l) {
			return true
		}
		_, ok := readMoreURL(l)
		return ok
	}
	head, rest := 0, text
	for head < originHead && rest != "" {
		var l string
		l, rest, _ = strings.Cut(rest, "\n")
		if l = strings.TrimSpace(l); l != "" {
			if says(l) {
				return true
			}
			head++
		}
	}
	for tail := 0; tail < originTailLines && rest != ""; {
		var l string
		if i := strings.LastIndexByte(rest, '\n'); i >= 0 {
			rest, l = rest[:i], rest[i+1:]
		} else {
			rest, l = "", rest
		}
		if l = strings.TrimSpace(l); l != "" {
			if says(l) {
				return true
			}
			tail++
		}
	}
	return false
}

// originMatches returns where s says where a post was first published
// (originPhrase). The expression reads a few MB/s, too slow for the
// paragraphs of every item: it only reads around the stems of its verbs,
// which few paragraphs hold.
func originMatches(s string) [][]int {
	var out [][]int
	for _, stem := range originStems {
		for at := 0; ; {
			i := strings.Index(s[at:], stem)
			if i < 0 {
				break
			}
			i += at
			from, to := max(0, i-originReach), min(len(s), i+len(stem)+originReach)
			for _, m := range originPhrase.FindAllStringIndex(s[from:to], -1) {
				m := []int{m[0] + from, m[1] + from}
				if !slices.ContainsFunc(out, func(o []int) bool { return o[0] == m[0] }) {
					out = append(out, m)
				}
			}
			at = i + len(stem)
		}
	}
	return out
}

// originStems are parts of originPhrase's verbs, one of which each of its
// phrases holds; originReach is how far in bytes from a stem a phrase may
// begin or end ("Republished with", "ursprünglich erschienen",
// "Первоначально опубликовано").
var originStems = []string{"ublished", "osted", "ppeared", "ritten", "rsprünglich", "original entry",
	"ublié", "aru ", "ublicad", "ublicó", "ubblicat", "epubliceerd", "publikowan", "публикован",
	"掲載", "転載", "原文", "初出", "最初に", "首发", "首發", "转载", "轉載", "转載", "轉载"}

const originReach = 32

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

// link is a link of a block, whose text is text[at:end] of the block's
// text (end is -1 until the link is closed).
type link struct {
	href    string
	at, end int
}

// inOriginSentences returns the block's links that are in a sentence
// saying where the post was first published, or that say "Read more".
func (b linkBlock) inOriginSentences() []link {
	var out []link
	for _, l := range b.links {
		if l.end >= 0 && isReadMore(b.text[l.at:l.end]) {
			out = append(out, l)
		}
	}
	if u, ok := readMoreURL(b.text); ok && len(b.links) == 0 {
		out = append(out, link{href: u})
	}
	for _, m := range originMatches(b.text) {
		from, to := sentenceAround(b.text, m[0], m[1])
		for _, l := range b.links {
			if l.at >= from && l.at <= to {
				out = append(out, l)
			}
		}
	}
	return out
}

// readMoreURL returns the URL of a line that is a "Read more" and the
// post's URL in plain text ("Devamını oku: https://…"), as a mailing
// list's teaser ends. A URL in plain text in an origin sentence does not
// count: a syndicator that cuts a post in two says so on both halves.
func readMoreURL(line string) (string, bool) {
	// The phrase comes first: a paragraph that mentions a URL further on
	// is not lowered and looked up whole.
	i := strings.Index(line[:min(len(line), 2*readMoreBytes)], "http")
	if i <= 0 || !isReadMore(line[:i]) {
		return "", false
	}
	urls := bareURLs(line[i:])
	if len(urls) != 1 || strings.TrimSpace(strings.TrimRight(line[i:], ".")) != urls[0] {
		return "", false
	}
	return urls[0], true
}

// bareURLs returns the http and https URLs written out in text, without
// the punctuation that may close the sentence they end.
func bareURLs(text string) []string {
	var out []string
	for _, f := range strings.Fields(text) {
		if !strings.HasPrefix(f, "http://") && !strings.HasPrefix(f, "https://") {
			continue
		}
		if f = strings.TrimRight(f, ".,;:!?)]»”'\""); len(f) > len("https://") {
			out = append(out, f)
		}
	}
	return out
}

// sentenceAround returns the bounds of the sentence of text that holds
// text[start:end]: from after the previous full stop (or ! or ?) followed
// by a space, or the previous full stop of Chinese or Japanese, to the
// next.
func sentenceAround(text string, start, end int) (int, int) {
	from := 0
	for i := start - 1; i > 0; i-- {
		if isSpace(text[i]) && isStop(text[i-1]) || fullWidthEndsAt(text[:i]) {
			from = i
			break
		}
	}
	to := len(text)
	for i := end; i+1 < len(text); i++ {
		if isStop(text[i]) && isSpace(text[i+1]) || fullWidthEndsAt(text[:i+1]) {
			to = i
			break
		}
	}
	return from, to
}

// fullWidthEndsAt reports whether s ends with a full stop, exclamation or
// question mark of Chinese or Japanese.
func fullWidthEndsAt(s string) bool {
	if len(s) < 3 || s[len(s)-3] != 0xE3 && s[len(s)-3] != 0xEF {
		return false
	}
	for _, e := range fullWidthEnds {
		if strings.HasSuffix(s, e) {
			return true
		}
	}
	return false
}

func isStop(c byte) bool  { return c == '.' || c == '!' || c == '?' }
func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' }

// edgeLinkBlocks returns content's first originHead and last originTail
// blocks (paragraphs, list items, headings and the like), each with its
// text and links; the blocks between are read but not kept.
func edgeLinkBlocks(content string) []linkBlock {
	var head, tail []linkBlock // tail: the last originTail blocks, a ring
	n := 0
	var cur linkBlock
	var text []byte
	flush := func() {
		if len(bytes.TrimSpace(text)) == 0 && len(cur.links) == 0 || isForumTrailer(text) {
			text, cur = text[:0], linkBlock{}
			return
		}
		cur.text = string(text)
		if len(head) < originHead {
			head = append(head, cur)
		} else if len(tail) < originTail {
			tail = append(tail, cur)
		} else {
			tail[(n-originHead)%originTail] = cur
		}
		n++
		text, cur = text[:0], linkBlock{}
	}
	z := html.NewTokenizer(strings.NewReader(content))
	for {
		switch z.Next() {
		case html.ErrorToken:
			flush()
			// The ring in order, oldest first.
			if k := n - originHead; k > originTail {
				at := k % originTail
				tail = append(tail[at:], tail[:at]...)
			}
			return append(head, tail...)
		case html.TextToken:
			text = append(text, z.Text()...)
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
					cur.links = append(cur.links, link{href: string(v), at: len(text), end: -1})
				}
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if n := len(cur.links); a == atom.A && n > 0 && cur.links[n-1].end < 0 {
				cur.links[n-1].end = len(text)
			}
			if isBlockTag(a) {
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

// readMore are the texts of a teaser's link to the rest of its post, in
// lower case, without the arrows and ellipses around them.
var readMore = map[string]bool{
	"read more": true, "read the full post": true, "read the full article": true, "read the rest": true,
	"read the rest of this entry": true, "read full post": true, "read full article": true, "keep reading": true,
	"weiterlesen": true, "mehr lesen": true, "ganzen beitrag lesen": true, "zum beitrag": true, "zum artikel": true,
	"lire la suite": true, "lire l'article": true, "lire l’article": true, "la suite": true,
	"leer más": true, "seguir leyendo": true, "sigue leyendo": true, "continuar leyendo": true, "leer el artículo": true,
	"leia mais": true, "continuar lendo": true, "continue lendo": true,
	"continua a leggere": true, "leggi tutto": true, "leggi di più": true, "leggi l'articolo": true,
	"verder lezen": true, "lees meer": true, "czytaj dalej": true, "czytaj więcej": true,
	"читать далее": true, "читать дальше": true, "подробнее": true,
	"devamını oku": true, "devamini oku": true, "devamı": true, "xem thêm": true, "xem them": true,
	"đọc tiếp": true, "doc tiep": true, "더 보기": true, "더보기": true, "계속 읽기": true, "전체 글 보기": true,
	"اقرأ المزيد": true, "إقرأ المزيد": true, "اقرأ المقال كاملا": true, "ادامه مطلب": true, "ادامه‌ی مطلب": true, "ادامه مطالعه": true,
	"להמשך קריאה": true, "המשך קריאה": true, "और पढ़ें": true, "आगे पढ़ें": true, "पूरा पढ़ें": true,
	"διαβάστε περισσότερα": true, "διαβάστε τη συνέχεια": true, "συνέχεια": true,
	"続きを読む": true, "もっと読む": true, "阅读全文": true, "閱讀全文": true, "继续阅读": true, "繼續閱讀": true, "阅读更多": true,
}

// continueReading is WordPress's link to the rest of a post, followed by
// the post's title.
const continueReading = "continue reading"

// isReadMore reports whether s, a link's text, is a teaser's "Read more".
func isReadMore(s string) bool {
	s = strings.ToLower(strings.TrimFunc(s, notReadMore))
	return readMore[s] || strings.HasPrefix(s, continueReading)
}

// endsReadingOn reports whether the line l ends with a "Read more", or
// holds WordPress's "Continue reading".
func endsReadingOn(l string) bool {
	if strings.Contains(l, "ontinue reading") || strings.Contains(l, "ONTINUE READING") {
		return true
	}
	// Every item's last lines pass here: only the end of a line is
	// lowered, and looked up from each word's start.
	l = strings.TrimRightFunc(l, notReadMore)
	from := max(0, len(l)-readMoreBytes)
	tail := strings.ToLower(l[from:])
	for i := range len(tail) {
		starts := i > 0 && !isLetter(tail, i) || i == 0 && (from == 0 || !isLetter(l, from))
		if starts && readMore[tail[i:]] {
			return true
		}
	}
	return false
}

// readMoreBytes is at least the length of readMore's longest phrase.
const readMoreBytes = 48

// isLetter reports whether the character before s[i] is a letter, so
// that "…more" in "furthermore" is not a "more".
func isLetter(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return unicode.IsLetter(r)
}

// notReadMore reports whether r is none of a read-more's letters or marks
// (Hindi's पढ़ें ends with a vowel sign): the spaces, arrows, ellipses and
// brackets around it.
func notReadMore(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.In(r, unicode.Mn, unicode.Mc) && r != '\'' && r != '’'
}

// forumTrailer matches the lines Discourse ends every item of its feeds
// with ("12 posts - 9 participants", "Read full topic"): they are not the
// post's last blocks, which may say where it was first published.
var forumTrailer = regexp.MustCompile(`^(?:\d+ posts? - \d+ participants?|Read full topic)$`)

func isForumTrailer(text []byte) bool {
	text = bytes.TrimSpace(text)
	return len(text) < 40 && forumTrailer.Match(text)
}
