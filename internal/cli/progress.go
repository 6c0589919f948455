package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mattn/go-isatty"

	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/publish"
	"github.com/villagefeeds/village/internal/refresh"
)

// display reports what `village fetch` does: start is called as a source's
// fetch begins, done when its refresh ends (one call at a time), finish
// once all are done, before the total.
type display interface {
	start(model.Source)
	done(refresh.Outcome)
	finish()
}

// tally counts outcomes the one way every report counts them.
type tally struct {
	sources             int
	kinds               map[string]int
	new, updated, dupes int
}

func newTally(sources int) *tally { return &tally{sources: sources, kinds: map[string]int{}} }

func (t *tally) add(o refresh.Outcome) {
	t.kinds[o.Kind()]++
	t.new += o.New
	t.updated += o.Updated
	t.dupes += o.Duplicates
}

// done is how many outcomes were counted.
func (t *tally) done() int {
	n := 0
	for _, v := range t.kinds {
		n += v
	}
	return n
}

// kindsText is "1 ok, 0 unchanged, 0 moved, 1 gone, 2 failed".
func (t *tally) kindsText() string {
	parts := make([]string, len(refresh.Kinds))
	for i, k := range refresh.Kinds {
		parts[i] = fmt.Sprintf("%d %s", t.kinds[k], k)
	}
	return strings.Join(parts, ", ")
}

// total is the last line of `village fetch`.
func (t *tally) total(elapsed time.Duration) string {
	return fmt.Sprintf("total: %d sources: %s; %d new, %d updated, %d duplicates in %s",
		t.sources, t.kindsText(), t.new, t.updated, t.dupes, elapsed.Round(time.Millisecond))
}

// outcomeLine is the one line that reports a source's refresh.
func outcomeLine(o refresh.Outcome) string {
	line := fmt.Sprintf("%-9s %3d  new %3d  updated %3d  duplicates %3d  %s <%s>",
		o.Kind(), o.Status, o.New, o.Updated, o.Duplicates, publish.SourceName(o.Source), o.Source.URL)
	switch o.Kind() {
	case refresh.KindGone:
		line += ": " + refresh.GoneFix(o.Source.URL)
	case refresh.KindFailed:
		line += ": " + o.Err.Error()
	case refresh.KindMoved:
		line += ": moved permanently: " + refresh.MoveFix(o.Source.URL, o.MovedTo)
	}
	if notes := outcomeNotes(o); o.Err == nil && len(notes) > 0 {
		line += ": " + strings.Join(notes, "; ")
	}
	return line
}

// outcomeNotes are what the refresh had to repair, skip or guess.
func outcomeNotes(o refresh.Outcome) []string {
	notes := o.Notes
	if o.Skipped > 0 {
		notes = append(notes, fmt.Sprintf("%d items skipped: nothing to know them by", o.Skipped))
	}
	return notes
}

// lines writes one plain line per source, as they end: for a pipe, a
// file or cron's mail.
type lines struct {
	w io.Writer
	t *tally
}

func (l *lines) start(model.Source) {}

func (l *lines) done(o refresh.Outcome) {
	l.t.add(o)
	fmt.Fprintln(l.w, outcomeLine(o))
}

func (l *lines) finish() {}

// isTerminal reports whether w is a terminal, not a file or a pipe.
func isTerminal(w io.Writer) bool {
	f, ok := w.(interface{ Fd() uintptr })
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// clock is what the live display needs of time, injected so a test can
// drive it without sleeping.
type clock struct {
	now   func() time.Time
	ticks <-chan time.Time // each tick redraws the display
	stop  func()           // stops the ticks
}

// redrawEvery is how often the live display redraws: often enough that the
// elapsed times tick, seldom enough to cost nothing.
const redrawEvery = 250 * time.Millisecond

func realClock() clock {
	t := time.NewTicker(redrawEvery)
	return clock{now: time.Now, ticks: t.C, stop: t.Stop}
}

// newDisplay returns the live display on a terminal, plain lines elsewhere.
func newDisplay(w io.Writer, t *tally, c func() clock) display {
	if !isTerminal(w) {
		return &lines{w: w, t: t}
	}
	return newLive(w, t, c(), termWidth(w))
}
