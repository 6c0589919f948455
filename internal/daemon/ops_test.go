package daemon

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// opsServer serves testdata without validators (every poll is a full
// 200), redirects /301/..., /308/..., /302/... and /307/... to the rest of
// the path with that status, answers 410 under /gone/, and counts requests.
type opsServer struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int
}

func newOpsServer(t *testing.T) *opsServer {
	t.Helper()
	s := &opsServer{hits: map[string]int{}}
	files := http.FileServer(http.Dir("testdata"))
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		first, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		switch first {
		case "301", "302", "307", "308":
			code := map[string]int{"301": 301, "302": 302, "307": 307, "308": 308}[first]
			http.Redirect(w, r, "/"+rest, code)
		case "gone":
			http.Error(w, "this blog is closed", http.StatusGone)
		case "changing":
			// The file, its bytes new on every poll: it is read whole.
			b, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(rest)))
			if err != nil {
				http.NotFound(w, r)
				return
			}
			fmt.Fprintf(w, "%s\n<!-- poll %d -->\n", b, s.hitCount(r.URL.Path))
		default:
			r.Header.Del("If-None-Match")
			r.Header.Del("If-Modified-Since")
			files.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *opsServer) hitCount(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// sourceRow is one source of /sources.json.
type sourceRow struct {
	Name       string `json:"name"`
	URL        string `json:"url"`
	State      string `json:"state"`
	LastStatus int    `json:"last_status"`
	MovedTo    string `json:"moved_to"`
	Fix        string `json:"fix"`
	Entries    int    `json:"entries"`
	NextCheck  string `json:"next_check"`
	LastCheck  string `json:"last_check"`
	LastError  string `json:"last_error"`
	ErrorCount int    `json:"error_count"`
}

func (p *planet) sourcesJSON() (map[string]sourceRow, error) {
	resp, err := http.Get(p.base + "/sources.json")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var rep struct {
		Sources []sourceRow `json:"sources"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil {
		return nil, err
	}
	out := map[string]sourceRow{}
	for _, s := range rep.Sources {
		out[s.Name] = s
	}
	return out, nil
}

// waitSources waits, event by event, until /sources.json satisfies ok.
func (p *planet) waitSources(what string, ok func(map[string]sourceRow) bool) map[string]sourceRow {
	p.t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		if s, err := p.sourcesJSON(); err == nil && ok(s) {
			return s
		}
		select {
		case <-p.events:
		case err := <-p.done:
			p.t.Fatalf("daemon stopped while waiting for %s: %v", what, err)
		case <-deadline:
			s, err := p.sourcesJSON()
			p.t.Fatalf("sources never showed %s; last: %+v %v", what, s, err)
		}
	}
}

// waitPage waits, re-reading after each event of the daemon, until the
// document at path satisfies ok: a page is rendered after the change that
// /sources.json already shows, in the publisher's next burst.
func (p *planet) waitPage(path, what string, ok func(string) bool) string {
	p.t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		if body := getBody(p.t, p.base+path); ok(body) {
			return body
		}
		select {
		case <-p.events:
		case err := <-p.done:
			p.t.Fatalf("daemon stopped while waiting for %s: %v", what, err)
		case <-deadline:
			p.t.Fatalf("%s never showed %s", path, what)
		}
	}
}

func TestMovedAndGoneEndToEnd(t *testing.T) {
	p := startPlanet(t, communityFeeds[2])
	p.waitFeed("the OSPO posts", hasEntries(10))
	ops := newOpsServer(t)
	writeConfig(t, p.config, ops.URL,
		"Moved=301/308/community/kubernetes-blog.atom.xml",
		"Temporary=302/community/series-boilerplate.atom.xml",
		"Gone=gone/feed.xml",
	)
	before, err := os.ReadFile(p.config)
	if err != nil {
		t.Fatal(err)
	}
	got := p.waitSources("moved, ok and gone", func(s map[string]sourceRow) bool {
		return len(s) == 3 && s["Moved"].State == "moved" && s["Temporary"].Entries > 0 && s["Gone"].State == "gone"
	})

	moved, final := got["Moved"], ops.URL+"/community/kubernetes-blog.atom.xml"
	if moved.MovedTo != final || moved.Entries == 0 {
		t.Errorf("moved source %+v; want moved_to %s and its entries stored", moved, final)
	}
	wantFix := fmt.Sprintf(`in feeds.yaml, change "url: %s" to "url: %s"`, moved.URL, final)
	if moved.Fix != wantFix {
		t.Errorf("moved source's fix %q; want %q", moved.Fix, wantFix)
	}
	if tmp := got["Temporary"]; tmp.State != "ok" || tmp.MovedTo != "" || tmp.Fix != "" {
		t.Errorf("source behind a 302: %+v; want ok, nothing recorded", tmp)
	}
	gone := got["Gone"]
	if gone.LastStatus != 410 || gone.NextCheck != "" || !strings.Contains(gone.Fix, "delete") {
		t.Errorf("gone source %+v; want 410, no next check, a fix", gone)
	}

	// Not polled again, even by a poll of everything; the file is untouched.
	if _, err := p.d.PollAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := ops.hitCount("/gone/feed.xml"); n != 1 {
		t.Errorf("the gone feed was requested %d times; want once", n)
	}
	if after, _ := os.ReadFile(p.config); !bytes.Equal(before, after) {
		t.Errorf("feeds.yaml was rewritten:\n%s", after)
	}
	if s, _ := p.sourcesJSON(); s["Moved"].MovedTo != final || s["Temporary"].MovedTo != "" {
		t.Errorf("after a second poll: %+v", s)
	}
}

func TestMetricsAfterFetch(t *testing.T) {
	p := startPlanet(t, communityFeeds...)
	p.waitFeed("45 entries", hasEntries(45))
	// Every source answered once with 200; this poll gets four 304s.
	outs, err := p.d.PollAll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	dups := 0
	for _, o := range outs {
		dups += o.Duplicates
	}
	if dups != 0 {
		t.Fatalf("a 304 poll found %d duplicates", dups)
	}

	m := scrape(t, p.base)
	// By outcome only: four sources answered 200, then 304.
	for _, outcome := range []string{"200", "304"} {
		if got := value(m, "village_fetches_total", "outcome", outcome); got != 4 {
			t.Errorf("village_fetches_total{outcome=%q} = %v; want 4", outcome, got)
		}
	}
	body := getBody(t, p.base+"/metrics")
	if strings.Contains(body, `source="`) {
		t.Error("/metrics has a series per source")
	}
	if strings.Contains(body, p.sources) {
		t.Error("/metrics shows a feed URL")
	}
	for _, name := range []string{"village_http_held_requests_total", "village_http_held_seconds_total"} {
		if got := value(m, name); got < 0 {
			t.Errorf("%s is not exported", name)
		}
	}
	if got := value(m, "village_fetch_connections_limit"); got != 64 {
		t.Errorf("village_fetch_connections_limit = %v, want the default 64", got)
	}
	want := map[string]float64{
		"village_entries_stored_total":       45,
		"village_duplicates_collapsed_total": float64(len(mirrorPairs)),
		"village_sources_failing":            0,
	}
	for name, v := range want {
		if got := value(m, name); got != v {
			t.Errorf("%s = %v; want %v", name, got, v)
		}
	}
	if got := value(m, "village_sources", "state", "ok"); got != 4 {
		t.Errorf(`village_sources{state="ok"} = %v; want 4`, got)
	}
	if h := m["village_fetch_duration_seconds"]; h == nil || h.GetMetric()[0].GetHistogram().GetSampleCount() != 8 {
		t.Errorf("fetch duration histogram: %v; want 8 observations", h)
	}
	if ts := value(m, "village_last_poll_timestamp_seconds"); ts < float64(time.Now().Add(-time.Hour).Unix()) {
		t.Errorf("last poll timestamp %v is not recent", ts)
	}

	// Requests are counted by route pattern and status.
	feeds0 := max(0, value(m, "village_http_requests_total", "handler", "GET /", "code", "200"))
	missing0 := max(0, value(m, "village_http_requests_total", "handler", "GET /", "code", "404"))
	for _, path := range []string{"/atom.xml", "/atom.xml", "/no-such-page"} {
		resp, err := http.Get(p.base + path)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	// The client can have the whole body a moment before the handler has
	// returned and been counted: scrape until the count is in (or never).
	var ok, missing float64
	for range 1000 {
		m = scrape(t, p.base)
		ok = value(m, "village_http_requests_total", "handler", "GET /", "code", "200") - feeds0
		missing = value(m, "village_http_requests_total", "handler", "GET /", "code", "404") - missing0
		if ok >= 2 && missing >= 1 {
			break
		}
	}
	if ok != 2 || missing != 1 {
		t.Errorf("counted %v more 200s and %v more 404s; want 2 and 1", ok, missing)
	}
	if value(m, "village_http_requests_total", "handler", "GET /metrics", "code", "200") < 1 {
		t.Error("the first scrape was not counted")
	}
}

func getBody(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func scrape(t *testing.T, base string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET /metrics: %s", resp.Status)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	m, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	return m
}

// value returns the counter or gauge of family name whose labels include
// the given name/value pairs, or -1 when there is none.
func value(m map[string]*dto.MetricFamily, name string, labels ...string) float64 {
	f := m[name]
	if f == nil {
		return -1
	}
next:
	for _, mt := range f.GetMetric() {
		have := map[string]string{}
		for _, l := range mt.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		for i := 0; i+1 < len(labels); i += 2 {
			if have[labels[i]] != labels[i+1] {
				continue next
			}
		}
		if c := mt.GetCounter(); c != nil {
			return c.GetValue()
		}
		return mt.GetGauge().GetValue()
	}
	return -1
}

func TestRetentionPrunesAndKeepsPrunedOut(t *testing.T) {
	p := startPlanet(t, "Contributor Notes=extra.json")
	p.waitFeed("the first source's posts", hasEntries(2))
	ops := newOpsServer(t) // no validators: every poll sends the whole feed again
	// One replacement of the file, so that no reload sees half the change.
	draft := p.config + ".draft"
	writeConfig(t, draft, ops.URL+"/changing", "OSPO="+strings.SplitN(communityFeeds[2], "=", 2)[1])
	appendConfig(t, draft, "retention:\n  max_entries: 3\n")
	if err := os.Rename(draft, p.config); err != nil {
		t.Fatal(err)
	}
	p.waitFeed("the OSPO posts", hasEntries(10))

	p.d.prune(context.Background())
	p.waitFeed("three entries left", hasEntries(3))

	outs, err := p.d.PollAll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != 1 || outs[0].Status != 200 || outs[0].New != 0 || outs[0].Pruned != 7 {
		t.Fatalf("poll after prune: %+v; want a 200 with the 7 pruned entries skipped", outs)
	}
	if s, _ := p.sourcesJSON(); s["OSPO"].Entries != 3 {
		t.Errorf("after a full poll the source has %d entries; want the 3 kept", s["OSPO"].Entries)
	}
}

// appendConfig adds text to the config file, replacing it as editors do.
func appendConfig(t *testing.T, path, text string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path+".tmp", append(b, text...), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(path+".tmp", path); err != nil {
		t.Fatal(err)
	}
}
