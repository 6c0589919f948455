package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/publish"
	"github.com/villagefeeds/village/internal/refresh"
)

const (
	barWidth    = 24
	maxInFlight = 6 // sources in flight listed by name; the rest are counted
	eraseDown   = "\x1b[J"
)

// live is fetch's display on a terminal. Each source's line scrolls up as
// in a pipe; below them a block of a few lines, redrawn on every tick of
// its clock (not on results, so it moves while one source hangs), shows
// the progress, the counts and the sources in flight with how long each
// has taken. Everything is written from the redraw, so lines and block
// never interleave.
type live struct {
	w     io.Writer
	t     *tally
	c     clock
	width int

	mu       sync.Mutex
	inFlight map[int64]flight
	pending  []string // result lines not yet printed
	drawn    int      // lines of the block on screen

	quit chan struct{}
	over chan struct{}
}

type flight struct {
	name  string
	since time.Time
}

func newLive(w io.Writer, t *tally, c clock, width int) *live {
	l := &live{w: w, t: t, c: c, width: width, inFlight: map[int64]flight{},
		quit: make(chan struct{}), over: make(chan struct{})}
	go l.run()
	return l
}

func (l *live) run() {
	defer close(l.over)
	for {
		select {
		case <-l.quit:
			return
		case <-l.c.ticks:
			l.redraw(true)
		}
	}
}

func (l *live) start(s model.Source) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.inFlight[s.ID] = flight{name: publish.SourceName(s), since: l.c.now()}
}

func (l *live) done(o refresh.Outcome) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.inFlight, o.Source.ID)
	l.t.add(o)
	l.pending = append(l.pending, outcomeLine(o))
}

// finish stops the redraws, prints the lines still pending and erases the
// block, so the total follows the last line.
func (l *live) finish() {
	close(l.quit)
	<-l.over
	if l.c.stop != nil {
		l.c.stop()
	}
	l.redraw(false)
}

// redraw erases the block, prints the pending lines, and draws the block
// again when block is set.
func (l *live) redraw(block bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var b strings.Builder
	if l.drawn > 0 {
		b.WriteString("\r")
		if l.drawn > 1 {
			fmt.Fprintf(&b, "\x1b[%dA", l.drawn-1)
		}
		b.WriteString(eraseDown)
	}
	for _, line := range l.pending {
		b.WriteString(line + "\n")
	}
	l.pending = l.pending[:0]
	l.drawn = 0
	if block {
		rows := l.block()
		for i, r := range rows {
			if i > 0 {
				b.WriteString("\n")
			}
			b.WriteString(l.fit(r))
		}
		l.drawn = len(rows)
	}
	io.WriteString(l.w, b.String())
}

// block is the status line and the sources in flight, oldest first: the
// one that hangs stays on top.
func (l *live) block() []string {
	done, total := l.t.done(), l.t.sources
	filled := barWidth
	if total > 0 {
		filled = done * barWidth / total
	}
	rows := []string{fmt.Sprintf("[%s%s] %d/%d  %s  new %d",
		strings.Repeat("#", filled), strings.Repeat(".", barWidth-filled), done, total, l.t.kindsText(), l.t.new)}
	flights := make([]flight, 0, len(l.inFlight))
	for _, f := range l.inFlight {
		flights = append(flights, f)
	}
	slices.SortFunc(flights, func(a, b flight) int {
		if c := a.since.Compare(b.since); c != 0 {
			return c
		}
		return strings.Compare(a.name, b.name)
	})
	now := l.c.now()
	for i, f := range flights {
		if i == maxInFlight {
			rows = append(rows, fmt.Sprintf("  ... and %d more in flight", len(flights)-maxInFlight))
			break
		}
		rows = append(rows, fmt.Sprintf("  fetching %6s  %s", elapsed(now.Sub(f.since)), f.name))
	}
	return rows
}

// fit cuts a row to the terminal's width: a wrapped row would throw off
// the count of lines to erase.
func (l *live) fit(row string) string {
	r := []rune(row)
	if l.width > 1 && len(r) >= l.width {
		return string(r[:l.width-1])
	}
	return row
}

// elapsed writes a duration as "7s" or "2m05s".
func elapsed(d time.Duration) string {
	s := int(d.Round(time.Second).Seconds())
	if s < 60 {
		return fmt.Sprintf("%ds", s)
	}
	return fmt.Sprintf("%dm%02ds", s/60, s%60)
}

// termWidth is the terminal's width in columns, 80 when unknown.
func termWidth(w io.Writer) int {
	if f, ok := w.(interface{ Fd() uintptr }); ok {
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 0 {
			return cols
		}
	}
	return 80
}
