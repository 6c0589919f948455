//go:build unix

package main

import (
	"os"
	"runtime"
	"syscall"
	"time"
)

// exitUsage is the CPU time and peak RSS of an ended child process.
func exitUsage(ps *os.ProcessState) (cpu time.Duration, maxRSS int64) {
	cpu = ps.UserTime() + ps.SystemTime()
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		maxRSS = int64(ru.Maxrss)
		if runtime.GOOS != "darwin" { // Linux and the BSDs count kilobytes
			maxRSS <<= 10
		}
	}
	return cpu, maxRSS
}

// terminate asks a process to stop as a service manager does.
func terminate(p *os.Process) error { return p.Signal(syscall.SIGTERM) }

// pollNow asks `village serve` to poll every source now.
func pollNow(p *os.Process) error { return p.Signal(syscall.SIGUSR1) }

// selfCPU is the CPU time this process has used: the load generator's.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
