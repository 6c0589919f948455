package config

import (
	"errors"
	"testing"
)

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true},
		{"4096", 4096, true},
		{"4096B", 4096, true},
		{"1KB", 1000, true},
		{"1kb", 1000, true},
		{"512KiB", 512 << 10, true},
		{"10MiB", 10 << 20, true},
		{"10 MiB", 10 << 20, true},
		{" 10mib ", 10 << 20, true},
		{"1MB", 1000000, true},
		{"2GB", 2000000000, true},
		{"1GiB", 1 << 30, true},
		{"8589934591GiB", 8589934591 << 30, true},
		{"8589934592GiB", 0, false}, // overflows int64
		{"99999999999999999999", 0, false},
		{"", 0, false},
		{"MiB", 0, false},
		{"-1MiB", 0, false},
		{"1.5MiB", 0, false},
		{"10M", 0, false},
		{"10 parsecs", 0, false},
		{"0x10", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseSize(tt.in)
		if tt.ok && (err != nil || got != tt.want) {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
		if !tt.ok && !errors.Is(err, ErrSize) {
			t.Errorf("ParseSize(%q) = %d, %v; want ErrSize", tt.in, got, err)
		}
	}
}
