package refresh

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/store"
)

// recordingStore is the real store, keeping every refresh it was given.
type recordingStore struct {
	*store.Store
	mu    sync.Mutex
	saved []store.Refresh
	// meanwhile, when set, runs once before a refresh with known items
	// is saved.
	meanwhile func()
}

func (s *recordingStore) SaveRefresh(ctx context.Context, id int64, r store.Refresh) (store.Result, error) {
	s.mu.Lock()
	s.saved = append(s.saved, r)
	meanwhile := s.meanwhile
	if r.Known != nil {
		s.meanwhile = nil
	}
	s.mu.Unlock()
	if meanwhile != nil && r.Known != nil {
		meanwhile()
	}
	return s.Store.SaveRefresh(ctx, id, r)
}

// knownOf lists, for the last refresh saved, the GUIDs of its entries and
// whether each was known.
func (s *recordingStore) knownOf() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, e := range s.saved[len(s.saved)-1].Entries {
		out = append(out, fmt.Sprintf("%s:%v", e.GUID, e.Known))
	}
	return strings.Join(out, " ")
}

// blogFeed is an RSS feed of the posts, newest first; bodies[guid]
// overrides a post's text.
func blogFeed(guids []string, bodies map[string]string) string {
	var b strings.Builder
	b.WriteString(`<rss version="2.0"><channel><title>Blog</title><link>https://blog.example/</link>`)
	for _, g := range guids {
		text := bodies[g]
		if text == "" {
			text = "Post " + g + ": " + strings.Repeat("words of the post "+g+" ", 30)
		}
		fmt.Fprintf(&b, `<item><guid>%s</guid><link>/%s/</link><title>Post %s</title><description>&lt;p&gt;%s&lt;/p&gt;</description></item>`, g, g, g, text)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// TestKnownItemsAreNotReadAgain: a feed that changed is read item by item
// against what is stored. The items it lists again as it wrote them are
// known (their HTML is not read, nothing of them is written) and counted
// unchanged; an edited item is read and updated, a new one stored. A fresh
// start, or the feed read another way, reads every item.
func TestKnownItemsAreNotReadAgain(t *testing.T) {
	var (
		mu   sync.Mutex
		body string
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		io.WriteString(w, body)
	}))
	defer srv.Close()
	serve := func(s string) {
		mu.Lock()
		body = s
		mu.Unlock()
	}
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "village.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srcs, err := db.SyncSources(ctx, []model.Source{{Name: "Blog", URL: srv.URL + "/feed.xml"}})
	if err != nil {
		t.Fatal(err)
	}
	st := &recordingStore{Store: db}
	r := newRefresher(st)
	poll := func(name string, want store.Result, wantKnown string) {
		t.Helper()
		src, err := db.Source(ctx, srcs[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		out := r.Refresh(ctx, src, time.Time{})
		if out.Err != nil || out.Result != want {
			t.Errorf("%s: %+v, %v; want %+v", name, out.Result, out.Err, want)
		}
		if got := st.knownOf(); got != wantKnown {
			t.Errorf("%s: entries %s, want %s", name, got, wantKnown)
		}
	}

	serve(blogFeed([]string{"3", "2", "1"}, nil))
	poll("first poll", store.Result{New: 3}, "3:false 2:false 1:false")

	serve(blogFeed([]string{"4", "3", "2", "1"}, map[string]string{"2": "Post 2, edited: " + strings.Repeat("other words ", 30)}))
	poll("one new, one edited", store.Result{New: 1, Updated: 1, Unchanged: 2}, "4:false 3:true 2:false 1:true")
	entries, err := db.Entries(ctx, store.Query{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.GUID == "1" && (e.Title != "Post 1" || !strings.Contains(e.Content, "words of the post 1")) {
			t.Errorf("a known item's entry changed: %q %q", e.Title, e.Content)
		}
	}

	serve(blogFeed([]string{"5", "4", "3", "2", "1"}, map[string]string{"2": "Post 2, edited: " + strings.Repeat("other words ", 30)}))
	poll("the edited one again", store.Result{New: 1, Unchanged: 4}, "5:false 4:true 3:true 2:true 1:true")

	// The store clears a source's body digest when it must read every
	// item again (see store.SyncSources): re-listed, canonical changed.
	if _, err := db.SyncSources(ctx, []model.Source{{Name: "Blog", URL: srv.URL + "/feed.xml", Canonical: true}}); err != nil {
		t.Fatal(err)
	}
	serve(blogFeed([]string{"6", "5", "4", "3", "2", "1"}, map[string]string{"2": "Post 2, edited: " + strings.Repeat("other words ", 30)}))
	poll("a fresh start", store.Result{New: 1, Unchanged: 5}, "6:false 5:false 4:false 3:false 2:false 1:false")
	serve(blogFeed([]string{"7", "6", "5", "4", "3", "2", "1"}, map[string]string{"2": "Post 2, edited: " + strings.Repeat("other words ", 30)}))
	poll("after it", store.Result{New: 1, Unchanged: 6}, "7:false 6:true 5:true 4:true 3:true 2:true 1:true")

	// Read afresh between the parse and the save: read again, whole.
	st.meanwhile = func() {
		if _, err := db.SyncSources(ctx, []model.Source{{Name: "Blog", URL: srv.URL + "/feed.xml"}}); err != nil {
			t.Error(err)
		}
	}
	serve(blogFeed([]string{"8", "7", "6", "5", "4", "3", "2", "1"}, map[string]string{"2": "Post 2, edited: " + strings.Repeat("other words ", 30)}))
	poll("read afresh meanwhile", store.Result{New: 1, Unchanged: 7}, "8:false 7:false 6:false 5:false 4:false 3:false 2:false 1:false")
	if n := len(st.saved); n < 2 || st.saved[n-2].Known == nil {
		t.Error("the refresh did not try its known items first")
	}
}
