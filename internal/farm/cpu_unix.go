//go:build unix

package farm

import (
	"syscall"
	"time"
)

// ProcessCPU returns the user plus system CPU time of this process, for
// benchmarks that measure what their own process spent.
func ProcessCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
