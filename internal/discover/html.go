package discover

import (
	"bytes"
	"mime"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// feedTypes are the media types of <link rel="alternate"> that name a feed.
// application/json is JSON Feed's type before it registered its own.
var feedTypes = map[string]bool{
	"application/rss+xml":   true,
	"application/atom+xml":  true,
	"application/feed+json": true,
	"application/json":      true,
	"application/rdf+xml":   true,
	"application/xml":       true,
	"text/xml":              true,
}

// Alternates returns the absolute URLs of the feeds an HTML page links to
// with <link rel="alternate" type="...">, in document order, relative
// hrefs resolved against the first <base href>, as browsers do, or else page.
func Alternates(body []byte, page *url.URL) []string {
	z := html.NewTokenizer(bytes.NewReader(body))
	base := page
	baseSet := false
	var links []map[string]string
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		if !hasAttr {
			continue
		}
		switch atom.Lookup(name) {
		case atom.Base:
			if href := attrs(z)["href"]; href != "" && !baseSet {
				if u, err := page.Parse(strings.TrimSpace(href)); err == nil {
					base, baseSet = u, true
				}
			}
		case atom.Link:
			links = append(links, attrs(z))
		}
	}
	var out []string
	for _, a := range links {
		if u := feedLink(a, base); u != "" {
			out = append(out, u)
		}
	}
	return out
}

// feedLink returns the resolved href of a link that is an alternate feed.
func feedLink(a map[string]string, base *url.URL) string {
	if !hasToken(a["rel"], "alternate") || a["href"] == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(a["type"])
	if err != nil || !feedTypes[mt] {
		return ""
	}
	u, err := base.Parse(strings.TrimSpace(a["href"]))
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return ""
	}
	u.Fragment, u.RawFragment = "", ""
	return u.String()
}

func attrs(z *html.Tokenizer) map[string]string {
	out := make(map[string]string)
	for {
		k, v, more := z.TagAttr()
		if _, dup := out[string(k)]; !dup {
			out[string(k)] = string(v) // the first of repeated attributes wins, as in browsers
		}
		if !more {
			return out
		}
	}
}

// hasToken reports whether the space-separated list s holds tok, ignoring case.
func hasToken(s, tok string) bool {
	for f := range strings.FieldsSeq(s) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}
