package config

import (
	"time"

	"github.com/villagefeeds/village/internal/dedup"
)

// Dedup tunes how cross-posts are found. The zero value is not the default:
// see DefaultDedup.
type Dedup struct {
	// NearDuplicates turns on finding copies that are not word for word
	// (added headers and footers, teasers, edits). Off, posts are matched by
	// id, canonical URL and exact text only.
	NearDuplicates bool
	// Window is how far apart in publish date two copies may be.
	Window time.Duration
}

// Bounds of dedup.window: a day catches same-day reposts only; beyond a
// year, posts with one generic title come into reach of each other.
const (
	DefaultDedupWindow = 30 * 24 * time.Hour
	MaxDedupWindow     = 365 * 24 * time.Hour
)

// Options is d as the store takes it.
func (d Dedup) Options() dedup.Options {
	return dedup.Options{Off: !d.NearDuplicates, Window: d.Window}
}

// DefaultDedup is what a feeds.yaml without a dedup key gets.
func DefaultDedup() Dedup { return Dedup{NearDuplicates: true, Window: DefaultDedupWindow} }

func init() {
	topKeys["dedup"] = func(d *decoder, c *Config, f field) { c.Dedup = d.dedup(f) }
}

// dedup decodes the dedup mapping: near_duplicates and window.
func (d *decoder) dedup(f field) Dedup {
	out := DefaultDedup()
	if isNull(f.val) {
		return out
	}
	fields, ok := d.fields(f.val, f.path)
	if !ok {
		return out
	}
	for _, sub := range fields {
		switch sub.name {
		case "near_duplicates":
			setBool(d, sub, &out.NearDuplicates)
		case "window":
			if v, ok := d.age(sub); ok {
				if v > MaxDedupWindow {
					d.add(sub.val, sub.path, "must be at most 365d, got %s", deref(sub.val).Value)
					continue
				}
				out.Window = v
			}
		default:
			d.add(sub.key, sub.path, "unknown key")
		}
	}
	return out
}
