package main

import (
	"fmt"
	"strings"
	"time"
)

// row prints one line of the table: a label column, then the figures.
func (b *bench) row(label string, figures ...string) {
	fmt.Fprintf(b.w, "%-16s %s\n", label, strings.Join(figures, "   "))
}

// warn prints a line that says a figure is not what the run should give.
func (b *bench) warn(format string, args ...any) {
	fmt.Fprintf(b.w, "%-16s %s\n", "WARNING", fmt.Sprintf(format, args...))
}

func (b *bench) printFarm() {
	plain, gz := b.farm.Size()
	b.row("farm", fmt.Sprintf("%d feeds in %s", len(b.farm.URLs()), seconds(b.farm.StartTime())),
		fmt.Sprintf("%s, %s gzipped", size(plain), size(gz)), "(child process)")
	if b.farm.SharedHost() {
		b.row("NOTE", fmt.Sprintf("127.0.0.2 could not be bound; the farm listens on %d ports of 127.0.0.1", b.o.hosts))
	}
}

// seconds prints d as "4.1 s", or in milliseconds below a second.
func seconds(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

// size prints n bytes in binary units.
func size(n int64) string {
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
