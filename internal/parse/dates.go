package parse

import (
	"strings"
	"time"
)

// dateLayouts are the forms we parse ourselves: gofeed parses RSS pubDate and
// Atom dates, but hands over dc:date and JSON Feed dates as text. dc:date is
// W3C-DTF (a profile of ISO 8601) and JSON Feed requires RFC 3339; the last
// layouts catch feeds that put an RFC 822 date there anyway.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02",
	"2006-01",
	"2006",
	time.RFC1123Z,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 MST",
}

// parseDate parses s in one of dateLayouts and returns it in UTC, or the zero
// time. A date without a zone is taken as UTC. Named zones other than
// GMT/UTC are refused: time.Parse would silently read them as +0000.
func parseDate(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	for _, layout := range dateLayouts {
		t, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		if strings.HasSuffix(layout, "MST") {
			if zone, _ := t.Zone(); zone != "GMT" && zone != "UTC" && zone != "UT" {
				return time.Time{}
			}
		}
		return t.UTC()
	}
	return time.Time{}
}

// utc dereferences a date gofeed parsed, or returns the zero time.
func utc(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// firstDate returns the first non-zero of dates.
func firstDate(dates ...time.Time) time.Time {
	for _, d := range dates {
		if !d.IsZero() {
			return d
		}
	}
	return time.Time{}
}
