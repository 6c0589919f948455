package refresh

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/filter"
	"github.com/villagefeeds/village/internal/limit"
	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/parse"
	"github.com/villagefeeds/village/internal/store"
)

func TestOutcomeKind(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name string
		out  Outcome
		want string
	}{
		{"stored", Outcome{Status: 200}, KindOK},
		{"304", Outcome{Status: 304, NotModified: true}, KindUnchanged},
		{"moved", Outcome{Status: 200, MovedTo: "https://new.example/feed"}, KindMoved},
		{"moved and 304", Outcome{Status: 304, NotModified: true, MovedTo: "https://new.example/feed"}, KindMoved},
		{"410 now", Outcome{Status: 410, Gone: true, Err: boom}, KindGone},
		{"gone before, not fetched", Outcome{Status: 410, Gone: true}, KindGone},
		{"failed", Outcome{Status: 503, Err: boom}, KindFailed},
		{"failed after a move", Outcome{Status: 503, Err: boom, MovedTo: "https://new.example/feed"}, KindFailed},
	}
	for _, tt := range tests {
		if got := tt.out.Kind(); got != tt.want {
			t.Errorf("%s: Kind() = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestRefreshRetriesSoonAfterAFailure drives the refresher's clock by hand:
// the first failure is retried a minute later, the next ones doubling.
func TestRefreshRetriesSoonAfterAFailure(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	r := newRefresher(&fakeStore{})
	r.now = func() time.Time { return now }
	src := model.Source{ID: 1, URL: srv.URL}
	for i, want := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute} {
		out := r.Refresh(context.Background(), src, time.Time{})
		if got := out.NextCheck.Sub(now); got != want {
			t.Errorf("failure %d: next check in %v, want %v", i+1, got, want)
		}
		src.ErrorCount++
		now = out.NextCheck
	}
}

func TestRefreshThrottledBacksOffFromTheInterval(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "slow down", http.StatusTooManyRequests)
	}))
	defer srv.Close()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	r := newRefresher(&fakeStore{})
	r.now = func() time.Time { return now }
	if out := r.Refresh(context.Background(), model.Source{ID: 1, URL: srv.URL}, time.Time{}); out.NextCheck.Sub(now) != time.Hour {
		t.Errorf("a 429 without Retry-After is retried in %v, want the interval (1h)", out.NextCheck.Sub(now))
	}
}

// TestRefreshFiltersBetweenParseAndStore: items the source's rules leave
// out never reach the store.
func TestRefreshFiltersBetweenParseAndStore(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Ann</title><link>https://ann.example/</link>
<item><title>Kubernetes at home</title><link>https://ann.example/1</link><description>pods</description></item>
<item><title>Bread</title><link>https://ann.example/2</link><description>flour and water</description><category>Food</category></item>
<item><title>Notes</title><link>https://ann.example/3</link><description>a kubectl trick</description><category>Kubernetes</category></item>
</channel></rss>`)
	}))
	defer srv.Close()
	st := &fakeStore{}
	f := filter.Filter{Include: &filter.Rule{Categories: []string{"kubernetes"}, Title: kubeRE}}
	r := newRefresher(st).Filter(map[string]filter.Filter{srv.URL: f})
	out := r.Refresh(context.Background(), model.Source{ID: 1, URL: srv.URL}, time.Time{})
	if out.Err != nil || len(st.saved) != 1 {
		t.Fatalf("outcome %+v", out)
	}
	var links []string
	for _, e := range st.saved[0].Entries {
		links = append(links, e.Link)
	}
	if !slices.Equal(links, []string{"https://ann.example/1", "https://ann.example/3"}) {
		t.Errorf("stored %v; want the two Kubernetes posts", links)
	}
}

func TestKeepStoredReadsTheText(t *testing.T) {
	keep := KeepStored(filter.Filter{Exclude: &filter.Rule{Match: kubeRE}})
	if keep(model.Entry{Title: "Notes", Content: "<p>about <b>Kubernetes</b></p>"}) {
		t.Error("an entry whose text matches the exclude rule is kept")
	}
	if !keep(model.Entry{Title: "Notes", Summary: "<p>about bread</p>"}) {
		t.Error("an entry that matches nothing is dropped")
	}
	if items := Keep(filter.Filter{}, []parse.Item{{Title: "a"}}); len(items) != 1 {
		t.Error("the zero filter dropped an item")
	}
}

// TestWatchTellsWhenAFetchBegins: the hook runs once the slots are held,
// for `village fetch`'s display of the sources in flight.
func TestWatchTellsWhenAFetchBegins(t *testing.T) {
	srv := redirector(t)
	var started []string
	r := newRefresher(&fakeStore{}).Limit(limit.New(limit.Options{PerHost: 1, Connections: 1, Work: 1}))
	w := r.Watch(func(s model.Source) { started = append(started, s.Name) })
	w.Refresh(context.Background(), model.Source{ID: 1, Name: "Ann", URL: srv.URL + "/feed.xml"}, time.Time{})
	r.Refresh(context.Background(), model.Source{ID: 2, Name: "Bob", URL: srv.URL + "/feed.xml"}, time.Time{})
	if !slices.Equal(started, []string{"Ann"}) {
		t.Errorf("started %v; want only the watched refresher's source", started)
	}
}

var kubeRE = regexp.MustCompile(`(?i)kubernetes`)

var _ Store = (*store.Store)(nil)
