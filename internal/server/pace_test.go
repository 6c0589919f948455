package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// pacedServer serves one document and /healthz, paced by a pacer that is
// busy while *busy is set.
func pacedServer(busy *atomic.Bool, perSecond int) (http.Handler, *Pacer) {
	docs := docMap{{Path: "/", Page: 1}: NewDocument("text/html; charset=utf-8", []byte("home"), time.Now())}
	s := New(slog.New(slog.NewTextHandler(io.Discard, nil)), func(context.Context) Health { return Health{Database: "ok"} }, docs)
	p := NewPacer(busy.Load, perSecond)
	s.Pace(p)
	return s.Handler(), p
}

// get asks h for path n times, one after another, and fails the test
// unless each is answered.
func get(t *testing.T, h http.Handler, path string, n int) {
	t.Helper()
	for range n {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: status %d", path, rec.Code)
		}
	}
}

// The tests below pace at 20 a second, a burst of 10: once ten documents
// have been answered, the next waits about 50 ms.

func TestPacerHoldsDocumentsOnlyWhileBusy(t *testing.T) {
	var busy atomic.Bool
	h, p := pacedServer(&busy, 20)
	get(t, h, "/", 10)
	if s := p.Stats(); s.Held != 0 {
		t.Fatalf("idle: %d requests held, want none", s.Held)
	}
	busy.Store(true)
	get(t, h, "/", 10) // the burst
	get(t, h, "/healthz", 3)
	if s := p.Stats(); s.Held != 0 {
		t.Fatalf("busy: /healthz or the burst held (%d), want neither", s.Held)
	}
	get(t, h, "/", 1)
	if s := p.Stats(); s.Held != 1 || s.Waited <= time.Millisecond {
		t.Errorf("busy: stats %+v after the burst, want the document held", s)
	}
}

func TestPacerRateZeroHoldsNothing(t *testing.T) {
	var busy atomic.Bool
	busy.Store(true)
	h, p := pacedServer(&busy, 0)
	get(t, h, "/", 10)
	if s := p.Stats(); s.Held != 0 {
		t.Fatalf("busy_rate 0: %d requests held, want none", s.Held)
	}
	p.SetRate(20)
	get(t, h, "/", 11)
	if s := p.Stats(); s.Held == 0 {
		t.Error("after SetRate(20): nothing held beyond the burst")
	}
}

// TestPacerKeepsTheRate asks for more documents than the burst while busy:
// the answers beyond it wait for the rate. Only a lower bound on the time
// is asserted; a slow machine makes it longer, never shorter.
func TestPacerKeepsTheRate(t *testing.T) {
	var busy atomic.Bool
	busy.Store(true)
	const perSecond, burst, requests = 20, 10, 14 // then one every 50 ms
	h, p := pacedServer(&busy, perSecond)
	start := time.Now()
	get(t, h, "/", requests)
	least := time.Duration(requests-burst) * time.Second / perSecond
	if took := time.Since(start); took < least-5*time.Millisecond {
		t.Errorf("%d requests at %d/s took %v, want at least %v", requests, perSecond, took, least)
	}
	if s := p.Stats(); s.Held < requests-burst {
		t.Errorf("stats %+v, want the %d requests beyond the burst counted", s, requests-burst)
	}
}

// TestPacerLetsGoWhenIngestEnds holds a request for its turn, a second
// away, then ends the ingest: the request is answered at the next look,
// not at its turn. The clock is synctest's.
func TestPacerLetsGoWhenIngestEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var busy atomic.Bool
		busy.Store(true)
		h, _ := pacedServer(&busy, 1)
		get(t, h, "/", 10) // the burst
		start := time.Now()
		done := make(chan time.Duration, 1)
		go func() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
			if rec.Code != http.StatusOK {
				t.Errorf("held request: status %d", rec.Code)
			}
			done <- time.Since(start)
		}()
		synctest.Wait()
		if len(done) != 0 {
			t.Fatal("the request beyond the burst was not held")
		}
		busy.Store(false)
		took := <-done
		if took > recheck {
			t.Errorf("answered %v after the ingest ended, want within %v", took, recheck)
		}
	})
}

// TestPacerTurnsAwayAFlood gives out turns up to maxHold ahead: the next
// request is told to come back later instead of waiting.
func TestPacerTurnsAwayAFlood(t *testing.T) {
	var busy atomic.Bool
	busy.Store(true)
	h, p := pacedServer(&busy, 1)
	now := time.Now()
	for range 10 + int(maxHold/time.Second) + 1 {
		p.limiter.ReserveN(now, 1)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
		t.Errorf("status %d, Retry-After %q; want 503 with Retry-After", rec.Code, rec.Header().Get("Retry-After"))
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if rec.Code != http.StatusOK {
		t.Errorf("/healthz in a flood: status %d", rec.Code)
	}
}
