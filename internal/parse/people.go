package parse

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/villagefeeds/village/internal/model"
)

// cleanPeople returns the people with plain-text names, absolute http(s)
// URIs and plausible e-mail addresses, dropping those left with nothing
// and repeats.
func cleanPeople(people []model.Person, base *url.URL) []model.Person {
	var out []model.Person
	for _, p := range people {
		_, uri := absLink(base, p.URI)
		c := model.Person{Name: plainText(p.Name), URI: uri, Email: cleanEmail(p.Email)}
		if c == (model.Person{}) || containsPerson(out, c) {
			continue
		}
		out = append(out, c)
	}
	return out
}

func containsPerson(people []model.Person, p model.Person) bool {
	for _, q := range people {
		if q == p {
			return true
		}
	}
	return false
}

var emailShape = regexp.MustCompile(`^[^@\s<>()"',;]+@[^@\s<>()"',;]+\.[^@\s<>()"',;]+$`)

// cleanEmail returns s as an e-mail address, or "" when it does not look
// like one.
func cleanEmail(s string) string {
	s = strings.TrimSpace(cleanString(s))
	if len(s) > 7 && strings.EqualFold(s[:7], "mailto:") {
		s = s[7:]
	}
	if len(s) > 254 || !emailShape.MatchString(s) {
		return ""
	}
	return s
}

// rssPerson reads an RSS author: "Name", "mail@example.org (Name)",
// "Name (mail@example.org)", "Name <mail@example.org>" or an address alone.
func rssPerson(s string) model.Person {
	p := model.Person{Name: personName(s)}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(" \t()<>", r) }) {
		if e := cleanEmail(part); e != "" {
			p.Email = e
			break
		}
	}
	return p
}

// cleanEnclosures keeps the enclosures with an absolute http(s) URL, once
// each.
func cleanEnclosures(encs []model.Enclosure, base *url.URL) []model.Enclosure {
	var out []model.Enclosure
next:
	for _, e := range encs {
		_, u := absLink(base, e.URL)
		if u == "" {
			continue
		}
		for _, o := range out {
			if o.URL == u {
				continue next
			}
		}
		out = append(out, model.Enclosure{
			URL:    u,
			Type:   mediaType(e.Type),
			Length: max(e.Length, 0),
			Title:  collapseSpace(e.Title),
		})
	}
	return out
}

var mediaTypeShape = regexp.MustCompile(`^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$`)

// mediaType returns t as a bare media type ("audio/mpeg"), or "" when it is
// not one.
func mediaType(t string) string {
	t, _, _ = strings.Cut(t, ";")
	t = strings.ToLower(strings.TrimSpace(t))
	if !mediaTypeShape.MatchString(t) {
		return ""
	}
	return t
}

// parseLength reads an enclosure's length in bytes; 0 when unknown.
func parseLength(s string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

var langShape = regexp.MustCompile(`^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$`)

// cleanLang returns a language tag in the form xml:lang accepts ("en",
// "pt-BR"; RSS's "en_us" becomes "en-us"), or "".
func cleanLang(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), "_", "-")
	if !langShape.MatchString(s) {
		return ""
	}
	return s
}

// cleanOrigin returns the origin with plain text and absolute links, or nil
// when nothing identifies it.
func cleanOrigin(o *model.Origin, base *url.URL) *model.Origin {
	if o == nil {
		return nil
	}
	_, link := absLink(base, o.Link)
	_, self := absLink(base, o.Self)
	c := &model.Origin{
		ID:      strings.TrimSpace(cleanString(o.ID)),
		Title:   plainText(o.Title),
		Link:    link,
		Self:    self,
		Updated: o.Updated,
	}
	if c.ID == "" && c.Self == "" && c.Link == "" {
		return nil
	}
	return c
}
