//go:build !unix

package farm

import "time"

// ProcessCPU is unknown here: it reads 0.
func ProcessCPU() time.Duration { return 0 }
