package config

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ErrSize is returned by ParseSize for text that is not a size.
var ErrSize = errors.New("invalid size")

// sizeUnits are the suffixes ParseSize accepts, compared case-insensitively.
// Both SI ("MB") and binary ("MiB") units exist so that a size copied from
// either kind of documentation means what it says.
var sizeUnits = map[string]int64{
	"":    1,
	"b":   1,
	"kb":  1000,
	"mb":  1000 * 1000,
	"gb":  1000 * 1000 * 1000,
	"kib": 1 << 10,
	"mib": 1 << 20,
	"gib": 1 << 30,
}

// ParseSize parses a byte count such as "512KiB", "10MiB", "1MB" or "4096".
// The number is a non-negative integer; a space before the unit is allowed.
func ParseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	unit, ok := sizeUnits[strings.ToLower(strings.TrimSpace(s[i:]))]
	if i == 0 || !ok {
		return 0, fmt.Errorf("%w: %q", ErrSize, s)
	}
	n, err := strconv.ParseInt(s[:i], 10, 64)
	if err != nil || n > math.MaxInt64/unit {
		return 0, fmt.Errorf("%w: %q is too large", ErrSize, s)
	}
	return n * unit, nil
}
