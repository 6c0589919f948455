//go:build !unix

package main

import (
	"errors"
	"os"
	"time"
)

// exitUsage is the CPU time of an ended child process; its peak RSS is
// unknown here.
func exitUsage(ps *os.ProcessState) (time.Duration, int64) {
	return ps.UserTime() + ps.SystemTime(), 0
}

func terminate(p *os.Process) error { return p.Kill() }

func pollNow(*os.Process) error { return errors.New("polling on demand needs SIGUSR1") }

func selfCPU() time.Duration { return 0 }
