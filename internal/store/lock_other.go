//go:build !unix

package store

import (
	"errors"
	"os"
)

var errLocked = errors.New("locked")

// tryLock is a no-op where flock does not exist: one daemon per database
// is then up to the operator.
func tryLock(*os.File) error { return nil }
