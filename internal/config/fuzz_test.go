package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse checks that any input gives either a valid Config or an Errors
// value whose every line names the file, and never a panic.
func FuzzParse(f *testing.F) {
	for _, tt := range errorTests {
		f.Add([]byte(tt.yml))
	}
	files, err := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	files = append(files, filepath.Join("testdata", "community", "feeds.yaml"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("feeds:\n  - &a {url: 'https://a.example/', <<: *a}\n  - <<: [*a, *a]\n    url: https://b.example/\n"))
	f.Add([]byte("feeds: [{url: 'https://a.example/', tags: &t [*t]}]\n"))
	f.Add([]byte("feeds:\n  - url: !!binary aGVsbG8=\n    name: !custom x\n"))

	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, cfgPath)
		if err != nil {
			checkErrors(t, c, err)
			return
		}
		checkConfig(t, c)
	})
}

func checkErrors(t *testing.T, c *Config, err error) {
	t.Helper()
	var errs Errors
	if c != nil || !errors.As(err, &errs) || len(errs) == 0 {
		t.Fatalf("Parse = %v, %#v; want nil and a non-empty Errors", c, err)
	}
	for _, e := range errs {
		if e.Msg == "" || !strings.HasPrefix(e.Error(), "feeds.yaml") || e.Line < 0 {
			t.Errorf("malformed error %#v", e)
		}
	}
}

func checkConfig(t *testing.T, c *Config) {
	t.Helper()
	switch {
	case !strings.HasSuffix(c.Link, "/") || !validListen(c.Listen):
		t.Errorf("Link %q, Listen %q", c.Link, c.Listen)
	case c.PerHost < 1 || c.PerHost > c.Concurrency || c.Concurrency > MaxConcurrency:
		t.Errorf("PerHost %d, Concurrency %d", c.PerHost, c.Concurrency)
	case c.Entries < 1 || c.Entries > MaxEntries || c.MaxBodySize <= 0:
		t.Errorf("Entries %d, MaxBodySize %d", c.Entries, c.MaxBodySize)
	case c.Interval < MinInterval || c.Timeout < MinTimeout:
		t.Errorf("Interval %v, Timeout %v", c.Interval, c.Timeout)
	case c.Database != ":memory:" && !filepath.IsAbs(c.Database):
		t.Errorf("Database %q is relative", c.Database)
	case c.OutputDir != "" && !filepath.IsAbs(c.OutputDir):
		t.Errorf("OutputDir %q is relative", c.OutputDir)
	}
	for i, feed := range c.Feeds {
		if feed.URL == "" || feed.Line < 1 || (feed.Interval != 0 && feed.Interval < MinInterval) {
			t.Errorf("feeds[%d] = %+v", i, feed)
		}
		for _, tag := range feed.Tags {
			if !ValidTag(tag) {
				t.Errorf("feeds[%d] has invalid tag %q", i, tag)
			}
		}
	}
}
