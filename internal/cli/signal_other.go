//go:build !unix

package cli

import "os"

// pollSignals make `village serve` poll every source now: none here.
var pollSignals []os.Signal
