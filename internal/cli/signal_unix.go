//go:build unix

package cli

import (
	"os"
	"syscall"
)

// pollSignals make `village serve` poll every source now.
var pollSignals = []os.Signal{syscall.SIGUSR1}
