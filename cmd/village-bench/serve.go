package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
)

// serveProc is a running `village serve`, its address and what its log
// said.
type serveProc struct {
	cmd    *exec.Cmd
	base   string        // http://host:port
	start  time.Time     // when it was started
	listen time.Duration // until it accepted a connection
	log    *logWatch
	exited chan error

	stopOnce sync.Once
	stopErr  error
}

// startServe starts `village serve` on config and returns once it accepts
// connections. It logs JSON at debug level: the bench follows the polls
// ("refreshed") and the renders ("published") in it.
func startServe(ctx context.Context, bin, config string) (*serveProc, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "serve", "--config", config, "--listen", addr, "--log-format", "json", "--log-level", "debug")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	s := &serveProc{cmd: cmd, base: "http://" + addr, log: newLogWatch(), exited: make(chan error, 1)}
	s.start = time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start village serve: %w", err)
	}
	go s.log.read(stderr)
	go func() { s.exited <- cmd.Wait() }()
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			s.listen = time.Since(s.start)
			return s, nil
		}
		select {
		case err := <-s.exited:
			return nil, fmt.Errorf("village serve exited before listening: %v\n%s", err, s.log.tail())
		case <-ctx.Done():
			s.stop()
			return nil, ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
	}
}

// freeAddr returns a loopback address no one listens on.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// peakRSS is the process's peak resident memory so far.
func (s *serveProc) peakRSS() int64 { return procStatus(s.cmd.Process.Pid, "VmHWM") }

// cpu is the CPU time the process has used so far.
func (s *serveProc) cpu() time.Duration { return procCPU(s.cmd.Process.Pid) }

// stop ends the process as a service manager does and waits for it; a
// second call returns what the first did.
func (s *serveProc) stop() error {
	s.stopOnce.Do(func() {
		terminate(s.cmd.Process)
		select {
		case err := <-s.exited:
			s.stopErr = err
		case <-time.After(30 * time.Second):
			s.cmd.Process.Kill()
			s.stopErr = errors.New("village serve did not stop within 30s of SIGTERM")
		}
	})
	return s.stopErr
}

// get fetches path and returns how long it took and the status.
func (s *serveProc) get(ctx context.Context, path string) (time.Duration, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.base+path, nil)
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Accept-Encoding", "gzip")
	t0 := time.Now()
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return 0, 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return time.Since(t0), resp.StatusCode, err
}

// logLine is what the bench keeps of a line of village's JSON log.
type logLine struct {
	at       time.Time // the line's own time
	msg      string
	feed     string        // feed_url of a poll
	status   int           // HTTP status of a poll
	newCount int           // new_entries of a poll
	dups     int           // duplicates of a poll
	duration time.Duration // duration_ms of a render
}

// logWatch follows village's log.
type logWatch struct {
	mu      sync.Mutex
	lines   []logLine
	last    []string // the last raw lines, for errors
	changed chan struct{}
}

func newLogWatch() *logWatch { return &logWatch{changed: make(chan struct{})} }

func (w *logWatch) read(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var l struct {
			Time       time.Time `json:"time"`
			Msg        string    `json:"msg"`
			FeedURL    string    `json:"feed_url"`
			Status     int       `json:"status"`
			NewEntries int       `json:"new_entries"`
			Duplicates int       `json:"duplicates"`
			DurationMS int64     `json:"duration_ms"`
		}
		raw := sc.Text()
		if json.Unmarshal([]byte(raw), &l) != nil {
			continue
		}
		w.mu.Lock()
		w.last = append(w.last, raw)
		if len(w.last) > 20 {
			w.last = w.last[1:]
		}
		switch l.Msg {
		case "refreshed", "refresh failed", "feed gone, no longer polled", "published":
			w.lines = append(w.lines, logLine{at: l.Time, msg: l.Msg, feed: l.FeedURL, status: l.Status,
				newCount: l.NewEntries, dups: l.Duplicates, duration: time.Duration(l.DurationMS) * time.Millisecond})
			close(w.changed)
			w.changed = make(chan struct{})
		}
		w.mu.Unlock()
	}
}

func (w *logWatch) tail() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.Join(w.last, "\n")
}

// mark is the position to count from.
func (w *logWatch) mark() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.lines)
}

// wait calls check with the lines from mark on, again after every new
// line, until it says done; at most limit long.
func (w *logWatch) wait(ctx context.Context, mark int, limit time.Duration, what string, check func([]logLine) bool) error {
	deadline := time.After(limit)
	for {
		w.mu.Lock()
		done := check(w.lines[mark:])
		changed := w.changed
		w.mu.Unlock()
		if done {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		case <-deadline:
			return fmt.Errorf("no %s within %s; the log ends:\n%s", what, limit, w.tail())
		}
	}
}

// polls is what the log says of the polls from mark on.
type polls struct {
	done, failed, newEntries int
	duplicates               int
	feeds                    map[string]bool // polled at least once
	statuses                 map[int]int
	last                     time.Time // when the last one ended
	lastNew                  time.Time // when the last one that stored something ended
}

func countPolls(lines []logLine) polls {
	p := polls{feeds: map[string]bool{}, statuses: map[int]int{}}
	for _, l := range lines {
		if l.msg == "published" {
			continue
		}
		p.done++
		p.feeds[l.feed] = true
		p.statuses[l.status]++
		p.duplicates += l.dups
		if l.msg != "refreshed" {
			p.failed++
		}
		p.newEntries += l.newCount
		p.last = l.at
		if l.newCount > 0 {
			p.lastNew = l.at
		}
	}
	return p
}

// waitPolls waits for n polls from mark on.
func (w *logWatch) waitPolls(ctx context.Context, mark, n int, limit time.Duration) (polls, error) {
	var p polls
	err := w.wait(ctx, mark, limit, strconv.Itoa(n)+" polls", func(lines []logLine) bool {
		p = countPolls(lines)
		return p.done >= n
	})
	return p, err
}

// published waits for the burst of changes that began at t or later, then
// asks for /atom.xml, which that burst made stale, and returns when the
// answer (rendered again) arrived: when what was stored before t shows.
func (s *serveProc) published(ctx context.Context, mark int, t time.Time) (time.Time, error) {
	if _, _, err := s.log.waitPublished(ctx, mark, t, time.Minute); err != nil {
		return time.Time{}, err
	}
	if _, code, err := s.get(ctx, "/atom.xml"); err != nil || code != http.StatusOK {
		return time.Time{}, fmt.Errorf("GET /atom.xml: %d %v", code, err)
	}
	return time.Now(), nil
}

// waitPublished waits for a burst that began at t or later and returns
// when it ended and how long it took.
func (w *logWatch) waitPublished(ctx context.Context, mark int, t time.Time, limit time.Duration) (end time.Time, took time.Duration, err error) {
	err = w.wait(ctx, mark, limit, "render after "+t.Format(time.StampMilli), func(lines []logLine) bool {
		for _, l := range lines {
			if l.msg == "published" && !l.at.Add(-l.duration).Before(t) {
				end, took = l.at, l.duration
				return true
			}
		}
		return false
	})
	return end, took, err
}

// procCPU is the user plus system CPU time of process pid, from
// /proc/PID/stat (0 where there is none).
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name, in parentheses, may hold spaces: count from after it.
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	const ticks = 100 // USER_HZ on Linux
	return time.Duration(utime+stime) * time.Second / ticks
}
