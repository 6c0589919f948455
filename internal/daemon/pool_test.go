package daemon

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/villagefeeds/village/internal/model"
)

// held records the polls running and lets the test end them one by one.
type held struct {
	mu      sync.Mutex
	running map[string]int // by host
	total   int
	peak    int
	hostMax map[string]int
	ran     []string
	release chan struct{}
}

func newHeld() *held {
	return &held{running: map[string]int{}, hostMax: map[string]int{}, release: make(chan struct{})}
}

func (h *held) run(ctx context.Context, src model.Source) {
	host := hostOf(src.URL)
	h.mu.Lock()
	h.running[host]++
	h.total++
	h.peak = max(h.peak, h.total)
	h.hostMax[host] = max(h.hostMax[host], h.running[host])
	h.ran = append(h.ran, src.Name)
	h.mu.Unlock()
	select {
	case <-h.release:
	case <-ctx.Done():
	}
	h.mu.Lock()
	h.running[host]--
	h.total--
	h.mu.Unlock()
}

func sourcesOn(host string, n int) []model.Source {
	var out []model.Source
	for i := range n {
		out = append(out, model.Source{Name: fmt.Sprintf("%s/%d", host, i), URL: fmt.Sprintf("https://%s/%d.xml", host, i)})
	}
	return out
}

// TestPollPoolLimits: no more than limit polls at once, no more than
// perHost on one host, and every poll runs in the end.
func TestPollPoolLimits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHeld()
		p := newPollPool(context.Background(), 4, 2, h.run)
		for _, host := range []string{"a.example", "b.example", "c.example"} {
			p.add(sourcesOn(host, 5)...)
		}
		synctest.Wait()
		if h.total != 4 {
			t.Errorf("%d polls running, want the limit of 4", h.total)
		}
		close(h.release)
		p.wait()
		if len(h.ran) != 15 || h.peak != 4 {
			t.Errorf("%d polls ran, at most %d at once; want 15, 4", len(h.ran), h.peak)
		}
		for host, n := range h.hostMax {
			if n > 2 {
				t.Errorf("%s: %d polls at once, want at most 2", host, n)
			}
		}
	})
}

// TestPollPoolSlowHost: a host whose polls never end holds its own perHost
// slots; another host's polls, queued after its, still run.
func TestPollPoolSlowHost(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHeld()
		ctx, cancel := context.WithCancel(context.Background())
		p := newPollPool(ctx, 3, 2, func(ctx context.Context, src model.Source) {
			if hostOf(src.URL) == "fast.example" {
				h.mu.Lock()
				h.ran = append(h.ran, src.Name)
				h.mu.Unlock()
				return
			}
			h.run(ctx, src)
		})
		p.add(sourcesOn("slow.example", 50)...)
		p.add(sourcesOn("fast.example", 3)...)
		synctest.Wait()
		if len(h.ran) != 5 || h.running["slow.example"] != 2 {
			t.Errorf("ran %v; want the 2 slow ones held and the 3 fast ones done", h.ran)
		}
		// Shutdown: the slow polls end, the 48 queued never start.
		cancel()
		p.wait()
		if len(h.ran) != 5 {
			t.Errorf("%d polls ran after cancellation, want 5", len(h.ran))
		}
	})
}

// TestPollPoolIdle: the pool says it is idle when its last poll ends with
// none waiting, not before.
func TestPollPoolIdle(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHeld()
		p := newPollPool(context.Background(), 2, 2, h.run)
		var idle int
		p.idle = func() { idle++ } // called with p.mu held: no race
		p.add(sourcesOn("a.example", 3)...)
		synctest.Wait()
		for ended := 1; ended <= 3; ended++ {
			h.release <- struct{}{}
			synctest.Wait()
			p.mu.Lock()
			got := idle
			p.mu.Unlock()
			if want := map[bool]int{true: 1, false: 0}[ended == 3]; got != want {
				t.Fatalf("after %d of 3 polls ended: idle %d times, want %d", ended, got, want)
			}
		}
		p.wait()
	})
}
