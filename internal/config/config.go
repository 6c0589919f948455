// Package config loads feeds.yaml into a plain Config, strictly, reporting every problem with its file, line and field.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"time"

	"github.com/villagefeeds/village/internal/filter"
	"github.com/villagefeeds/village/internal/model"
)

// Defaults and limits. They are exported so that the CLI and the docs can
// quote them instead of repeating the numbers.
const (
	DefaultTitle       = "Planet"
	DefaultListen      = "127.0.0.1:8080"
	DefaultDatabase    = "village.db"
	DefaultInterval    = 30 * time.Minute
	DefaultEntries     = 50
	DefaultConcurrency = 8
	DefaultPerHost     = 2
	DefaultTimeout     = 30 * time.Second
	DefaultMaxBodySize = 10 << 20
	// DefaultNewSourceEntries is how many new entries one poll of a source
	// may put on the merged feed's newest page.
	DefaultNewSourceEntries = 5
	DefaultCacheSize        = 32 << 20
	// DefaultBusyRate is how many documents a second serve answers while
	// it parses and stores feeds (see BusyRate).
	DefaultBusyRate = 100
	MaxBusyRate     = 1000000

	MinInterval    = time.Minute
	MinTimeout     = time.Second
	MaxEntries     = 10000
	MaxConcurrency = 256
)

// Config is the whole of feeds.yaml after defaults, validation and path
// resolution. Other packages receive the parts they need as option structs;
// they do not import config.
type Config struct {
	Path        string        // the file it was loaded from, as given
	Title       string        // default "Planet"
	Link        string        // public URL of the planet; always ends with "/"
	Author      string        // default: Title
	Listen      string        // host:port; default "127.0.0.1:8080"
	Database    string        // absolute after Load/Parse; default "village.db" next to the file
	Interval    time.Duration // default poll interval; at least 1m
	Entries     int           // entries in the merged feed, 1..10000
	OutputDir   string        // optional; absolute after Load/Parse
	Concurrency int           // fetches at once, 1..256
	PerHost     int           // fetches at once per host, 1..Concurrency
	Timeout     time.Duration // total per-fetch timeout; at least 1s
	MaxBodySize int64         // bytes; positive
	CacheSize   int64         // bytes of rendered documents kept in memory; positive, default 32 MiB
	WebSubHub   string        // optional WebSub hub URL, pinged after every change of a feed
	ThemeDir    string        // optional directory overriding the embedded templates and stylesheet; absolute
	Retention   Retention     // how long entries are kept; zero keeps everything
	Dedup       Dedup         // how cross-posts are found
	// NewSourceEntries is how many new entries one poll of a source may put
	// on the merged feed's newest page (a new source, or one that re-dates
	// its archive); the others are listed below it. 0 means no limit.
	NewSourceEntries int

	Connections int // requests waiting on the network at once, 1..1024; default 64
	// BusyRate is how many documents a second serve answers while feeds
	// are being parsed and stored; more requests wait their turn, so that
	// readers cannot slow the polls. 0 answers every request at once.
	BusyRate int

	// AllowPrivateNetworks lets village fetch from loopback, private,
	// link-local and other non-public addresses: an intranet planet, or
	// tests. Off by default, since feed URLs come from other people.
	AllowPrivateNetworks bool
	// SecretParams are query parameters to hide in everything published
	// or logged, besides redact.DefaultParams; lower-case.
	SecretParams []string

	Feeds []Feed
}

// Feed is one item of the feeds list.
type Feed struct {
	Name     string        // optional; empty means "use the feed's own title"
	URL      string        // absolute http(s) URL, as written
	Homepage string        // optional absolute http(s) URL
	Tags     []string      // lower-cased, de-duplicated, in file order
	Interval time.Duration // 0 means the planet's Interval; otherwise at least 1m
	Face     string        // optional: an absolute http(s) image URL, or the absolute path of an image file
	Filter   filter.Filter // which of its posts the planet shows; the zero Filter shows all
	// Canonical marks the original publisher: its copy of a cross-post is
	// the entry, whichever copy was published first.
	Canonical bool
	Line      int // line of this list item in the file

	// Username and Password are sent as HTTP basic auth to the feed's own
	// host. The password comes from password_file or password_env.
	Username, Password string
	// PasswordFile is the absolute path of password_file, "" for none: a
	// running daemon reads it again when it changes.
	PasswordFile string
}

// PasswordFiles lists the files the config reads passwords from, each
// once, in file order.
func (c *Config) PasswordFiles() []string {
	var out []string
	for _, f := range c.Feeds {
		if f.PasswordFile != "" && !slices.Contains(out, f.PasswordFile) {
			out = append(out, f.PasswordFile)
		}
	}
	return out
}

// Default returns the configuration an empty file would give if it listed
// feeds: every default set, paths still relative, no feeds.
func Default() *Config {
	return &Config{
		Title:       DefaultTitle,
		Link:        "http://" + DefaultListen + "/",
		Author:      DefaultTitle,
		Listen:      DefaultListen,
		Database:    DefaultDatabase,
		Interval:    DefaultInterval,
		Entries:     DefaultEntries,
		Concurrency: DefaultConcurrency,
		PerHost:     DefaultPerHost,
		Timeout:     DefaultTimeout,
		MaxBodySize: DefaultMaxBodySize,
		Dedup:       DefaultDedup(),

		NewSourceEntries: DefaultNewSourceEntries,
		Connections:      DefaultConnections,
		CacheSize:        DefaultCacheSize,
		BusyRate:         DefaultBusyRate,
	}
}

// Load reads and parses the file at path. A missing file is a
// *MissingError; another read failure is returned wrapped; a bad file gives
// an Errors value listing every problem found.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, readError(path, err)
	}
	return Parse(data, path)
}

// MissingError is the error of a command run where there is no feeds.yaml
// yet: a new user's first step, to be answered with how to make one.
type MissingError struct {
	Path string
	Err  error
}

func (e *MissingError) Error() string { return e.Path + ": no such file" }

// Unwrap lets errors.Is(err, fs.ErrNotExist) hold.
func (e *MissingError) Unwrap() error { return e.Err }

// readError wraps a failure to read the config at path, a missing file as a
// *MissingError.
func readError(path string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return &MissingError{Path: path, Err: err}
	}
	return fmt.Errorf("load config: %w", err)
}

// Parse decodes data as the contents of path. The path names the file in
// error messages and anchors relative database and output paths; it is not
// read. On failure the error is always an Errors value and the Config nil.
func Parse(data []byte, path string) (*Config, error) {
	d := newDecoder(path)
	c := d.decode(data)
	if err := d.report(); err != nil {
		return nil, err
	}
	return c, nil
}

// Filters returns the filter of every feed that has one, by feed URL, as
// the refresher applies them between parse and store.
func (c *Config) Filters() map[string]filter.Filter {
	out := map[string]filter.Filter{}
	for _, f := range c.Feeds {
		if !f.Filter.IsZero() {
			out[f.URL] = f.Filter
		}
	}
	return out
}

// Sources returns the feeds as store-ready sources: no ID yet, active.
func (c *Config) Sources() []model.Source {
	out := make([]model.Source, len(c.Feeds))
	for i, f := range c.Feeds {
		out[i] = model.Source{
			Name:      f.Name,
			URL:       f.URL,
			Homepage:  f.Homepage,
			Tags:      slices.Clone(f.Tags),
			Interval:  f.Interval,
			Face:      f.Face,
			Canonical: f.Canonical,
			Active:    true,
		}
	}
	return out
}
