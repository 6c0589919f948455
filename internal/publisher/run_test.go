package publisher

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/site"
	"github.com/villagefeeds/village/internal/store"
	"github.com/villagefeeds/village/internal/websub"
)

// memStore is a store in memory, for tests on synctest's fake clock: one
// source with one entry. Sources blocks until gate is closed (when not
// nil).
type memStore struct {
	gate    chan struct{}
	entries atomic.Int32
}

func (m *memStore) Sources(ctx context.Context) ([]model.Source, error) {
	if m.gate != nil {
		select {
		case <-m.gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return []model.Source{{ID: 1, Name: "a", URL: "https://a.example/feed", Active: true}}, nil
}

func (m *memStore) Entries(ctx context.Context, q store.Query) ([]model.Entry, error) {
	m.entries.Add(1)
	if q.Offset > 0 {
		return nil, nil
	}
	return []model.Entry{{ID: 1, SourceID: 1, GUID: "a1", Link: "https://a.example/1", Title: "One", Published: t0}}, nil
}

func (m *memStore) CountEntries(context.Context, store.Query) (int, error) { return 1, nil }

// Changes says source 1 changed once: its first poll.
func (m *memStore) Changes(_ context.Context, mark int64) ([]int64, int64, error) {
	if mark == 0 {
		return []int64{1}, 1, nil
	}
	return nil, mark, nil
}

// roundTripper answers every request once release is closed, whatever
// the request's context says: a hub that hangs.
type roundTripper struct {
	calls   atomic.Int32
	release chan struct{}
}

func (rt *roundTripper) RoundTrip(*http.Request) (*http.Response, error) {
	rt.calls.Add(1)
	<-rt.release
	return &http.Response{StatusCode: http.StatusNoContent, Body: io.NopCloser(strings.NewReader(""))}, nil
}

// TestRunJoinsWebSub: Run does not return while a WebSub ping it started
// is still running, and returns once it ended.
func TestRunJoinsWebSub(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := &roundTripper{release: make(chan struct{})}
		pub := New(Options{
			Config: Config{Site: site.Options{Title: "T", Link: "https://planet.example/", Hub: "https://hub.example/"}},
			Store:  &memStore{}, Logger: slog.New(slog.DiscardHandler),
			WebSub: websub.Options{Client: &http.Client{Transport: rt}},
		})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			pub.Run(ctx)
			close(done)
		}()
		synctest.Wait()
		if rt.calls.Load() == 0 {
			t.Fatal("the first render pinged nothing")
		}
		cancel()
		synctest.Wait()
		select {
		case <-done:
			t.Fatal("Run returned while a ping was running")
		default:
		}
		close(rt.release)
		synctest.Wait()
		select {
		case <-done:
		default:
			t.Fatal("Run did not return once the ping ended")
		}
	})
}

// TestConcurrentRequestsShareARender: many requests for a document that
// is not cached render it once; they wait for the first burst rather than
// fail.
func TestConcurrentRequestsShareARender(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := &memStore{gate: make(chan struct{})}
		pub := New(Options{Config: Config{Site: site.Options{Title: "T", Link: "https://planet.example/"}},
			Store: st, Logger: slog.New(slog.DiscardHandler)})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go pub.Run(ctx)
		results := make(chan error, 10)
		for range 10 {
			go func() {
				_, err := pub.Document(ctx, site.Key{Path: "/sources/a/", Page: 1}, true)
				results <- err
			}()
		}
		synctest.Wait() // the first burst waits at the gate; so do the requests
		if len(results) != 0 {
			t.Fatal("a request was answered before the first burst")
		}
		close(st.gate)
		for range 10 {
			if err := <-results; err != nil {
				t.Fatal(err)
			}
		}
		if n := st.entries.Load(); n != 1 {
			t.Errorf("%d entry queries, want 1: one render of the source page for ten requests", n)
		}
	})
}

// changesStore is memStore that counts the bursts (each reads Changes
// once) and reports a change to source 1 whenever changed is set.
type changesStore struct {
	memStore
	bursts  atomic.Int32
	changed atomic.Bool
	took    time.Duration // how long each burst takes
}

func (c *changesStore) Changes(_ context.Context, mark int64) ([]int64, int64, error) {
	c.bursts.Add(1)
	time.Sleep(c.took)
	if mark == 0 || c.changed.Swap(false) {
		return []int64{1}, mark + 1, nil
	}
	return nil, mark, nil
}

// TestSettlePublishesAtOnce: a change made while the publisher waits out
// the gap between bursts is published when the polls settle, not at the
// end of the gap: as soon as twice the last burst's time has passed since
// it began. Settling with nothing to publish renders nothing.
func TestSettlePublishesAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const took = 100 * time.Millisecond
		st := &changesStore{took: took}
		pub := New(Options{
			Config: Config{Site: site.Options{Title: "T", Link: "https://planet.example/"}},
			Store:  st, Logger: slog.New(slog.DiscardHandler),
			RenderEvery: time.Hour, // the gap after every burst
		})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		begun := time.Now()
		go func() {
			pub.Run(ctx)
			close(done)
		}()
		time.Sleep(took) // the first burst
		synctest.Wait()
		first := st.bursts.Load()
		if first == 0 {
			t.Fatal("no first burst")
		}
		pub.Settle()
		synctest.Wait()
		if n := st.bursts.Load(); n != first {
			t.Errorf("settling with nothing changed: %d bursts, want %d", n, first)
		}
		st.changed.Store(true)
		pub.Changed(1)
		pub.Settle()
		synctest.Wait()
		if n := st.bursts.Load(); n != first {
			t.Fatalf("settled %v after the first burst began: %d bursts, want still %d", time.Since(begun), n, first)
		}
		time.Sleep(2*took - time.Since(begun))
		synctest.Wait()
		if n := st.bursts.Load(); n != first+1 {
			t.Errorf("settled, %v after the first burst began: %d bursts, want %d", time.Since(begun), n, first+1)
		}
		cancel()
		<-done
	})
}
