package farm

import (
	"bytes"
	"time"
)

// appendHeader writes the feed's prologue; updated is its newest date.
func (b *blog) appendHeader(dst []byte, updated time.Time) []byte {
	if b.format == atomFormat {
		dst = append(dst, `<?xml version="1.0" encoding="utf-8"?>`+"\n"+
			`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">`+"\n<title>"...)
		dst = escapeText(dst, b.title)
		dst = append(dst, "</title>\n<subtitle>Posts by "...)
		dst = escapeText(dst, b.author)
		dst = append(dst, "</subtitle>\n<id>"...)
		dst = append(dst, b.site...)
		dst = append(dst, "/</id>\n<link rel=\"alternate\" type=\"text/html\" href=\""...)
		dst = append(dst, b.site...)
		dst = append(dst, "/\"/>\n<link rel=\"self\" type=\"application/atom+xml\" href=\""...)
		dst = append(dst, b.url...)
		dst = append(dst, "\"/>\n<updated>"...)
		dst = updated.AppendFormat(dst, time.RFC3339)
		dst = append(dst, "</updated>\n<author><name>"...)
		dst = escapeText(dst, b.author)
		return append(dst, "</name></author>\n<generator>village farm</generator>\n"...)
	}
	dst = append(dst, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+
		`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" `+
		`xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">`+
		"\n<channel>\n<title>"...)
	dst = escapeText(dst, b.title)
	dst = append(dst, "</title>\n<link>"...)
	dst = append(dst, b.site...)
	dst = append(dst, "/</link>\n<description>Posts by "...)
	dst = escapeText(dst, b.author)
	dst = append(dst, "</description>\n<language>en</language>\n<lastBuildDate>"...)
	dst = updated.AppendFormat(dst, time.RFC1123Z)
	dst = append(dst, "</lastBuildDate>\n<atom:link href=\""...)
	dst = append(dst, b.url...)
	return append(dst, "\" rel=\"self\" type=\"application/rss+xml\"/>\n<generator>village farm</generator>\n"...)
}

func (b *blog) appendFooter(dst []byte) []byte {
	if b.format == atomFormat {
		return append(dst, "</feed>\n"...)
	}
	return append(dst, "</channel>\n</rss>\n"...)
}

// appendEntry writes one entry or item with its HTML.
func (b *blog) appendEntry(dst []byte, p *post, html []byte) []byte {
	if b.format == atomFormat {
		return b.appendAtomEntry(dst, p, html)
	}
	return b.appendRSSItem(dst, p, html)
}

func (b *blog) appendAtomEntry(dst []byte, p *post, html []byte) []byte {
	dst = append(dst, "<entry>\n<title>"...)
	dst = escapeText(dst, p.title)
	dst = append(dst, "</title>\n<link rel=\"alternate\" type=\"text/html\" href=\""...)
	dst = append(dst, p.link...)
	dst = append(dst, "\"/>\n<id>"...)
	dst = append(dst, p.guid...)
	dst = append(dst, "</id>\n<published>"...)
	dst = p.published.AppendFormat(dst, time.RFC3339)
	dst = append(dst, "</published>\n<updated>"...)
	dst = p.updated.AppendFormat(dst, time.RFC3339)
	dst = append(dst, "</updated>\n<author><name>"...)
	dst = escapeText(dst, p.author)
	dst = append(dst, "</name></author>\n"...)
	for _, c := range p.categories {
		dst = append(dst, "<category term=\""...)
		dst = append(dst, c...)
		dst = append(dst, "\"/>\n"...)
	}
	if b.summary {
		dst = append(dst, "<summary type=\"html\">"...)
		dst = escapeText(dst, firstParagraph(html))
		dst = append(dst, "</summary>\n"...)
	}
	// xml:base makes the post's relative links resolve against the post.
	dst = append(dst, "<content type=\"html\" xml:base=\""...)
	dst = append(dst, p.link...)
	dst = append(dst, "\">"...)
	dst = escapeText(dst, html)
	return append(dst, "</content>\n</entry>\n"...)
}

func (b *blog) appendRSSItem(dst []byte, p *post, html []byte) []byte {
	dst = append(dst, "<item>\n<title>"...)
	dst = escapeText(dst, p.title)
	dst = append(dst, "</title>\n<link>"...)
	dst = append(dst, p.link...)
	dst = append(dst, "</link>\n"...)
	switch {
	case p.permaLink:
		dst = append(dst, "<guid>"...)
		dst = append(dst, p.guid...)
		dst = append(dst, "</guid>\n"...)
	case p.guid != "":
		dst = append(dst, "<guid isPermaLink=\"false\">"...)
		dst = append(dst, p.guid...)
		dst = append(dst, "</guid>\n"...)
	}
	dst = append(dst, "<pubDate>"...)
	dst = p.published.AppendFormat(dst, time.RFC1123Z)
	dst = append(dst, "</pubDate>\n<dc:creator>"...)
	dst = escapeText(dst, p.author)
	dst = append(dst, "</dc:creator>\n"...)
	for _, c := range p.categories {
		dst = append(dst, "<category>"...)
		dst = append(dst, c...)
		dst = append(dst, "</category>\n"...)
	}
	if !b.cdata {
		dst = append(dst, "<description>"...)
		dst = escapeText(dst, html)
		return append(dst, "</description>\n</item>\n"...)
	}
	// The generated HTML never contains "]]>", so CDATA needs no splitting.
	dst = append(dst, "<description><![CDATA["...)
	dst = append(dst, firstParagraph(html)...)
	dst = append(dst, "]]></description>\n<content:encoded><![CDATA["...)
	dst = append(dst, html...)
	return append(dst, "]]></content:encoded>\n</item>\n"...)
}

// firstParagraph returns the post's opening paragraph, its summary.
func firstParagraph(html []byte) []byte {
	if i := bytes.Index(html, []byte("</p>")); i >= 0 {
		return html[:i+len("</p>")]
	}
	return html
}

// escapeText appends s with &, < and > escaped: enough for XML character
// data, and for attribute values without quotes.
func escapeText[T string | []byte](dst []byte, s T) []byte {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		default:
			continue
		}
		dst = append(dst, s[last:i]...)
		dst = append(dst, esc...)
		last = i + 1
	}
	return append(dst, s[last:]...)
}
