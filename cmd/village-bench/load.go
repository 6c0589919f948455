package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// target is a document requested in one way: plain, gzipped, or with the
// ETag of the last answer (a feed reader's conditional GET, gzipped).
type target struct {
	path    string
	variant string // "plain", "gzip" or "etag"
}

func (t target) String() string { return t.path + " " + t.variant }

// targets are what the load asks for: the front page, the merged feed and
// a source's page, each in the three ways.
func targets(source string) []target {
	var out []target
	for _, p := range []string{"/", "/atom.xml", source} {
		for _, v := range []string{"plain", "gzip", "etag"} {
			out = append(out, target{p, v})
		}
	}
	return out
}

// loadResult is what the clients of one target saw.
type loadResult struct {
	target
	latencies []time.Duration
	notMod    int // 304 answers
	errs      int
	firstErr  error
}

func (r loadResult) p99() time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	l := slices.Clone(r.latencies)
	slices.Sort(l)
	return l[len(l)*99/100]
}

// load has clients keep-alive clients, spread over ts, request their
// target one request after another until stop is closed. It returns what
// each target saw and how long the load lasted.
func load(ctx context.Context, base string, ts []target, clients int, stop <-chan struct{}) ([]loadResult, time.Duration) {
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients, DisableCompression: true}
	defer tr.CloseIdleConnections()
	results := make([]loadResult, len(ts))
	for i := range ts {
		results[i].target = ts[i]
	}
	var mu sync.Mutex
	start := time.Now()
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			t := ts[c%len(ts)]
			var mine loadResult
			etag := ""
			for {
				select {
				case <-stop:
					mu.Lock()
					r := &results[c%len(ts)]
					r.latencies = append(r.latencies, mine.latencies...)
					r.notMod += mine.notMod
					r.errs += mine.errs
					if r.firstErr == nil {
						r.firstErr = mine.firstErr
					}
					mu.Unlock()
					return
				default:
				}
				t0 := time.Now()
				status, tag, err := request(ctx, tr, base+t.path, t.variant, etag)
				switch {
				case err != nil:
					mine.errs++
					if mine.firstErr == nil {
						mine.firstErr = err
					}
					continue
				case status == http.StatusNotModified:
					mine.notMod++
				}
				mine.latencies = append(mine.latencies, time.Since(t0))
				if t.variant == "etag" && tag != "" {
					etag = tag
				}
			}
		})
	}
	wg.Wait()
	return results, time.Since(start)
}

func request(ctx context.Context, tr http.RoundTripper, url, variant, etag string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, "", err
	}
	if variant != "plain" {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	if variant == "etag" && etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	resp, err := tr.RoundTrip(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return 0, "", err
	}
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNotModified {
		return 0, "", fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return resp.StatusCode, resp.Header.Get("ETag"), nil
}

// printLoad prints a line per path: requests per second and p99 latency
// of each way of asking.
func (b *bench) printLoad(label string, rs []loadResult, d time.Duration) {
	var paths []string
	byPath := map[string][]string{}
	for _, r := range rs {
		if _, ok := byPath[r.path]; !ok {
			paths = append(paths, r.path)
		}
		fig := fmt.Sprintf("%s %.0f/s p99 %s", r.variant, float64(len(r.latencies))/d.Seconds(), millis(r.p99()))
		if r.variant == "etag" {
			fig += fmt.Sprintf(" (%d%% 304)", 100*r.notMod/max(1, len(r.latencies)))
		}
		if r.errs > 0 {
			fig += fmt.Sprintf(" (%d errors, the first: %v)", r.errs, r.firstErr)
		}
		byPath[r.path] = append(byPath[r.path], fig)
	}
	for _, p := range paths {
		b.row("  "+label+" "+p, byPath[p]...)
	}
}
