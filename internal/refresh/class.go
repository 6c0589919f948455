package refresh

import (
	"errors"

	"github.com/villagefeeds/village/internal/fetch"
)

// stageError marks an error of a stage after the fetch, so that Class can
// tell "the feed is broken" from "the server is down".
type stageError struct {
	class string
	err   error
}

func (e *stageError) Error() string { return e.err.Error() }
func (e *stageError) Unwrap() error { return e.err }

// Class reduces a refresh error to a short, stable label for logs and
// metrics: fetch.Class's labels for fetch errors, "not_feed" when the body
// was no feed at all, "parse" for a broken feed and "store" for a database
// failure. It returns "" for nil.
func Class(err error) string {
	var se *stageError
	if errors.As(err, &se) {
		return se.class
	}
	return fetch.Class(err)
}
