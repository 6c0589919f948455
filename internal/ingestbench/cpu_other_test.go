//go:build !unix

package ingestbench

import "time"

// processCPU is unknown here: the CPU figures read 0.
func processCPU() time.Duration { return 0 }
