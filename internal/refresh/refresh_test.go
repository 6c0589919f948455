package refresh

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/fetch"
	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/store"
)

// fakeStore records what the refresher asked to store.
type fakeStore struct {
	mu          sync.Mutex
	saved       []store.Refresh
	notModified int
	same        []store.Unchanged
	digestGone  bool // MarkUnchanged finds another digest stored
	failures    []store.Failure
	moved       []string
	gone        []store.Failure
}

func (f *fakeStore) MarkMoved(_ context.Context, _ int64, to string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.moved = append(f.moved, to)
	return nil
}

func (f *fakeStore) MarkGone(_ context.Context, _ int64, fl store.Failure) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gone = append(f.gone, fl)
	return nil
}

func (f *fakeStore) SaveRefresh(_ context.Context, _ int64, r store.Refresh) (store.Result, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.saved = append(f.saved, r)
	return store.Result{New: len(r.Entries)}, nil
}

func (f *fakeStore) ReadAhead(context.Context, int64, *store.Refresh) error { return nil }

func (f *fakeStore) Known(context.Context, int64, []byte, bool) (*store.KnownItems, error) {
	return nil, nil
}

func (f *fakeStore) MarkNotModified(context.Context, int64, time.Time, time.Time, string, string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.notModified++
	return nil
}

func (f *fakeStore) MarkUnchanged(_ context.Context, _ int64, u store.Unchanged) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.digestGone {
		return false, nil
	}
	f.same = append(f.same, u)
	return true, nil
}

func (f *fakeStore) MarkFailed(_ context.Context, _ int64, fl store.Failure) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures = append(f.failures, fl)
	return nil
}

const rssFeed = `<?xml version="1.0"?>
<rss version="2.0"><channel><title>Example</title><link>https://blog.example.org/</link>
<item><title>Hello</title><link>/2024/hello/?utm_source=rss</link><guid>post-1</guid>
<description>&lt;p&gt;` + longText + `&lt;/p&gt;</description><pubDate>Mon, 02 Jan 2024 10:00:00 +0000</pubDate></item>
</channel></rss>`

const longText = "Every community has a handful of people who answer the same question for the hundredth time with the same patience as the first, and this post is about them: what they do, why it matters, and how a project can make their work lighter instead of heavier."

func newRefresher(st Store) *Refresher {
	r := New(fetch.New(fetch.Options{AllowPrivate: true, Timeout: 5 * time.Second}), st, time.Hour, slog.New(slog.NewTextHandler(io.Discard, nil)))
	r.rnd = func() float64 { return 0 }
	return r
}

func TestRefreshStoresEntriesWithKeysAndValidators(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		io.WriteString(w, rssFeed)
	}))
	defer srv.Close()
	st := &fakeStore{}
	out := newRefresher(st).Refresh(context.Background(), model.Source{ID: 1, URL: srv.URL + "/feed.xml"}, time.Time{})
	if out.Err != nil || out.New != 1 || out.Status != 200 {
		t.Fatalf("outcome = %+v", out)
	}
	if len(st.saved) != 1 {
		t.Fatalf("SaveRefresh called %d times", len(st.saved))
	}
	r := st.saved[0]
	if r.ETag != `"v1"` || r.FeedTitle != "Example" {
		t.Errorf("saved etag %q title %q", r.ETag, r.FeedTitle)
	}
	e := r.Entries[0]
	if e.Link != srv.URL+"/2024/hello/?utm_source=rss" {
		t.Errorf("link %q not resolved against the feed URL", e.Link)
	}
	if strings.Contains(e.CanonicalURL, "utm_source") || e.CanonicalURL == "" {
		t.Errorf("canonical URL %q", e.CanonicalURL)
	}
	if e.ContentHash == "" {
		t.Error("a long body got no content hash")
	}
	if !r.NextCheck.After(r.CheckedAt.Add(59 * time.Minute)) {
		t.Errorf("next check %v is not an interval after %v", r.NextCheck, r.CheckedAt)
	}
}

func TestRefreshNotModified(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") != `"v1"` {
			t.Errorf("If-None-Match = %q", r.Header.Get("If-None-Match"))
		}
		w.WriteHeader(http.StatusNotModified)
	}))
	defer srv.Close()
	st := &fakeStore{}
	out := newRefresher(st).Refresh(context.Background(), model.Source{ID: 1, URL: srv.URL, ETag: `"v1"`}, time.Time{})
	if !out.NotModified || out.Err != nil || st.notModified != 1 || len(st.saved) != 0 {
		t.Fatalf("outcome %+v, notModified calls %d, saves %d", out, st.notModified, len(st.saved))
	}
}

func TestRefreshFailureBacksOffAndHonoursRetryAfter(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "7200")
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	st := &fakeStore{}
	out := newRefresher(st).Refresh(context.Background(), model.Source{ID: 1, URL: srv.URL, ErrorCount: 2}, time.Time{})
	if out.Err == nil || len(st.failures) != 1 {
		t.Fatalf("outcome %+v, failures %d", out, len(st.failures))
	}
	f := st.failures[0]
	if f.Status != 503 || !strings.Contains(f.Err, srv.URL) {
		t.Errorf("failure %+v: want status 503 and an error naming the feed", f)
	}
	if f.NextCheck.Before(f.CheckedAt.Add(2 * time.Hour)) {
		t.Errorf("next check %v ignores Retry-After of 2h", f.NextCheck.Sub(f.CheckedAt))
	}
}

func TestRefreshParseErrorIsRecorded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "<html><body>not a feed</body></html>")
	}))
	defer srv.Close()
	st := &fakeStore{}
	out := newRefresher(st).Refresh(context.Background(), model.Source{ID: 1, URL: srv.URL}, time.Time{})
	if out.Err == nil || len(st.failures) != 1 || len(st.saved) != 0 {
		t.Fatalf("outcome %+v failures %d saved %d", out, len(st.failures), len(st.saved))
	}
	if !strings.Contains(st.failures[0].Err, "parse") {
		t.Errorf("error %q does not say it was a parse error", st.failures[0].Err)
	}
}

func TestRefreshCancelledIsNotAFailure(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
	}))
	defer srv.Close()
	defer close(release)
	ctx, cancel := context.WithCancel(context.Background())
	st := &fakeStore{}
	done := make(chan Outcome)
	go func() { done <- newRefresher(st).Refresh(ctx, model.Source{ID: 1, URL: srv.URL}, time.Time{}) }()
	cancel()
	out := <-done
	if out.Err == nil || len(st.failures) != 0 {
		t.Errorf("cancelled refresh: err %v, failures recorded %d; want an error and none recorded", out.Err, len(st.failures))
	}
}

// TestRefreshPassesCharsetFloodLimitAndNotes: the server's charset reaches
// the parser, the flood limit the store, and what the parse repaired the
// outcome and the store.
func TestRefreshPassesCharsetFloodLimitAndNotes(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=windows-1252")
		// "Café" in windows-1252, an item without guid or link.
		io.WriteString(w, "<rss version=\"2.0\"><channel><title>Caf\xe9</title><link>https://blog.example.org/</link>"+
			"<item><title>Caf\xe9 open</title><description>Open today.</description></item></channel></rss>")
	}))
	defer srv.Close()
	st := &fakeStore{}
	out := newRefresher(st).Flood(5, 50).Refresh(context.Background(), model.Source{ID: 1, URL: srv.URL + "/feed.xml"}, time.Time{})
	if out.Err != nil || len(st.saved) != 1 {
		t.Fatalf("outcome = %+v", out)
	}
	r := st.saved[0]
	if r.FeedTitle != "Café" || r.Entries[0].Title != "Café open" {
		t.Errorf("titles %q, %q: the HTTP charset was not honoured", r.FeedTitle, r.Entries[0].Title)
	}
	if r.MaxArrivals != 5 || r.PageSize != 50 {
		t.Errorf("flood limit %d of %d, want 5 of 50", r.MaxArrivals, r.PageSize)
	}
	if k := r.Entries[0].ItemKey; !strings.HasPrefix(k, "digest:") {
		t.Errorf("item key %q, want a digest", k)
	}
	want := "1 items without id or link, known by title, date and text"
	if len(out.Notes) != 1 || out.Notes[0] != want || len(r.Notes) != 1 || r.Notes[0] != want {
		t.Errorf("notes %q (stored %q), want %q", out.Notes, r.Notes, want)
	}
}
