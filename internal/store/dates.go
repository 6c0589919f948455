package store

import (
	"time"

	"github.com/villagefeeds/village/internal/model"
)

// publishedAt picks the date an entry is listed under: the source's
// published date, else its updated date, else firstSeen. A date after
// checkedAt is a clock or feed error, and would pin the entry to the top of
// the planet; firstSeen replaces it.
func publishedAt(e *model.Entry, firstSeen, checkedAt time.Time) time.Time {
	p := e.Published
	if p.IsZero() {
		p = e.Updated
	}
	if p.IsZero() || p.After(checkedAt) {
		return firstSeen
	}
	return p
}

// insertedUpdatedAt is the source's updated date for a new entry, kept
// between published and checkedAt; published when the source gave none.
func insertedUpdatedAt(e *model.Entry, published, checkedAt time.Time) time.Time {
	u := e.Updated
	switch {
	case u.IsZero() || u.Before(published):
		return published
	case u.After(checkedAt):
		return checkedAt
	}
	return u
}

// changedUpdatedAt dates an in-place change: the source's updated date if
// it moved past the stored one, else the time the change was seen.
func changedUpdatedAt(e *model.Entry, stored, published, checkedAt time.Time) time.Time {
	u := checkedAt
	if e.Updated.After(stored) && !e.Updated.After(checkedAt) {
		u = e.Updated
	}
	if u.Before(published) {
		return published
	}
	return u
}

// isDated reports whether the source gave e a date that can be believed:
// one of its own, not in the future. publishedAt falls back to first-seen
// otherwise, and such a copy counts as later than any dated one.
func isDated(e *model.Entry, checkedAt time.Time) bool {
	p := e.Published
	if p.IsZero() {
		p = e.Updated
	}
	return !p.IsZero() && !p.After(checkedAt)
}

// notLater keeps a known entry's published date from moving forward: a
// source that re-dates its archive (a new theme, a migrated blog) would
// otherwise bring old posts back to the top of the planet. A date may move
// back, as when a source first gave none and now gives one.
func notLater(published, stored time.Time) time.Time {
	if !stored.IsZero() && published.After(stored) {
		return stored
	}
	return published
}
