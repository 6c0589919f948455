package site

import (
	"fmt"
	"strconv"

	"github.com/villagefeeds/village/internal/model"
)

// problem says what is wrong with s in words a blog's author understands,
// or "" when nothing is.
func problem(s model.Source) string {
	switch s.State() {
	case model.StateGone:
		return "The feed is gone: its server answered 410 Gone, so it is no longer polled."
	case model.StateMoved:
		return "The feed has moved permanently to " + s.MovedTo + "; feeds.yaml still lists the old address."
	case model.StateFailing:
		return fmt.Sprintf("The last poll failed: %s (%s in a row).", s.PublicError(), plural(s.ErrorCount, "failed poll"))
	}
	return ""
}

// timeFormat is how the page writes a time: to the minute, in UTC.
const timeFormat = "2 Jan 2006 15:04 UTC"

// fetched says how fetching s goes, for its health on the page: never
// tried, when it last worked, or since when it has been failing when it
// never worked.
func fetched(s model.Source) string {
	switch {
	case !s.LastSuccess.IsZero():
		return "last successful fetch: " + s.LastSuccess.UTC().Format(timeFormat)
	case s.State() == model.StateNew:
		return "not fetched yet"
	case !s.FailingSince.IsZero():
		return "last successful fetch: never (failing since " + s.FailingSince.UTC().Format(timeFormat) + ")"
	}
	return "last successful fetch: never"
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}
