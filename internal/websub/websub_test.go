package websub

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"
)

// hubStub records the pings it gets and answers each with the next status
// of its script, then 204.
type hubStub struct {
	*httptest.Server
	mu     sync.Mutex
	script []int
	pings  []url.Values
}

func newHub(t *testing.T, script ...int) *hubStub {
	h := &hubStub{script: script}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
			http.Error(w, "want a form POST", http.StatusBadRequest)
			return
		}
		r.ParseForm()
		h.mu.Lock()
		defer h.mu.Unlock()
		h.pings = append(h.pings, r.PostForm)
		code := http.StatusNoContent
		if len(h.script) > 0 {
			code, h.script = h.script[0], h.script[1:]
		}
		w.WriteHeader(code)
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hubStub) got() []url.Values {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]url.Values(nil), h.pings...)
}

type outcome struct {
	topic string
	err   error
}

func start(t *testing.T, attempts int) (*Publisher, chan outcome) {
	done := make(chan outcome, 16)
	p := New(Options{
		Logger:   slog.New(slog.NewTextHandler(io.Discard, nil)),
		Attempts: attempts,
		Backoff:  func(int) time.Duration { return time.Millisecond },
		Done:     func(topic string, err error) { done <- outcome{topic, err} },
	})
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { p.Run(ctx); close(stopped) }()
	t.Cleanup(func() { cancel(); <-stopped })
	return p, done
}

func wait(t *testing.T, done chan outcome) outcome {
	t.Helper()
	select {
	case o := <-done:
		return o
	case <-time.After(10 * time.Second):
		t.Fatal("no ping finished within 10s")
	}
	return outcome{}
}

func TestPublisher(t *testing.T) {
	const topic = "https://planet.example/atom.xml"
	tests := []struct {
		name    string
		script  []int
		pings   int
		wantErr bool
	}{
		{"hub accepts", nil, 1, false},
		{"hub fails, then accepts", []int{503, 500}, 3, false},
		{"hub asks to slow down", []int{429}, 2, false},
		{"hub keeps failing", []int{502, 502, 502, 502}, 3, true},
		{"hub refuses", []int{400}, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hub := newHub(t, tt.script...)
			p, done := start(t, 3)
			p.Notify(hub.URL, topic)
			o := wait(t, done)
			if o.topic != topic || (o.err != nil) != tt.wantErr {
				t.Fatalf("outcome %+v, want error %v", o, tt.wantErr)
			}
			pings := hub.got()
			if len(pings) != tt.pings {
				t.Fatalf("hub got %d pings, want %d", len(pings), tt.pings)
			}
			for _, f := range pings {
				if f.Get("hub.mode") != "publish" || f.Get("hub.url") != topic {
					t.Errorf("ping form %v, want hub.mode=publish&hub.url=%s", f, topic)
				}
			}
			if tt.wantErr {
				var se *StatusError
				if !errors.As(o.err, &se) {
					t.Errorf("error %v is not a *StatusError", o.err)
				}
			}
		})
	}
}

func TestNotifyMergesTopics(t *testing.T) {
	hub := newHub(t)
	p := New(Options{Done: func(string, error) {}})
	// Queued before Run: the same topic twice is pinged once.
	p.Notify(hub.URL, "https://p.example/a.xml", "https://p.example/b.xml")
	p.Notify(hub.URL, "https://p.example/a.xml")
	p.Notify("", "https://p.example/ignored.xml")
	jobs, _ := p.take(time.Now())
	if len(jobs) != 2 {
		t.Fatalf("queued %v, want a.xml and b.xml once each", jobs)
	}
}

// TestFailingTopicDoesNotHoldUpOthers: a topic the hub keeps failing
// waits for its retry in the queue while another topic is delivered. The
// retry is an hour away: a ping that waited it out would never let the
// other through.
func TestFailingTopicDoesNotHoldUpOthers(t *testing.T) {
	const bad, good = "https://p.example/a.xml", "https://p.example/b.xml"
	failed := make(chan struct{}, 1)
	hub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		if r.PostForm.Get("hub.url") == bad {
			w.WriteHeader(http.StatusServiceUnavailable)
			failed <- struct{}{}
			return
		}
		<-failed // the bad topic (first in order) was tried before this one
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(hub.Close)
	done := make(chan outcome, 4)
	p := New(Options{
		Logger:   slog.New(slog.NewTextHandler(io.Discard, nil)),
		Attempts: 3,
		Backoff:  func(int) time.Duration { return time.Hour },
		Done:     func(topic string, err error) { done <- outcome{topic, err} },
	})
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { p.Run(ctx); close(stopped) }()
	t.Cleanup(func() { cancel(); <-stopped })
	p.Notify(hub.URL, bad, good)
	if o := wait(t, done); o.topic != good || o.err != nil {
		t.Fatalf("first outcome %+v, want %s delivered", o, good)
	}
	select {
	case o := <-done:
		t.Errorf("outcome %+v reported; the failing topic should wait an hour for its retry", o)
	default:
	}
}

func TestBackoff(t *testing.T) {
	prev := time.Duration(0)
	for n := 1; n <= 20; n++ {
		d := Backoff(n)
		if d < prev || d > 5*time.Minute || d <= 0 {
			t.Fatalf("Backoff(%d) = %v after %v", n, d, prev)
		}
		prev = d
	}
	if Backoff(1) != 2*time.Second || Backoff(20) != 5*time.Minute {
		t.Errorf("Backoff(1) = %v, Backoff(20) = %v", Backoff(1), Backoff(20))
	}
}

// permanentError is an error that says trying again cannot help, as the
// fetch client's refusal of a private address does.
type permanentError struct{}

func (permanentError) Error() string   { return "refused" }
func (permanentError) Permanent() bool { return true }

func TestRetryable(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  error
		want bool
	}{
		{"network error", errors.New("connection reset"), true},
		{"503", &StatusError{Code: 503}, true},
		{"429", &StatusError{Code: 429}, true},
		{"404", &StatusError{Code: 404}, false},
		{"permanent", fmt.Errorf("websub ping: %w", permanentError{}), false},
	} {
		if got := retryable(tt.err); got != tt.want {
			t.Errorf("%s: retryable = %v, want %v", tt.name, got, tt.want)
		}
	}
}
