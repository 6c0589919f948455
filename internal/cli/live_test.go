package cli

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/model"
)

// TestLiveBlockListsTheOldestInFlight: with more sources in flight than
// fit, the longest-running are listed and the rest counted; rows are cut
// to the terminal's width.
func TestLiveBlockListsTheOldestInFlight(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clockAt := at
	l := &live{w: io.Discard, t: newTally(10), c: clock{now: func() time.Time { return clockAt }}, width: 30, inFlight: map[int64]flight{}}
	for i := range 8 {
		clockAt = at.Add(time.Duration(i) * time.Second)
		l.start(model.Source{ID: int64(i + 1), Name: fmt.Sprintf("source number %d with a long name", i)})
	}
	clockAt = at.Add(time.Minute)
	rows := l.block()
	if len(rows) != 1+maxInFlight+1 {
		t.Fatalf("%d rows:\n%s", len(rows), strings.Join(rows, "\n"))
	}
	if !strings.Contains(rows[1], "1m00s  source number 0") || !strings.Contains(rows[maxInFlight], "55s  source number 5") {
		t.Errorf("not oldest first:\n%s", strings.Join(rows, "\n"))
	}
	if rows[len(rows)-1] != "  ... and 2 more in flight" {
		t.Errorf("last row %q", rows[len(rows)-1])
	}
	if got := l.fit(rows[1]); len([]rune(got)) != 29 {
		t.Errorf("fit(%q) = %q: not cut to the width", rows[1], got)
	}
}

func TestElapsed(t *testing.T) {
	for d, want := range map[time.Duration]string{0: "0s", 1400 * time.Millisecond: "1s", 59 * time.Second: "59s", 61 * time.Second: "1m01s", 3723 * time.Second: "62m03s"} {
		if got := elapsed(d); got != want {
			t.Errorf("elapsed(%v) = %q, want %q", d, got, want)
		}
	}
}
