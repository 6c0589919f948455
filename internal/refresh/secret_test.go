package refresh

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/redact"
)

// TestRefreshRedactsSecrets fails a source whose URL carries a password, a
// token and a parameter the planet lists as secret, and looks for them in
// everything the refresh hands on: the log, the stored error and Outcome.
func TestRefreshRedactsSecrets(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/moved" {
			http.NotFound(w, r)
			return
		}
		http.Redirect(w, r, "/moved?sid=SECRET4", http.StatusFound)
	}))
	defer srv.Close()
	u := strings.Replace(srv.URL, "http://", "http://alice:SECRET1@", 1) + "/feed?token=SECRET2&sid=SECRET3"

	st := &fakeStore{}
	var logs bytes.Buffer
	r := newRefresher(st).Redact(redact.New([]string{"sid"}))
	r.log = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	out := r.Refresh(context.Background(), model.Source{ID: 1, URL: u}, time.Time{})
	if out.Err == nil || len(st.failures) != 1 {
		t.Fatalf("want a recorded failure (404 after the redirect), got %v, %d failures", out.Err, len(st.failures))
	}
	f := st.failures[0]
	for where, text := range map[string]string{"log": logs.String(), "stored error": f.Err, "problem": f.Problem, "outcome": out.Err.Error()} {
		for _, secret := range []string{"SECRET1", "SECRET2", "SECRET3", "SECRET4"} {
			if strings.Contains(text, secret) {
				t.Errorf("%s shows %s: %s", where, secret, text)
			}
		}
	}
	if !strings.Contains(f.Err, "fetch http://***@") || strings.Count(f.Err, "fetch") != 1 {
		t.Errorf("stored error %q: want the redacted URL after one \"fetch\"", f.Err)
	}
	if f.Problem != "HTTP 404 Not Found" {
		t.Errorf("problem = %q", f.Problem)
	}
}

func TestRefreshSendsCredentials(t *testing.T) {
	var user, pass string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, _ = r.BasicAuth()
		io.WriteString(w, rssFeed)
	}))
	defer srv.Close()
	r := newRefresher(&fakeStore{}).Credentials(map[string]Credential{srv.URL: {Username: "alice", Password: "s3cret"}})
	if out := r.Refresh(context.Background(), model.Source{ID: 1, URL: srv.URL}, time.Time{}); out.Err != nil {
		t.Fatal(out.Err)
	}
	if user != "alice" || pass != "s3cret" {
		t.Errorf("server saw %q:%q", user, pass)
	}
}
