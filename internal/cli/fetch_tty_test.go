//go:build !windows

package cli

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/refresh"
)

// terminal is the reading end of a pseudo-terminal: what a user would see.
type terminal struct {
	mu     sync.Mutex
	out    strings.Builder
	notify chan struct{}
}

func openTerminal(t *testing.T) (*terminal, *os.File) {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 24, Cols: 100}); err != nil {
		t.Fatal(err)
	}
	term := &terminal{notify: make(chan struct{}, 1)}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := ptmx.Read(buf)
			if n > 0 {
				term.mu.Lock()
				term.out.Write(buf[:n])
				term.mu.Unlock()
				select {
				case term.notify <- struct{}{}:
				default:
				}
			}
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() { tty.Close(); ptmx.Close() })
	return term, tty
}

func (term *terminal) text() string {
	term.mu.Lock()
	defer term.mu.Unlock()
	return term.out.String()
}

// waitFor waits until the terminal shows re; the deadline only turns a
// hang into a failure.
func (term *terminal) waitFor(t *testing.T, re string) {
	t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.After(10 * time.Second)
	for !rx.MatchString(term.text()) {
		select {
		case <-term.notify:
		case <-deadline:
			t.Fatalf("the terminal never showed %s; it shows:\n%q", re, term.text())
		}
	}
}

// watched tells the test when the display heard of a start or an end.
type watched struct {
	display
	begun, ended chan string
}

func (w watched) start(s model.Source) {
	w.display.start(s)
	w.begun <- s.Name
}

func (w watched) done(o refresh.Outcome) {
	w.display.done(o)
	w.ended <- o.Source.Name
}

// TestFetchDisplayOnATerminal runs fetch's display on a pseudo-terminal,
// with a clock the test moves: while one source hangs, the display keeps
// redrawing on its ticks and shows it in flight with its elapsed time;
// every source gets one line, and the total counts the lines.
func TestFetchDisplayOnATerminal(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/fast.xml":
			fmt.Fprint(w, rssItems(rssItem("a", "https://fast.example/a", ""), rssItem("b", "https://fast.example/b", "")))
		case "/slow.xml":
			<-release
			http.Error(w, "down", http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	defer func() {
		select {
		case <-release:
		default:
			close(release)
		}
	}()
	cfg := filepath.Join(t.TempDir(), "feeds.yaml")
	writeFile(t, cfg, fmt.Sprintf("allow_private_networks: true\nfeeds:\n  - name: Fast\n    url: %[1]s/fast.xml\n  - name: Slow\n    url: %[1]s/slow.xml\n", srv.URL))
	g := &globals{config: cfg, logLevel: "error", logFormat: "text", stderr: os.Stderr}
	p, err := g.openPlanet(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()

	term, tty := openTerminal(t)
	var now atomic.Int64
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	now.Store(start.UnixNano())
	ticks := make(chan time.Time)
	c := clock{now: func() time.Time { return time.Unix(0, now.Load()) }, ticks: ticks}
	w := watched{begun: make(chan string, 2), ended: make(chan string, 2)}
	finished := make(chan error, 1)
	go func() {
		finished <- fetchWith(context.Background(), p, tty, func(t *tally) display {
			w.display = newDisplay(tty, t, func() clock { return c })
			return w
		}, false)
	}()

	// Fast is done and Slow hangs: a tick prints Fast's line and shows
	// Slow in flight.
	seen := map[string]bool{}
	for !seen["Slow"] {
		seen[<-w.begun] = true
	}
	if got := <-w.ended; got != "Fast" {
		t.Fatalf("%s ended first", got)
	}
	ticks <- start
	term.waitFor(t, `ok +200  new   2 .* Fast <`+regexp.QuoteMeta(srv.URL)+`/fast.xml>\r\n`)
	term.waitFor(t, `\[#{12}\.{12}\] 1/2  1 ok, 0 unchanged, 0 moved, 0 gone, 0 failed  new 2\r\n  fetching +0s  Slow`)

	// Nothing ends, yet the display moves on with its clock.
	now.Add(int64(12 * time.Second))
	ticks <- start
	term.waitFor(t, `fetching +12s  Slow`)
	now.Add(int64(65 * time.Second))
	ticks <- start
	term.waitFor(t, `fetching +1m17s  Slow`)

	close(release)
	if got := <-w.ended; got != "Slow" {
		t.Fatalf("%s ended last", got)
	}
	if err := <-finished; err != nil {
		t.Fatal(err)
	}
	term.waitFor(t, `total: 2 sources: 1 ok, 0 unchanged, 0 moved, 0 gone, 1 failed; 2 new`)
	out := term.text()
	for _, line := range []string{"Fast <" + srv.URL, "Slow <" + srv.URL} {
		if n := strings.Count(out, line); n != 1 {
			t.Errorf("%q is reported %d times; want once:\n%q", line, n, out)
		}
	}
	if !regexp.MustCompile(`failed +503 .* Slow <[^>]+>: fetch [^\r]*503[^\r]*\r\n(\r|\x1b\[\d*A|\x1b\[J)*total: `).MatchString(out) {
		t.Errorf("the display is not erased before the total:\n%q", out)
	}
}
