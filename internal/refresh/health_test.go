package refresh

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/model"
)

// redirector serves rssFeed at /feed.xml and redirects /hopN paths with the
// status their name gives: /301/302/feed.xml redirects with 301 to
// /302/feed.xml, which redirects with 302 to /feed.xml.
func redirector(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch first, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/"); first {
		case "feed.xml":
			io.WriteString(w, rssFeed)
		case "301", "302", "307", "308":
			code := map[string]int{"301": 301, "302": 302, "307": 307, "308": 308}[first]
			http.Redirect(w, r, "/"+rest, code)
		case "gone":
			http.Error(w, "gone", http.StatusGone)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestRefreshRecordsPermanentMovesOnly(t *testing.T) {
	srv := redirector(t)
	const elsewhere = "https://elsewhere.example/feed.xml"
	for _, tc := range []struct {
		name      string
		path      string
		movedTo   string // the source's moved_to before
		wantMoved []string
		wantOut   string // Outcome.MovedTo; "final" stands for srv.URL/feed.xml
	}{
		{"301", "/301/feed.xml", "", []string{"final"}, "final"},
		{"301 then 308", "/301/308/feed.xml", "", []string{"final"}, "final"},
		{"302", "/302/feed.xml", "", nil, ""},
		{"307", "/307/feed.xml", "", nil, ""},
		{"301 then 302", "/301/302/feed.xml", "", nil, ""},
		{"302 keeps an earlier move", "/302/feed.xml", elsewhere, nil, elsewhere},
		{"already recorded", "/301/feed.xml", "final", nil, "final"},
		{"no redirect clears a move", "/feed.xml", elsewhere, []string{""}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			final := srv.URL + "/feed.xml"
			fix := func(s string) string { return strings.ReplaceAll(s, "final", final) }
			var logs bytes.Buffer
			st := &fakeStore{}
			r := newRefresher(st)
			src := model.Source{ID: 1, URL: srv.URL + tc.path, MovedTo: fix(tc.movedTo)}
			out := r.Refresh(context.Background(), src, time.Time{})
			out.Log(slog.New(slog.NewJSONHandler(&logs, nil)), nil)
			if out.Err != nil || out.New != 1 {
				t.Fatalf("outcome %+v; want one new entry stored from the final URL", out)
			}
			var want []string
			for _, m := range tc.wantMoved {
				want = append(want, fix(m))
			}
			if !slices.Equal(st.moved, want) {
				t.Errorf("MarkMoved calls %q; want %q", st.moved, want)
			}
			if out.MovedTo != fix(tc.wantOut) {
				t.Errorf("Outcome.MovedTo = %q; want %q", out.MovedTo, fix(tc.wantOut))
			}
			newMove := len(want) == 1 && want[0] != ""
			change := `in feeds.yaml, change \"url: ` + src.URL + `\" to \"url: ` + final + `\"`
			if got := strings.Contains(logs.String(), change); got != newMove {
				t.Errorf("log names the feeds.yaml change: %v, want %v; log:\n%s", got, newMove, logs.String())
			}
		})
	}
}

func TestRefreshGone(t *testing.T) {
	srv := redirector(t)
	var logs bytes.Buffer
	st := &fakeStore{}
	r := newRefresher(st)
	src := model.Source{ID: 1, URL: srv.URL + "/301/gone"}
	out := r.Refresh(context.Background(), src, time.Time{})
	out.Log(slog.New(slog.NewJSONHandler(&logs, nil)), nil)
	if !out.Gone || out.Status != 410 || out.Err == nil || out.Class != "http_4xx" {
		t.Fatalf("outcome %+v; want gone, 410, an http_4xx error", out)
	}
	if len(st.gone) != 1 || len(st.failures) != 0 || st.gone[0].Status != 410 {
		t.Fatalf("MarkGone %v, MarkFailed %v; want one MarkGone with 410", st.gone, st.failures)
	}
	if len(st.moved) != 0 {
		t.Errorf("a redirect to a 410 recorded a move: %q", st.moved)
	}
	if !strings.Contains(logs.String(), "feed gone") || !strings.Contains(logs.String(), "delete") {
		t.Errorf("log does not report the gone feed and what to do:\n%s", logs.String())
	}

	// Once gone, the source is not fetched again, whoever asks.
	src.Gone, src.LastStatus = true, 410
	var hits atomic.Int32
	counting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer counting.Close()
	src.URL = counting.URL
	if out := r.Refresh(context.Background(), src, time.Time{}); !out.Gone || out.Err != nil || hits.Load() != 0 {
		t.Errorf("refresh of a gone source: %+v, %d requests; want gone and no request", out, hits.Load())
	}
}

func TestRefreshErrorClass(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		status     int
		want       string
	}{
		{"ok", rssFeed, 200, ""},
		{"html page", "<!doctype html><html><body>moved</body></html>", 200, "not_feed"},
		{"broken rss", `<?xml version="1.0"?><rss version="2.0"><channel><item><title>x</ti`, 200, "parse"},
		{"server error", "", 503, "http_5xx"},
		{"not found", "", 404, "http_4xx"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			}))
			defer srv.Close()
			out := newRefresher(&fakeStore{}).Refresh(context.Background(), model.Source{ID: 1, URL: srv.URL}, time.Time{})
			if out.Class != tc.want || (out.Err == nil) != (tc.want == "") {
				t.Errorf("class %q err %v; want %q", out.Class, out.Err, tc.want)
			}
		})
	}
}

// TestRefreshLogKeys: the Info line per refresh carries exactly the keys
// log queries rely on, nothing more, and Refresh itself logs nothing: its
// caller reports the outcome once.
func TestRefreshLogKeys(t *testing.T) {
	srv := redirector(t)
	var logs bytes.Buffer
	r := newRefresher(&fakeStore{})
	r.log = slog.New(slog.NewJSONHandler(&logs, nil))
	out := r.Refresh(context.Background(), model.Source{ID: 1, Name: "Ann", URL: srv.URL + "/feed.xml"}, time.Time{})
	if logs.Len() != 0 {
		t.Fatalf("Refresh logged %q; the caller reports the outcome", logs.String())
	}
	out.Log(r.log, nil)
	var line map[string]any
	if err := json.Unmarshal(logs.Bytes(), &line); err != nil {
		t.Fatalf("want one JSON log line, got %q: %v", logs.String(), err)
	}
	var keys []string
	for k := range line {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"duplicates", "duration_ms", "feed_url", "level", "msg", "new_entries", "source", "status", "time"}
	if !reflect.DeepEqual(keys, want) {
		t.Errorf("Info line keys %v; want %v", keys, want)
	}
	if line["level"] != "INFO" || line["new_entries"] != 1.0 || line["status"] != 200.0 || line["source"] != "Ann" {
		t.Errorf("Info line %v", line)
	}
}
