package config

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const oneSource = "feeds:\n  - url: https://blog.example.org/feed.xml\n"

func TestPlanetKeys(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "feeds.yaml")
	c, err := Parse([]byte("websub_hub: https://hub.example.org/\ntheme_dir: theme\nretention:\n  max_age: 90d\n  max_entries: 500\n"+oneSource), path)
	if err != nil {
		t.Fatal(err)
	}
	if c.WebSubHub != "https://hub.example.org/" || c.ThemeDir != filepath.Join(dir, "theme") {
		t.Errorf("websub_hub %q theme_dir %q", c.WebSubHub, c.ThemeDir)
	}
	if c.Retention != (Retention{MaxAge: 90 * 24 * time.Hour, MaxEntries: 500}) || !c.Retention.Enabled() {
		t.Errorf("retention %+v", c.Retention)
	}
	c, err = Parse([]byte("retention:\n  max_age: 720h\n"+oneSource), path)
	if err != nil || c.Retention.MaxAge != 720*time.Hour {
		t.Errorf("max_age 720h: %+v, %v", c, err)
	}
	if c, _ := Parse([]byte(oneSource), path); c.Retention.Enabled() {
		t.Error("retention is on by default; want keep everything")
	}
}

func TestPlanetKeyErrors(t *testing.T) {
	for _, tt := range []struct{ yaml, want string }{
		{"websub_hub: hub\n", "feeds.yaml:1: websub_hub: not an absolute http(s) URL"},
		{"retention:\n  max_age: soon\n", `feeds.yaml:2: retention.max_age: expected a duration like "90d" or "720h", got "soon"`},
		{"retention:\n  max_age: 1h\n", "feeds.yaml:2: retention.max_age: must be at least 1d, got 1h"},
		{"retention:\n  max_entries: 0\n", "feeds.yaml:2: retention.max_entries: must be between 1 and 1000000, got 0"},
		{"retention:\n  keep: all\n", "feeds.yaml:2: retention.keep: unknown key"},
	} {
		_, err := Parse([]byte(tt.yaml+oneSource), "feeds.yaml")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error %v; want %q", tt.yaml, err, tt.want)
		}
	}
}
