package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
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

// The tests below pace at 20 a second, a burst of 2: once two documents
// have been answered, the next waits about 50 ms, well above the 1 ms
// from which the pacer counts a request as held.

func TestPacerHoldsDocumentsOnlyWhileBusy(t *testing.T) {
	var busy atomic.Bool
	h, p := pacedServer(&busy, 20)
	get(t, h, "/", 10)
	if s := p.Stats(); s.Held != 0 {
		t.Fatalf("idle: %d requests held, want none", s.Held)
	}
	busy.Store(true)
	get(t, h, "/", 2) // the burst
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
	get(t, h, "/", 3)
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
	const perSecond, requests = 20, 6 // a burst of 2, then one every 50 ms
	h, p := pacedServer(&busy, perSecond)
	start := time.Now()
	get(t, h, "/", requests)
	least := time.Duration(requests-2) * time.Second / perSecond
	if took := time.Since(start); took < least-5*time.Millisecond {
		t.Errorf("%d requests at %d/s took %v, want at least %v", requests, perSecond, took, least)
	}
	if s := p.Stats(); s.Held < requests-2 {
		t.Errorf("stats %+v, want the %d requests beyond the burst counted", s, requests-2)
	}
}
