//go:build !unix

package farm

import "time"

// processCPU is unknown here.
func processCPU() time.Duration { return 0 }
