package daemon

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
)

func get(t *testing.T, url string, header map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	// A bare transport: the default one would ask for gzip and hide it.
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestAtomServedWithValidatorsAndGzip(t *testing.T) {
	p := startPlanet(t, communityFeeds[2])
	p.waitFeed("the OSPO posts", hasEntries(10))

	resp := get(t, p.base+"/atom.xml", nil)
	if ct := resp.Header.Get("Content-Type"); ct != "application/atom+xml; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	etag, lm := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	if etag == "" || lm == "" {
		t.Fatalf("ETag %q, Last-Modified %q: want both", etag, lm)
	}
	plain, _ := io.ReadAll(resp.Body)

	if r := get(t, p.base+"/atom.xml", map[string]string{"If-None-Match": etag}); r.StatusCode != 304 {
		t.Errorf("If-None-Match with the current ETag: status %d, want 304", r.StatusCode)
	}
	if r := get(t, p.base+"/atom.xml", map[string]string{"If-None-Match": `"stale"`}); r.StatusCode != 200 {
		t.Errorf("If-None-Match with a stale ETag: status %d, want 200", r.StatusCode)
	}
	if r := get(t, p.base+"/atom.xml", map[string]string{"If-Modified-Since": lm}); r.StatusCode != 304 {
		t.Errorf("If-Modified-Since = Last-Modified: status %d, want 304", r.StatusCode)
	}

	r := get(t, p.base+"/atom.xml", map[string]string{"Accept-Encoding": "gzip"})
	if r.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Accept-Encoding: gzip answered with Content-Encoding %q", r.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	unzipped, _ := io.ReadAll(zr)
	if string(unzipped) != string(plain) {
		t.Error("gzipped body differs from the plain one")
	}
}

func TestHealthz(t *testing.T) {
	p := startPlanet(t, communityFeeds[2])
	p.waitFeed("the OSPO posts", hasEntries(10))
	resp := get(t, p.base+"/healthz", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	var h struct {
		Database string `json:"database"`
		Sources  int    `json:"sources"`
		Entries  int    `json:"entries"`
		LastPoll string `json:"last_poll"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		t.Fatal(err)
	}
	if h.Database != "ok" || h.Sources != 1 || h.Entries != 10 || h.LastPoll == "" {
		t.Errorf("healthz = %+v; want database ok, 1 source, 10 entries, a last poll", h)
	}
}

func TestInvalidEditKeepsRunningConfig(t *testing.T) {
	p := startPlanet(t, communityFeeds[2])
	p.waitFeed("the OSPO posts", hasEntries(10))

	bad := "feeds:\n  - name: broken\n    ur: http://127.0.0.1:1/feed.xml\n"
	if err := os.WriteFile(p.config+".tmp", []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(p.config+".tmp", p.config); err != nil {
		t.Fatal(err)
	}
	e := p.waitEvent("reload_failed")
	if e.Err == nil || !strings.Contains(e.Err.Error(), "feeds.yaml:3") {
		t.Errorf("reload error %v does not name feeds.yaml:3", e.Err)
	}
	if f, _ := p.feed(); len(f.Entries) != 10 {
		t.Errorf("after an invalid edit the feed has %d entries; want the 10 still published", len(f.Entries))
	}
	var h struct {
		ConfigErrors []string `json:"config_errors"`
	}
	json.NewDecoder(get(t, p.base+"/healthz", nil).Body).Decode(&h)
	if len(h.ConfigErrors) == 0 {
		t.Error("healthz does not report the config error")
	}
}
