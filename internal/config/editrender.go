package config

import (
	"encoding/json"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// render writes feeds as block list items: the "-" after dash spaces, the
// keys offset columns further, tags in the style the file already uses.
func (d *doc) render(feeds []Feed, dash, offset int) []byte {
	pad := strings.Repeat(" ", dash+offset)
	first := strings.Repeat(" ", dash) + "-" + strings.Repeat(" ", offset-1)
	block, tagDash := d.tagStyle()
	var b strings.Builder
	for _, f := range feeds {
		lead := first
		line := func(key, val string) {
			b.WriteString(lead + key + ":" + val + d.eol)
			lead = pad
		}
		if name := strings.Join(strings.Fields(f.Name), " "); name != "" {
			line("name", " "+scalar(name))
		}
		line("url", " "+scalar(f.URL))
		if f.Homepage != "" {
			line("homepage", " "+scalar(f.Homepage))
		}
		if len(f.Tags) > 0 && block {
			line("tags", "")
			for _, t := range f.Tags {
				b.WriteString(pad + strings.Repeat(" ", tagDash) + "- " + scalar(t) + d.eol)
			}
		} else if len(f.Tags) > 0 {
			tags := make([]string, len(f.Tags))
			for i, t := range f.Tags {
				tags[i] = scalar(t)
			}
			line("tags", " ["+strings.Join(tags, ", ")+"]")
		}
		if f.Interval > 0 {
			line("interval", " "+shortDuration(f.Interval))
		}
	}
	return []byte(b.String())
}

// tagStyle reports whether the file writes tags as block lists, and how
// far their "-" sits right of the "tags" key, so new items look the same.
// Flow style ("tags: [a, b]") is the default: it is one line.
func (d *doc) tagStyle() (block bool, dash int) {
	if d.list == nil {
		return false, 0
	}
	for _, item := range d.list.Content {
		if item.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(item.Content); i += 2 {
			k, v := item.Content[i], item.Content[i+1]
			if k.Value == "tags" && v.Kind == yaml.SequenceNode && len(v.Content) > 0 {
				if v.Style&yaml.FlowStyle != 0 {
					return false, 0
				}
				return true, max(v.Column-k.Column, 0)
			}
		}
	}
	return false, 0
}

// scalar writes s as a one-line YAML scalar, quoted only when it has to be.
func scalar(s string) string {
	out, err := yaml.Marshal(s)
	text := strings.TrimSuffix(string(out), "\n")
	if err != nil || strings.ContainsAny(text, "\r\n") {
		q, _ := json.Marshal(s) // a JSON string is a YAML double-quoted scalar
		return string(q)
	}
	return text
}

// shortDuration writes d as "1h" or "90m" rather than "1h0m0s".
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
