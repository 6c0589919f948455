package config

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/villagefeeds/village/internal/filter"
)

// MaxFaceSize bounds a face image file: a hackergotchi is a few KiB, and
// the site holds every face in memory.
const MaxFaceSize = 1 << 20

// FaceTypes are the image files a face may be, by extension, with the
// media type they are served as. SVG is left out: it can carry script.
var FaceTypes = map[string]string{
	".png":  "image/png",
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
	".gif":  "image/gif",
	".webp": "image/webp",
	".avif": "image/avif",
}

// face decodes a source's face: an absolute http(s) URL, kept as written,
// or the path of an image file (relative to feeds.yaml), made absolute.
// Other URLs (javascript:, data:, file:) are refused, as for post images.
func (d *decoder) face(f field) string {
	s, ok := d.str(f)
	if !ok {
		return ""
	}
	if u, err := url.Parse(s); err == nil && u.Scheme != "" {
		if !isHTTP(u) {
			d.add(f.val, f.path, "must be an http(s) URL or the path of an image file, got %s", quote(s))
			return ""
		}
		return s
	}
	if strings.HasPrefix(s, "//") {
		d.add(f.val, f.path, "must be an http(s) URL or the path of an image file, got %s", quote(s))
		return ""
	}
	path := d.resolve(s, f)
	if _, known := FaceTypes[strings.ToLower(filepath.Ext(path))]; !known {
		d.add(f.val, f.path, "%s is not a .png, .jpg, .gif, .webp or .avif image", quote(s))
		return ""
	}
	info, err := os.Stat(path)
	switch {
	case err != nil:
		d.add(f.val, f.path, "cannot read the image: %v", err)
		return ""
	case !info.Mode().IsRegular():
		d.add(f.val, f.path, "%s is not a file", quote(s))
		return ""
	case info.Size() > MaxFaceSize:
		d.add(f.val, f.path, "the image is %d bytes; a face may be at most %d", info.Size(), MaxFaceSize)
		return ""
	}
	return path
}

// rule decodes an include or exclude rule: categories, match (a regular
// expression on the title and the text) and title (one on the title only).
func (d *decoder) rule(f field) *filter.Rule {
	fields, ok := d.fields(f.val, f.path)
	if !ok {
		return nil
	}
	r := &filter.Rule{}
	for _, sub := range fields {
		switch sub.name {
		case "categories":
			r.Categories = d.categories(sub)
		case "match":
			r.Match = d.regexp(sub)
		case "title":
			r.Title = d.regexp(sub)
		default:
			d.add(sub.key, sub.path, "unknown key (want categories, match or title)")
		}
	}
	if r.IsEmpty() {
		if len(fields) == 0 {
			d.add(f.val, f.path, "needs categories, match or title")
		}
		return nil
	}
	return r
}

// categories decodes a list of category names, or a single one.
func (d *decoder) categories(f field) []string {
	if isNull(f.val) {
		return nil
	}
	items := []field{f}
	if deref(f.val).Kind != yaml.ScalarNode {
		list, ok := d.items(f.val, f.path)
		if !ok {
			return nil
		}
		items = items[:0]
		for i, item := range list {
			items = append(items, field{path: fmt.Sprintf("%s[%d]", f.path, i), key: item, val: item})
		}
	}
	var out []string
	for _, it := range items {
		s, ok := d.str(it)
		switch {
		case !ok && deref(it.val).Kind == yaml.ScalarNode:
			d.add(it.val, it.path, "empty category")
		case ok && !slices.ContainsFunc(out, func(c string) bool { return strings.EqualFold(c, s) }):
			out = append(out, s)
		}
	}
	return out
}

// regexp compiles a regular expression (Go's RE2 syntax), reporting a bad
// one at its line.
func (d *decoder) regexp(f field) *regexp.Regexp {
	s, ok := d.scalar(f, "a regular expression")
	if !ok {
		return nil
	}
	if s == "" {
		d.add(f.val, f.path, "empty regular expression: it would match every post")
		return nil
	}
	re, err := regexp.Compile(s)
	if err != nil {
		d.add(f.val, f.path, "invalid regular expression: %v", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		return nil
	}
	return re
}
