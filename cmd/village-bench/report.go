package main

import (
	"fmt"
	"strings"
	"time"
)

// row prints one line of the table: a label column, then the figures.
func (b *bench) row(label string, figures ...string) {
	fmt.Fprintf(b.w, "%-24s %s\n", label, strings.Join(figures, "   "))
}

// warn prints a line that says a figure is not what the run should give.
func (b *bench) warn(format string, args ...any) {
	fmt.Fprintf(b.w, "%-24s %s\n", "WARNING", fmt.Sprintf(format, args...))
}

// seconds prints d as "4.1 s", or in milliseconds below a second.
func seconds(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

// millis prints d in milliseconds, with a decimal below 10 ms.
func millis(d time.Duration) string {
	if d < 10*time.Millisecond {
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%d ms", d.Milliseconds())
}

// bytesize prints n bytes in binary units.
func bytesize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// ratio prints a / b as "1.23x".
func ratio(a, b time.Duration) string {
	if b <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.2fx", float64(a)/float64(b))
}
