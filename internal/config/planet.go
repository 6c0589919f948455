package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Retention says how long stored entries are kept. Zero values keep
// everything, which is the default: a planet's archive is part of its value.
type Retention struct {
	MaxAge     time.Duration // entries published longer ago are pruned; 0 = no limit
	MaxEntries int           // per source, newest kept; 0 = no limit
}

// Enabled reports whether any limit is set.
func (r Retention) Enabled() bool { return r.MaxAge > 0 || r.MaxEntries > 0 }

// MinMaxAge is the shortest retention accepted: shorter would prune entries
// that sources still list, which is what tombstones are for but not what a
// planet wants.
const MinMaxAge = 24 * time.Hour

func init() {
	topKeys["websub_hub"] = func(d *decoder, c *Config, f field) { c.WebSubHub = d.httpURL(f) }
	topKeys["theme_dir"] = func(d *decoder, c *Config, f field) {
		setStr(d, f, &c.ThemeDir)
		if c.ThemeDir != "" {
			c.ThemeDir = d.resolve(c.ThemeDir, f)
		}
	}
	topKeys["retention"] = func(d *decoder, c *Config, f field) { c.Retention = d.retention(f) }
	topKeys["new_source_entries"] = func(d *decoder, c *Config, f field) {
		setInt(d, f, &c.NewSourceEntries, 0, MaxEntries)
	}
}

// retention decodes the retention mapping: max_age and max_entries.
func (d *decoder) retention(f field) Retention {
	var r Retention
	if isNull(f.val) {
		return r
	}
	fields, ok := d.fields(f.val, f.path)
	if !ok {
		return r
	}
	for _, sub := range fields {
		switch sub.name {
		case "max_age":
			r.MaxAge, _ = d.age(sub)
		case "max_entries":
			var n int
			setInt(d, sub, &n, 1, 1_000_000)
			r.MaxEntries = n
		default:
			d.add(sub.key, sub.path, "unknown key")
		}
	}
	return r
}

// age decodes a retention age, reporting a problem at its line.
func (d *decoder) age(f field) (time.Duration, bool) {
	s, ok := d.scalar(f, "a duration")
	if !ok {
		return 0, false
	}
	v, err := ParseAge(s)
	if err != nil {
		d.add(f.val, f.path, "%v", err)
		return 0, false
	}
	return v, true
}

// ParseAge parses a retention age: a Go duration, or whole days ("365d"),
// since Go durations stop at hours and retention is counted in days. It is
// at least MinMaxAge.
func ParseAge(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	var v time.Duration
	var err error
	if days, found := strings.CutSuffix(s, "d"); found {
		var n int
		n, err = strconv.Atoi(days)
		v = time.Duration(n) * 24 * time.Hour
	} else {
		v, err = time.ParseDuration(s)
	}
	if err != nil {
		return 0, fmt.Errorf(`expected a duration like "90d" or "720h", got %s`, quote(s))
	}
	if v < MinMaxAge {
		return 0, fmt.Errorf("must be at least 1d, got %s", s)
	}
	return v, nil
}
