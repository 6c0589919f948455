//go:build unix

package main

import (
	"runtime"
	"syscall"
	"time"
)

// usage is what getrusage says about this process.
type usage struct {
	cpu    time.Duration // user + system
	maxRSS int64         // bytes
}

func getUsage() usage {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return usage{}
	}
	rss := int64(ru.Maxrss)
	if runtime.GOOS != "darwin" { // Linux and the BSDs count kilobytes
		rss <<= 10
	}
	return usage{cpu: time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), maxRSS: rss}
}
