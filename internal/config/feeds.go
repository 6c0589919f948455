package config

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// feedLines remembers where a feed's url and name were written, to name
// both lines in duplicate errors.
type feedLines struct {
	index     int // position in the list, counting dropped items
	url, name *yaml.Node
}

// feeds decodes the feeds list. Items that are not mappings are left out;
// the others stay, so that duplicates are found alongside other problems.
func (d *decoder) feeds(f field) []Feed {
	if isNull(f.val) {
		return nil // a planet without sources yet: valid, it waits for the first
	}
	list, ok := d.items(f.val, f.path)
	if !ok {
		return nil
	}
	out := make([]Feed, 0, len(list))
	lines := make([]feedLines, 0, len(list))
	for i, item := range list {
		feed, fl, ok := d.feed(item, fmt.Sprintf("%s[%d]", f.path, i))
		if ok {
			fl.index = i
			out = append(out, feed)
			lines = append(lines, fl)
		}
	}
	d.duplicates(out, lines, f.path)
	return out
}

// feed decodes one item. ok is false when the item is not a mapping.
func (d *decoder) feed(item *yaml.Node, path string) (Feed, feedLines, bool) {
	feed := Feed{Line: item.Line}
	var lines feedLines
	fields, ok := d.fields(item, path)
	if !ok {
		return feed, lines, false
	}
	urlReported := false
	for _, f := range fields {
		switch f.name {
		case "name":
			setStr(d, f, &feed.Name)
			lines.name = f.val
		case "url":
			n := d.count
			feed.URL = d.httpURL(f)
			lines.url = f.val
			urlReported = d.count > n
		case "homepage":
			feed.Homepage = d.httpURL(f)
		case "tags":
			feed.Tags = d.tags(f)
		case "interval":
			setDuration(d, f, &feed.Interval, MinInterval, "1m")
		case "canonical":
			setBool(d, f, &feed.Canonical)
		case "face":
			feed.Face = d.face(f)
		case "include":
			feed.Filter.Include = d.rule(f)
		case "exclude":
			feed.Filter.Exclude = d.rule(f)
		case "username", "password_file", "password_env":
			d.credential(&feed, f)
		default:
			d.add(f.key, f.path, "unknown key")
		}
	}
	if feed.URL == "" && !urlReported {
		d.add(item, join(path, "url"), "missing")
	}
	d.checkCredentials(&feed, fields, path)
	return feed, lines, true
}

// httpURL returns the trimmed value when it is an absolute http(s) URL.
func (d *decoder) httpURL(f field) string {
	s, ok := d.str(f)
	if !ok {
		return "" // unset, or a type error already reported
	}
	u, err := url.Parse(s)
	if err != nil || !isHTTP(u) {
		d.add(f.val, f.path, "not an absolute http(s) URL")
		return ""
	}
	return s
}

func isHTTP(u *url.URL) bool {
	scheme := strings.ToLower(u.Scheme)
	return (scheme == "http" || scheme == "https") && u.Opaque == "" && u.Hostname() != ""
}

// each calls fn with every item of the list f, as a field named by its
// index; a null list has none, and a value that is no list is reported.
func (d *decoder) each(f field, fn func(item field)) {
	if isNull(f.val) {
		return
	}
	list, ok := d.items(f.val, f.path)
	if !ok {
		return
	}
	for i, item := range list {
		fn(field{path: fmt.Sprintf("%s[%d]", f.path, i), key: item, val: item})
	}
}

// tags decodes a list of tags: trimmed, lower-cased, first occurrence kept.
func (d *decoder) tags(f field) []string {
	var out []string
	d.each(f, func(t field) {
		item := t.val
		s, ok := d.scalar(t, "a string")
		if !ok && !isNull(item) {
			return
		}
		tag := strings.ToLower(strings.TrimSpace(s))
		switch {
		case tag == "":
			d.add(item, t.path, "empty tag")
		case !ValidTag(tag):
			d.add(item, t.path, "invalid tag %s: must match [a-z0-9][a-z0-9._-]*", quote(tag))
		case !slices.Contains(out, tag):
			out = append(out, tag)
		}
	})
	return out
}

// ValidTag reports whether t matches [a-z0-9][a-z0-9._-]*; tags end up in
// URLs and CSS classes, so they stay plain.
func ValidTag(t string) bool {
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case i > 0 && (c == '.' || c == '_' || c == '-'):
		default:
			return false
		}
	}
	return t != ""
}

// duplicates reports a feed listed twice, by URL or by name, on the later
// item, naming the earlier one and its line.
func (d *decoder) duplicates(feeds []Feed, lines []feedLines, path string) {
	byURL := make(map[string]int, len(feeds))
	byName := make(map[string]int, len(feeds))
	for i, f := range feeds {
		if f.URL != "" {
			key := urlKey(f.URL)
			if j, dup := byURL[key]; dup {
				d.dup(path, "url", lines[i].index, lines[i].url, lines[j].index, lines[j].url)
			} else {
				byURL[key] = i
			}
		}
		if f.Name != "" {
			key := strings.ToLower(f.Name)
			if j, dup := byName[key]; dup {
				d.dup(path, "name", lines[i].index, lines[i].name, lines[j].index, lines[j].name)
			} else {
				byName[key] = i
			}
		}
	}
}

func (d *decoder) dup(path, key string, i int, at *yaml.Node, first int, firstAt *yaml.Node) {
	d.add(at, fmt.Sprintf("%s[%d].%s", path, i, key), "duplicate of %s[%d] (line %d)", path, first, firstAt.Line)
}

// urlKey is the identity of a feed URL for duplicate detection: scheme and
// host compare case-insensitively, a trailing slash and the fragment do
// not count. The path stays case-sensitive, as servers treat it.
func urlKey(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	key := strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host) + strings.TrimSuffix(u.EscapedPath(), "/")
	if u.RawQuery != "" || u.ForceQuery {
		key += "?" + u.RawQuery
	}
	return key
}
