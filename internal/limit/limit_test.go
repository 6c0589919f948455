package limit

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"testing/synctest"
)

// TestHostThenConnection runs in a synctest bubble, where Wait returns once
// every goroutine is blocked: no sleeps, no races in the assertions.
func TestHostThenConnection(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(Options{PerHost: 2, Connections: 3, Work: 1})
		ctx := context.Background()
		var releases []func()
		for range 2 {
			release, err := l.Fetch(ctx, "slow:80")
			if err != nil {
				t.Fatal(err)
			}
			releases = append(releases, release)
		}

		queued := make(chan func(), 4)
		for range cap(queued) {
			go func() {
				release, _ := l.Fetch(ctx, "slow:80")
				queued <- release
			}()
		}
		canceled, cancel := context.WithCancel(ctx)
		errc := make(chan error, 1)
		go func() {
			_, err := l.Fetch(canceled, "slow:80")
			errc <- err
		}()
		synctest.Wait()
		if len(queued) != 0 {
			t.Fatalf("%d requests passed a full host", len(queued))
		}
		if s := l.Stats(); s.Connections != 2 || s.Waiting != 0 {
			t.Fatalf("stats = %+v, want 2 connections and none waiting: queued requests must not hold one", s)
		}

		fast := make(chan func(), 1)
		go func() {
			release, _ := l.Fetch(ctx, "fast:80")
			fast <- release
		}()
		synctest.Wait()
		select {
		case release := <-fast:
			release()
		default:
			t.Fatal("another host waits while one host's queue is full")
		}

		cancel()
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Errorf("canceled wait: err = %v", err)
		}
		for range cap(queued) {
			releases[0]()
			releases = append(releases[1:], <-queued)
			synctest.Wait()
			if len(queued) != 0 {
				t.Fatalf("one release let %d more requests in", 1+len(queued))
			}
		}
		for _, r := range releases {
			r()
		}
		if s := l.Stats(); len(l.hosts) != 0 || s.Connections != 0 {
			t.Errorf("after all releases: %d hosts tracked, %+v", len(l.hosts), s)
		}
	})
}

// TestConnectionsAreBounded fills every connection slot with distinct hosts
// that never finish: the next host waits and is counted as waiting, while
// work slots stay free for the feeds already fetched.
func TestConnectionsAreBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(Options{PerHost: 2, Connections: 50, Work: 2})
		ctx := context.Background()
		hung := make([]func(), 0, 50)
		for i := range 50 {
			release, err := l.Fetch(ctx, HostKey(fmt.Sprintf("http://127.0.0.%d/feed", i+2)))
			if err != nil {
				t.Fatal(err)
			}
			hung = append(hung, release)
		}
		next := make(chan func(), 1)
		go func() {
			release, _ := l.Fetch(ctx, "healthy:80")
			next <- release
		}()
		synctest.Wait()
		if s := l.Stats(); s.Connections != 50 || s.Waiting != 1 || len(next) != 0 {
			t.Fatalf("stats = %+v, queued = %d; want 50 connections, 1 waiting", s, len(next))
		}
		done, err := l.Work(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if s := l.Stats(); s.Work != 1 {
			t.Errorf("work in use = %d, want 1", s.Work)
		}
		done()
		hung[0]()
		synctest.Wait()
		(<-next)()
		for _, r := range hung[1:] {
			r()
		}
	})
}

func TestWorkIsBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(Options{Work: 1})
		ctx, cancel := context.WithCancel(context.Background())
		release, _ := l.Work(ctx)
		errc := make(chan error, 1)
		go func() {
			_, err := l.Work(ctx)
			errc <- err
		}()
		synctest.Wait()
		if len(errc) != 0 {
			t.Fatal("a second work slot was handed out")
		}
		cancel()
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v", err)
		}
		release()
	})
}

func TestNilLimitsBoundNothing(t *testing.T) {
	var l *Limits
	r1, _ := l.Fetch(context.Background(), "a:80")
	r2, _ := l.Work(context.Background())
	r1()
	r2()
	if l.Stats() != (Stats{}) {
		t.Error("nil Limits report something")
	}
}

func TestHostKey(t *testing.T) {
	tests := []struct{ url, want string }{
		{"https://Example.org/feed", "example.org:443"},
		{"https://example.org:443/other", "example.org:443"},
		{"http://example.org/feed", "example.org:80"},
		{"http://example.org:8080/feed", "example.org:8080"},
		{"http://[::1]:8080/feed", "[::1]:8080"},
		{"http://u:p@example.org/feed", "example.org:80"},
	}
	for _, tt := range tests {
		if got := HostKey(tt.url); got != tt.want {
			t.Errorf("HostKey(%s) = %q, want %q", tt.url, got, tt.want)
		}
	}
}

// TestIngestIsBounded: by default Work feeds may be between parsing
// and stored; the next waits until one is stored, and work slots are not
// taken by the waiting.
func TestIngestIsBounded(t *testing.T) {
	for _, tc := range []struct {
		opts Options
		want int
	}{
		{Options{Work: 2}, 2},
		{Options{Work: 2, Ingest: 1}, 2}, // below Work: the default
		{Options{Work: 2, Ingest: 7}, 7},
	} {
		synctest.Test(t, func(t *testing.T) {
			l := New(tc.opts)
			ctx := context.Background()
			var held []func()
			for range tc.want {
				release, err := l.Ingest(ctx)
				if err != nil {
					t.Fatal(err)
				}
				held = append(held, release)
			}
			next := make(chan func(), 1)
			go func() {
				release, _ := l.Ingest(ctx)
				next <- release
			}()
			synctest.Wait()
			if len(next) != 0 {
				t.Fatalf("%+v: ingest slot %d handed out, want %d at most", tc.opts, tc.want+1, tc.want)
			}
			work, err := l.Work(ctx)
			if err != nil {
				t.Fatal(err)
			}
			work()
			held[0]()
			synctest.Wait()
			if len(next) != 1 {
				t.Fatalf("%+v: a freed ingest slot was not handed on", tc.opts)
			}
			(<-next)()
			for _, r := range held[1:] {
				r()
			}
		})
	}
}

func TestIngesting(t *testing.T) {
	var none *Limits
	if none.Ingesting() {
		t.Error("nil Limits: ingesting")
	}
	l := New(Options{Work: 2})
	if l.Ingesting() {
		t.Error("no slot taken: ingesting")
	}
	release, err := l.Ingest(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !l.Ingesting() {
		t.Error("an ingest slot is held: not ingesting")
	}
	release()
	if l.Ingesting() {
		t.Error("the slot was released: still ingesting")
	}
}
