package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mattn/go-isatty"

	"github.com/villagefeeds/village/internal/refresh"
)

const (
	barWidth   = 30
	redrawGap  = 100 * time.Millisecond // at most ten redraws a second
	clearLine  = "\r\x1b[K"
	barFilled  = "#"
	barPending = "."
)

// progress reports the outcomes of `village fetch`. On a terminal it draws
// one bar, redrawn in place, and prints above it only the sources that need
// attention (failed, moved or gone): with hundreds of sources a line each
// would scroll the problems away. Anywhere else, such as a pipe or a log
// file, it writes one plain line per source.
type progress struct {
	w     io.Writer
	tty   bool
	total int
	done  int
	new   int
	bad   int
	drawn time.Time
	now   func() time.Time
}

func newProgress(w io.Writer, total int) *progress {
	return &progress{w: w, tty: isTerminal(w), total: total, now: time.Now}
}

// isTerminal reports whether w is a terminal, not a file or a pipe.
func isTerminal(w io.Writer) bool {
	f, ok := w.(interface{ Fd() uintptr })
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// add reports one outcome; RefreshAll calls it one outcome at a time.
func (p *progress) add(o refresh.Outcome) {
	p.done++
	p.new += o.New
	attention := o.Err != nil || o.Gone || o.MovedTo != ""
	if attention {
		p.bad++
	}
	if !p.tty {
		fmt.Fprintln(p.w, outcomeLine(o))
		return
	}
	if attention {
		fmt.Fprint(p.w, clearLine)
		fmt.Fprintln(p.w, outcomeLine(o))
		p.draw()
		return
	}
	if p.done == p.total || p.now().Sub(p.drawn) >= redrawGap {
		p.draw()
	}
}

// finish clears the bar so that the summary line takes its place.
func (p *progress) finish() {
	if p.tty {
		fmt.Fprint(p.w, clearLine)
	}
}

func (p *progress) draw() {
	p.drawn = p.now()
	fmt.Fprint(p.w, clearLine+p.bar())
}

// bar renders "[#####.........]  12/40  30%  new 7  attention 1".
func (p *progress) bar() string {
	filled, pct := barWidth, 100
	if p.total > 0 {
		filled = p.done * barWidth / p.total
		pct = p.done * 100 / p.total
	}
	return fmt.Sprintf("[%s%s] %*d/%d %3d%%  new %d  attention %d",
		strings.Repeat(barFilled, filled), strings.Repeat(barPending, barWidth-filled),
		len(fmt.Sprint(p.total)), p.done, p.total, pct, p.new, p.bad)
}
