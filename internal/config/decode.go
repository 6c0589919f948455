package config

import (
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// topKeys maps each key allowed at the top of feeds.yaml to the code that
// decodes it. Anything else is an unknown key.
var topKeys = map[string]func(*decoder, *Config, field){
	"title":  func(d *decoder, c *Config, f field) { setStr(d, f, &c.Title) },
	"link":   func(d *decoder, c *Config, f field) { setStr(d, f, &c.Link) },
	"author": func(d *decoder, c *Config, f field) { setStr(d, f, &c.Author) },
	"listen": func(d *decoder, c *Config, f field) { setStr(d, f, &c.Listen) },
	"database": func(d *decoder, c *Config, f field) {
		setStr(d, f, &c.Database)
	},
	"output_dir": func(d *decoder, c *Config, f field) { setStr(d, f, &c.OutputDir) },
	"interval": func(d *decoder, c *Config, f field) {
		setDuration(d, f, &c.Interval, MinInterval, "1m")
	},
	"timeout": func(d *decoder, c *Config, f field) {
		setDuration(d, f, &c.Timeout, MinTimeout, "1s")
	},
	"entries": func(d *decoder, c *Config, f field) {
		setInt(d, f, &c.Entries, 1, MaxEntries)
	},
	"concurrency": func(d *decoder, c *Config, f field) {
		setInt(d, f, &c.Concurrency, 1, MaxConcurrency)
	},
	"per_host": func(d *decoder, c *Config, f field) {
		setInt(d, f, &c.PerHost, 1, MaxConcurrency)
	},
	"max_body_size": func(d *decoder, c *Config, f field) {
		if v, ok := d.size(f); ok {
			c.MaxBodySize = v
		}
	},
	"cache_size": func(d *decoder, c *Config, f field) {
		if v, ok := d.size(f); ok {
			c.CacheSize = v
		}
	},
	"busy_rate": func(d *decoder, c *Config, f field) {
		setInt(d, f, &c.BusyRate, 0, MaxBusyRate)
	},
	"feeds": func(d *decoder, c *Config, f field) { c.Feeds = d.feeds(f) },
}

// decode walks the whole file. The returned Config is only meaningful when
// d.errs stays empty.
func (d *decoder) decode(data []byte) *Config {
	c := Default()
	c.Path = d.path
	// Fields derived from others start empty; finish fills them.
	c.Author, c.Link, c.PerHost = "", "", 0
	root := d.parseYAML(data)
	if root == nil {
		if d.count == 0 {
			d.finish(c, nil) // an empty file is a planet with every default and no sources yet
		}
		return c
	}
	top, ok := d.fields(root, "")
	if !ok {
		return c
	}
	set := make(map[string]field, len(top))
	for _, f := range top {
		decodeKey, known := topKeys[f.name]
		if !known {
			d.add(f.key, f.path, "unknown key")
			continue
		}
		set[f.name] = f
		decodeKey(d, c, f)
	}
	d.finish(c, set)
	return c
}

// finish fills the defaults that depend on other fields, checks the
// fields that relate to each other and makes the paths absolute.
func (d *decoder) finish(c *Config, set map[string]field) {
	if f, ok := set["listen"]; ok && !validListen(c.Listen) {
		d.add(f.val, f.path, "must be host:port, got %s", quote(c.Listen))
	}
	if c.Author == "" {
		c.Author = c.Title
	}
	d.finishLink(c, set["link"])
	if c.PerHost == 0 {
		c.PerHost = min(DefaultPerHost, c.Concurrency)
	} else if c.PerHost > c.Concurrency {
		f := set["per_host"]
		d.add(f.val, f.path, "must be between 1 and concurrency (%d), got %d", c.Concurrency, c.PerHost)
	}
	c.Database = d.resolve(c.Database, set["database"])
	if c.OutputDir != "" {
		c.OutputDir = d.resolve(c.OutputDir, set["output_dir"])
	}
}

// finishLink checks link, or derives it from listen, and ends it with "/"
// so that relative links resolve inside the planet.
func (d *decoder) finishLink(c *Config, f field) {
	if c.Link == "" {
		c.Link = "http://" + publicHost(c.Listen) + "/"
		return
	}
	u, err := url.Parse(c.Link)
	if err != nil || !isHTTP(u) {
		d.add(f.val, f.path, "not an absolute http(s) URL")
		return
	}
	if u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		d.add(f.val, f.path, "must not have a query or fragment")
		return
	}
	if !strings.HasSuffix(c.Link, "/") {
		c.Link += "/"
	}
}

// publicHost turns a listen address into one a browser can reach:
// ":8080" and "0.0.0.0:8080" listen everywhere, so name localhost.
func publicHost(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return listen
	}
	switch host {
	case "", "0.0.0.0", "::":
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

func validListen(s string) bool {
	_, port, err := net.SplitHostPort(s)
	if err != nil {
		return false
	}
	n, err := strconv.Atoi(port)
	return err == nil && n >= 0 && n <= 65535
}

// resolve makes p absolute, relative to the directory of the config file,
// so that the daemon does not depend on the directory it was started in.
// ":memory:" is SQLite's in-memory database, not a file.
func (d *decoder) resolve(p string, f field) string {
	if p == ":memory:" {
		return p
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(filepath.Dir(d.path), p)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		d.add(f.val, f.path, "cannot make path absolute: %v", err)
		return p
	}
	return abs
}

func setStr(d *decoder, f field, dst *string) {
	if s, ok := d.str(f); ok {
		*dst = s
	}
}

func setInt(d *decoder, f field, dst *int, lo, hi int) {
	v, ok := d.integer(f)
	if !ok {
		return
	}
	if v < int64(lo) || v > int64(hi) {
		d.add(f.val, f.path, "must be between %d and %d, got %d", lo, hi, v)
		return
	}
	*dst = int(v)
}

func setDuration(d *decoder, f field, dst *time.Duration, lo time.Duration, loText string) {
	if v, ok := d.duration(f, lo, loText); ok {
		*dst = v
	}
}

// duration parses a Go duration string ("30m", "1h30m") of at least lo.
func (d *decoder) duration(f field, lo time.Duration, loText string) (time.Duration, bool) {
	s, ok := d.scalar(f, "a duration")
	if !ok {
		return 0, false
	}
	v, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		d.add(f.val, f.path, `expected a duration like "30m" or "1h30m", got %s`, quote(s))
		return 0, false
	}
	if v < lo {
		d.add(f.val, f.path, "must be at least %s, got %s", loText, s)
		return 0, false
	}
	return v, true
}

// size accepts a number of bytes or a string such as "10MiB".
func (d *decoder) size(f field) (int64, bool) {
	s, ok := d.scalar(f, "a size")
	if !ok {
		return 0, false
	}
	var v int64
	if n := deref(f.val); n.ShortTag() == intTag {
		err := n.Decode(&v)
		ok = err == nil
	} else {
		var err error
		v, err = ParseSize(s)
		ok = err == nil
	}
	if !ok {
		d.add(f.val, f.path, `expected a size like "10MiB" or a number of bytes, got %s`, quote(s))
		return 0, false
	}
	if v <= 0 {
		d.add(f.val, f.path, "must be positive, got %s", s)
		return 0, false
	}
	return v, true
}
