package config

import (
	"slices"

	"github.com/villagefeeds/village/internal/filter"
)

// Changes is what a reload changed, for the log: sources are matched by
// URL, as the store matches them.
type Changes struct {
	Added    []Feed
	Removed  []Feed
	Changed  []Changed
	Settings []string // top-level keys whose value changed, in file-key order
}

// Changed is a source listed before and after, with the keys that changed.
type Changed struct {
	Feed   Feed     // as it is now
	Fields []string // "name", "tags", "include"...
}

// IsZero reports whether nothing changed.
func (c Changes) IsZero() bool {
	return len(c.Added) == 0 && len(c.Removed) == 0 && len(c.Changed) == 0 && len(c.Settings) == 0
}

// Diff compares two configurations of one planet.
func Diff(old, cur *Config) Changes {
	var c Changes
	before := make(map[string]Feed, len(old.Feeds))
	for _, f := range old.Feeds {
		before[f.URL] = f
	}
	now := make(map[string]bool, len(cur.Feeds))
	for _, f := range cur.Feeds {
		now[f.URL] = true
		was, ok := before[f.URL]
		if !ok {
			c.Added = append(c.Added, f)
			continue
		}
		if fields := feedChanges(was, f); len(fields) > 0 {
			c.Changed = append(c.Changed, Changed{Feed: f, Fields: fields})
		}
	}
	for _, f := range old.Feeds {
		if !now[f.URL] {
			c.Removed = append(c.Removed, f)
		}
	}
	c.Settings = settingChanges(old, cur)
	return c
}

// fields collects the names of the keys that changed.
type fields []string

func (f *fields) add(name string, changed bool) {
	if changed {
		*f = append(*f, name)
	}
}

func feedChanges(a, b Feed) []string {
	var out fields
	add := out.add
	add("name", a.Name != b.Name)
	add("homepage", a.Homepage != b.Homepage)
	add("tags", !slices.Equal(a.Tags, b.Tags))
	add("interval", a.Interval != b.Interval)
	add("face", a.Face != b.Face)
	add("include", ruleText(a.Filter.Include) != ruleText(b.Filter.Include))
	add("exclude", ruleText(a.Filter.Exclude) != ruleText(b.Filter.Exclude))
	add("username", a.Username != b.Username)
	add("password", a.Password != b.Password) // its name only, never its value
	return out
}

func settingChanges(a, b *Config) []string {
	var out fields
	add := out.add
	add("title", a.Title != b.Title)
	add("link", a.Link != b.Link)
	add("author", a.Author != b.Author)
	add("listen", a.Listen != b.Listen)
	add("database", a.Database != b.Database)
	add("interval", a.Interval != b.Interval)
	add("entries", a.Entries != b.Entries)
	add("output_dir", a.OutputDir != b.OutputDir)
	add("concurrency", a.Concurrency != b.Concurrency)
	add("per_host", a.PerHost != b.PerHost)
	add("timeout", a.Timeout != b.Timeout)
	add("max_body_size", a.MaxBodySize != b.MaxBodySize)
	add("websub_hub", a.WebSubHub != b.WebSubHub)
	add("theme_dir", a.ThemeDir != b.ThemeDir)
	add("retention", a.Retention != b.Retention)
	add("dedup", a.Dedup != b.Dedup)
	add("new_source_entries", a.NewSourceEntries != b.NewSourceEntries)
	add("cache_size", a.CacheSize != b.CacheSize)
	add("busy_rate", a.BusyRate != b.BusyRate)
	add("connections", a.Connections != b.Connections)
	add("allow_private_networks", a.AllowPrivateNetworks != b.AllowPrivateNetworks)
	add("secret_params", !slices.Equal(a.SecretParams, b.SecretParams))
	return out
}

// ruleText is a rule's text for comparison; "" for none.
func ruleText(r *filter.Rule) string {
	if r == nil {
		return ""
	}
	return r.String()
}
