package refresh

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/filter"
	"github.com/villagefeeds/village/internal/model"
)

// TestSameBodyIsNotReadAgain: a server that ignores conditional GET sends
// the same feed again; the refresh records it as unchanged, with its status,
// without parsing or storing it. A changed body, or the same body read
// another way (another filter, a source now canonical), is read whole.
func TestSameBodyIsNotReadAgain(t *testing.T) {
	body := rssFeed
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, body)
	}))
	defer srv.Close()
	ctx := context.Background()
	st := &fakeStore{}
	r := newRefresher(st)
	src := model.Source{ID: 1, URL: srv.URL + "/feed.xml"}

	first := r.Refresh(ctx, src, time.Time{})
	if first.Err != nil || first.Same || len(st.saved) != 1 || len(st.saved[0].BodyDigest) == 0 {
		t.Fatalf("first poll: %+v, %d saved; want it stored with its digest", first, len(st.saved))
	}
	src.BodyDigest, src.Notes = st.saved[0].BodyDigest, []string{"a note kept from the last parse"}

	again := r.Refresh(ctx, src, time.Time{})
	if again.Err != nil || !again.Same || again.Kind() != KindUnchanged || again.Status != 200 || len(st.saved) != 1 {
		t.Fatalf("same body: %+v (%s), %d saved; want unchanged and nothing saved", again, again.Kind(), len(st.saved))
	}
	if u := st.same[0]; u.Status != 200 || string(u.Digest) != string(src.BodyDigest) || !u.NextCheck.After(u.CheckedAt) {
		t.Errorf("recorded %+v; want status 200, the digest and a next check", u)
	}
	if len(again.Notes) != 1 {
		t.Errorf("notes %q; want the stored ones kept", again.Notes)
	}

	readWhole := func(name string, r *Refresher, src model.Source) {
		t.Helper()
		n := len(st.saved)
		if out := r.Refresh(ctx, src, time.Time{}); out.Same || len(st.saved) != n+1 {
			t.Errorf("%s: same %v, %d saved; want the body read whole", name, out.Same, len(st.saved)-n)
		}
	}
	canonical := src
	canonical.Canonical = true
	readWhole("now canonical", r, canonical)
	filtered := newRefresher(st).Filter(map[string]filter.Filter{src.URL: {Exclude: &filter.Rule{Title: regexp.MustCompile("nothing")}}})
	readWhole("another filter", filtered, src)
	st.digestGone = true // the store cleared it meanwhile
	readWhole("digest cleared since", r, src)
	st.digestGone = false
	body += "\n"
	readWhole("changed body", r, src)
}
