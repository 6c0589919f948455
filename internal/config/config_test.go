package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/model"
)

// dir is where the test configs pretend to live.
var dir = filepath.FromSlash("/srv/planet")

var cfgPath = filepath.Join(dir, "feeds.yaml")

const oneFeed = "feeds:\n  - url: https://kubernetes.io/feed.xml\n"

// defaults is what oneFeed decodes to.
func defaults() *Config {
	return &Config{
		Path:        cfgPath,
		Title:       "Planet",
		Link:        "http://127.0.0.1:8080/",
		Author:      "Planet",
		Listen:      "127.0.0.1:8080",
		Database:    filepath.Join(dir, "village.db"),
		Interval:    30 * time.Minute,
		Entries:     50,
		Concurrency: 8,
		PerHost:     2,
		Timeout:     30 * time.Second,
		MaxBodySize: 10 << 20,
		Dedup:       Dedup{NearDuplicates: true, Window: 30 * 24 * time.Hour},
		Connections: 64,
		CacheSize:   32 << 20,
		BusyRate:    100,
		Feeds:       []Feed{{URL: "https://kubernetes.io/feed.xml", Line: 2}},

		NewSourceEntries: 5,
	}
}

func mustParse(t *testing.T, yml string) *Config {
	t.Helper()
	c, err := Parse([]byte(yml), cfgPath)
	if err != nil {
		t.Fatalf("Parse:\n%s\nerror:\n%v", yml, err)
	}
	return c
}

func TestDefault(t *testing.T) {
	want := defaults()
	want.Path, want.Database, want.Feeds = "", "village.db", nil
	if got := Default(); !reflect.DeepEqual(got, want) {
		t.Errorf("Default() =\n%+v\nwant\n%+v", got, want)
	}
}

// TestParseTop sets one top-level key at a time on top of oneFeed and
// expects the defaults with exactly that change.
func TestParseTop(t *testing.T) {
	tests := []struct {
		name string
		yml  string // appended to oneFeed
		want func(c *Config)
	}{
		{"nothing set", "", func(c *Config) {}},
		{"title is the default author", "title: Planet Kubernetes\n", func(c *Config) {
			c.Title, c.Author = "Planet Kubernetes", "Planet Kubernetes"
		}},
		{"author", "title: T\nauthor: SIG ContribEx\n", func(c *Config) { c.Title, c.Author = "T", "SIG ContribEx" }},
		{"empty author falls back to title", "title: T\nauthor: ''\n", func(c *Config) { c.Title, c.Author = "T", "T" }},
		{"null values are unset", "title: ~\nentries: ~\nmax_body_size:\ninterval: null\n", func(c *Config) {}},
		{"strings are trimmed", "title: '  Spaced  '\n", func(c *Config) { c.Title, c.Author = "Spaced", "Spaced" }},
		{"number as title", "title: 2024\n", func(c *Config) { c.Title, c.Author = "2024", "2024" }},
		{"link gets a slash", "link: https://planet.example.org/k8s\n", func(c *Config) { c.Link = "https://planet.example.org/k8s/" }},
		{"link keeps its slash", "link: https://planet.example.org/\n", func(c *Config) { c.Link = "https://planet.example.org/" }},
		{"link follows listen", "listen: 127.0.0.1:9000\n", func(c *Config) {
			c.Listen, c.Link = "127.0.0.1:9000", "http://127.0.0.1:9000/"
		}},
		{"listen on all interfaces", "listen: :8080\n", func(c *Config) { c.Listen, c.Link = ":8080", "http://localhost:8080/" }},
		{"listen 0.0.0.0", "listen: 0.0.0.0:80\n", func(c *Config) { c.Listen, c.Link = "0.0.0.0:80", "http://localhost:80/" }},
		{"listen ipv6", "listen: '[::1]:8080'\n", func(c *Config) { c.Listen, c.Link = "[::1]:8080", "http://[::1]:8080/" }},
		{"explicit link wins over listen", "listen: :9000\nlink: https://p.example/\n", func(c *Config) {
			c.Listen, c.Link = ":9000", "https://p.example/"
		}},
		{"database relative", "database: data/planet.db\n", func(c *Config) { c.Database = filepath.Join(dir, "data", "planet.db") }},
		{"database dot-dot", "database: ../var/v.db\n", func(c *Config) { c.Database = filepath.FromSlash("/srv/var/v.db") }},
		{"database absolute", "database: /var/lib/village/v.db\n", func(c *Config) { c.Database = filepath.FromSlash("/var/lib/village/v.db") }},
		{"database in memory", "database: ':memory:'\n", func(c *Config) { c.Database = ":memory:" }},
		{"output_dir relative", "output_dir: public\n", func(c *Config) { c.OutputDir = filepath.Join(dir, "public") }},
		{"output_dir absolute", "output_dir: /var/www/planet/\n", func(c *Config) { c.OutputDir = filepath.FromSlash("/var/www/planet") }},
		{"interval", "interval: 1h30m\n", func(c *Config) { c.Interval = 90 * time.Minute }},
		{"interval minimum", "interval: 1m\n", func(c *Config) { c.Interval = time.Minute }},
		{"interval fractional", "interval: 1.5h\n", func(c *Config) { c.Interval = 90 * time.Minute }},
		{"timeout", "timeout: 5s\n", func(c *Config) { c.Timeout = 5 * time.Second }},
		{"entries", "entries: 10000\n", func(c *Config) { c.Entries = 10000 }},
		{"entries one", "entries: 1\n", func(c *Config) { c.Entries = 1 }},
		{"new_source_entries", "new_source_entries: 20\n", func(c *Config) { c.NewSourceEntries = 20 }},
		{"new_source_entries off", "new_source_entries: 0\n", func(c *Config) { c.NewSourceEntries = 0 }},
		{"concurrency caps per_host default", "concurrency: 1\n", func(c *Config) { c.Concurrency, c.PerHost = 1, 1 }},
		{"per_host up to concurrency", "concurrency: 4\nper_host: 4\n", func(c *Config) { c.Concurrency, c.PerHost = 4, 4 }},
		{"concurrency max", "concurrency: 256\n", func(c *Config) { c.Concurrency = 256 }},
		{"size in bytes", "max_body_size: 4096\n", func(c *Config) { c.MaxBodySize = 4096 }},
		{"size hex", "max_body_size: 0x1000\n", func(c *Config) { c.MaxBodySize = 4096 }},
		{"size KiB", "max_body_size: 512KiB\n", func(c *Config) { c.MaxBodySize = 512 << 10 }},
		{"size MiB spaced", "max_body_size: 10 MiB\n", func(c *Config) { c.MaxBodySize = 10 << 20 }},
		{"size MB", "max_body_size: 1MB\n", func(c *Config) { c.MaxBodySize = 1000000 }},
		{"size quoted bytes", "max_body_size: '2048'\n", func(c *Config) { c.MaxBodySize = 2048 }},
		{"dedup window", "dedup:\n  window: 7d\n", func(c *Config) { c.Dedup.Window = 7 * 24 * time.Hour }},
		{"dedup off", "dedup:\n  near_duplicates: false\n", func(c *Config) { c.Dedup.NearDuplicates = false }},
		{"dedup empty", "dedup:\n", func(c *Config) {}},
		{"cache size", "cache_size: 8MiB\n", func(c *Config) { c.CacheSize = 8 << 20 }},
		{"busy rate", "busy_rate: 50\n", func(c *Config) { c.BusyRate = 50 }},
		{"busy rate off", "busy_rate: 0\n", func(c *Config) { c.BusyRate = 0 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := defaults()
			tt.want(want)
			if got := mustParse(t, oneFeed+tt.yml); !reflect.DeepEqual(got, want) {
				t.Errorf("got\n%+v\nwant\n%+v", got, want)
			}
		})
	}
}

func TestParseRelativeConfigPath(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path       string
		wantDB     string
		wantOutput string
	}{
		{"feeds.yaml", filepath.Join(wd, "village.db"), filepath.Join(wd, "out")},
		{filepath.Join("conf", "feeds.yaml"), filepath.Join(wd, "conf", "village.db"), filepath.Join(wd, "conf", "out")},
		{"", filepath.Join(wd, "village.db"), filepath.Join(wd, "out")},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			c, err := Parse([]byte("output_dir: out\n"+oneFeed), tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if c.Database != tt.wantDB || c.OutputDir != tt.wantOutput || c.Path != tt.path {
				t.Errorf("Path, Database, OutputDir = %q, %q, %q; want %q, %q, %q",
					c.Path, c.Database, c.OutputDir, tt.path, tt.wantDB, tt.wantOutput)
			}
		})
	}
}

func TestParseFeeds(t *testing.T) {
	tests := []struct {
		name string
		yml  string
		want []Feed
	}{
		{"canonical", "feeds:\n  - url: https://kubernetes.io/feed.xml\n    canonical: true\n",
			[]Feed{{URL: "https://kubernetes.io/feed.xml", Canonical: true, Line: 2}}},
		{"all fields", `feeds:
  - name: Kubernetes Blog
    url: https://kubernetes.io/feed.xml
    homepage: https://kubernetes.io/blog/
    tags: [project, release]
    interval: 15m
`, []Feed{{Name: "Kubernetes Blog", URL: "https://kubernetes.io/feed.xml", Homepage: "https://kubernetes.io/blog/",
			Tags: []string{"project", "release"}, Interval: 15 * time.Minute, Line: 2}}},
		{"tags trimmed, lower-cased, de-duplicated", `feeds:
  - url: https://kubernetes.io/feed.xml
    tags: [" SIG-Docs ", k8s, K8S, sig-docs, v1.30, a_b]
`, []Feed{{URL: "https://kubernetes.io/feed.xml", Tags: []string{"sig-docs", "k8s", "v1.30", "a_b"}, Line: 2}}},
		{"null and empty optional fields", `feeds:
  - url: https://kubernetes.io/feed.xml
    name:
    homepage: ""
    tags: []
    interval: ~
`, []Feed{{URL: "https://kubernetes.io/feed.xml", Line: 2}}},
		{"url as written", `feeds:
  - url: "  HTTPS://Kubernetes.io/Feed.xml  "
`, []Feed{{URL: "HTTPS://Kubernetes.io/Feed.xml", Line: 2}}},
		{"lines of items", `# a comment
feeds:
  - url: https://a.example/feed
  -
    url: https://b.example/feed
  - {url: https://c.example/feed}
`, []Feed{
			{URL: "https://a.example/feed", Line: 3},
			{URL: "https://b.example/feed", Line: 5},
			{URL: "https://c.example/feed", Line: 6},
		}},
		{"same host, other paths and schemes are distinct", `feeds:
  - url: https://kubernetes.io/feed.xml
  - url: https://kubernetes.io/Feed.xml
  - url: http://kubernetes.io/feed.xml
  - url: https://kubernetes.io/feed.xml?lang=de
  - {name: A, url: https://a.example/}
  - {name: B, url: https://b.example/}
`, []Feed{
			{URL: "https://kubernetes.io/feed.xml", Line: 2},
			{URL: "https://kubernetes.io/Feed.xml", Line: 3},
			{URL: "http://kubernetes.io/feed.xml", Line: 4},
			{URL: "https://kubernetes.io/feed.xml?lang=de", Line: 5},
			{Name: "A", URL: "https://a.example/", Line: 6},
			{Name: "B", URL: "https://b.example/", Line: 7},
		}},
		{"merge keys share fields", `feeds:
  - &k8s
    url: https://kubernetes.io/feed.xml
    tags: [k8s]
    interval: 2h
  - <<: *k8s
    url: https://www.kubernetes.dev/feed.xml
    name: Contributors
`, []Feed{
			{URL: "https://kubernetes.io/feed.xml", Tags: []string{"k8s"}, Interval: 2 * time.Hour, Line: 2},
			{Name: "Contributors", URL: "https://www.kubernetes.dev/feed.xml", Tags: []string{"k8s"}, Interval: 2 * time.Hour, Line: 6},
		}},
		{"alias values", `feeds:
  - url: https://a.example/feed
    tags: &t [x, y]
  - url: https://b.example/feed
    tags: *t
`, []Feed{
			{URL: "https://a.example/feed", Tags: []string{"x", "y"}, Line: 2},
			{URL: "https://b.example/feed", Tags: []string{"x", "y"}, Line: 4},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustParse(t, tt.yml)
			if !reflect.DeepEqual(c.Feeds, tt.want) {
				t.Errorf("Feeds =\n%+v\nwant\n%+v", c.Feeds, tt.want)
			}
		})
	}
}

func TestSources(t *testing.T) {
	c := mustParse(t, `feeds:
  - name: Kubernetes Blog
    url: https://kubernetes.io/feed.xml
    homepage: https://kubernetes.io/blog/
    tags: [project]
    interval: 15m
  - url: https://www.cncf.io/feed/
`)
	want := []model.Source{
		{Name: "Kubernetes Blog", URL: "https://kubernetes.io/feed.xml", Homepage: "https://kubernetes.io/blog/",
			Tags: []string{"project"}, Interval: 15 * time.Minute, Active: true},
		{URL: "https://www.cncf.io/feed/", Active: true},
	}
	got := c.Sources()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Sources() =\n%+v\nwant\n%+v", got, want)
	}
	got[0].Tags[0] = "changed"
	if c.Feeds[0].Tags[0] != "project" {
		t.Error("Sources shares its Tags slice with the Config")
	}
}

func TestLoad(t *testing.T) {
	tests := []struct {
		path    string
		feeds   int
		wantErr error
	}{
		{filepath.Join("testdata", "kubernetes.yaml"), 6, nil},
		{filepath.Join("testdata", "community", "feeds.yaml"), 4, nil},
		{filepath.Join("testdata", "missing.yaml"), 0, fs.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			c, err := Load(tt.path)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Load error = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				var missing *MissingError
				if c != nil || !errors.As(err, &missing) || missing.Path != tt.path {
					t.Errorf("Load = %v, %q; want nil and a *MissingError naming the file", c, err)
				}
				return
			}
			if len(c.Feeds) != tt.feeds {
				t.Errorf("%d feeds, want %d", len(c.Feeds), tt.feeds)
			}
		})
	}
}

// TestLoadExample pins every value of the commented example file.
func TestLoadExample(t *testing.T) {
	path := filepath.Join("testdata", "kubernetes.yaml")
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		Path:        path,
		Title:       "Planet Kubernetes",
		Link:        "https://planet.k8s.example.org/",
		Author:      "Kubernetes Contributor Experience (SIG ContribEx)",
		Listen:      "127.0.0.1:8089",
		Database:    filepath.Join(abs, "data", "planet.db"),
		Interval:    time.Hour,
		Entries:     100,
		OutputDir:   filepath.Join(abs, "public"),
		Concurrency: 16,
		PerHost:     2,
		Timeout:     45 * time.Second,
		MaxBodySize: 8 << 20,
		Dedup:       Dedup{NearDuplicates: true, Window: 30 * 24 * time.Hour},
		Connections: 64,
		CacheSize:   32 << 20,
		BusyRate:    100,
		Feeds: []Feed{
			{Name: "Kubernetes Blog", URL: "https://kubernetes.io/feed.xml", Homepage: "https://kubernetes.io/blog/",
				Tags: []string{"project", "release"}, Interval: 30 * time.Minute, Line: 24},
			{Name: "Kubernetes Contributors", URL: "https://www.kubernetes.dev/feed.xml", Homepage: "https://www.kubernetes.dev/blog/",
				Tags: []string{"contributors", "community"}, Line: 30},
			{Name: "CNCF Blog", URL: "https://www.cncf.io/feed/", Homepage: "https://www.cncf.io/blog/",
				Tags: []string{"cncf", "community"}, Line: 36},
			{Name: "etcd", URL: "https://etcd.io/blog/index.xml", Homepage: "https://etcd.io/blog/",
				Tags: []string{"storage"}, Line: 43},
			{URL: "https://example.com/alice/atom.xml", Homepage: "https://example.com/alice/",
				Tags: []string{"sig-node", "contributors"}, Interval: 6 * time.Hour, Line: 50},
			{URL: "https://bob.example.net/index.xml", Tags: []string{"sig-docs"}, Line: 55},
		},
		NewSourceEntries: 5,
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("Load(%s) =\n%+v\nwant\n%+v", path, c, want)
	}
}
