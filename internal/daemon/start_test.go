package daemon

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestEmptyPlanetTakesItsFirstSourceAndLosesItsLast starts a planet with no
// sources, adds one by editing feeds.yaml and removes it again, as a new
// user does; the log says what each edit did.
func TestEmptyPlanetTakesItsFirstSourceAndLosesItsLast(t *testing.T) {
	var logs lockedBuffer
	p := startPlanetLog(t, &logs)

	start := regexp.MustCompile(`msg=serving version=test config=\S+feeds.yaml database=\S+village.db sources=0 addr=127.0.0.1:\d+`)
	if !start.MatchString(logs.String()) {
		t.Errorf("the start line lacks version, config, database, sources or address:\n%s", logs.String())
	}
	if home := getBody(t, p.base+"/"); !strings.Contains(home, "This planet has no sources yet") {
		t.Errorf("the empty planet's page does not say how to add a source:\n%s", home)
	}
	if f, err := p.feed(); err != nil || len(f.Entries) != 0 {
		t.Errorf("empty planet feed: %v, %d entries", err, len(f.Entries))
	}

	writeConfig(t, p.config, p.sources, "OSPO=community/oss-program-office.rss.xml")
	p.waitEvent("reloaded")
	p.waitFeed("the OSPO posts", hasEntries(10))
	if !strings.Contains(logs.String(), `msg="source added" source=OSPO feed_url=`+p.sources+`/community/oss-program-office.rss.xml`) {
		t.Errorf("the reload does not log the added source:\n%s", logs.String())
	}

	// Removing the last source is an edit like any other.
	writeConfig(t, p.config, p.sources)
	p.waitEvent("reloaded")
	p.waitFeed("no entries", hasEntries(0))
	if !strings.Contains(logs.String(), `msg="source removed" source=OSPO`) {
		t.Errorf("the reload does not log the removed source:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), "config not reloaded") {
		t.Errorf("an edit was refused:\n%s", logs.String())
	}
}

// TestReloadLogsChangedSources: a changed source is named with the keys
// that changed.
func TestReloadLogsChangedSources(t *testing.T) {
	var logs lockedBuffer
	p := startPlanetLog(t, &logs, "OSPO=community/oss-program-office.rss.xml")
	p.waitFeed("the OSPO posts", hasEntries(10))
	appendConfig(t, p.config, "    tags: [ospo]\n")
	p.waitEvent("reloaded")
	if !strings.Contains(logs.String(), `msg="source changed" source=OSPO feed_url=`+p.sources+`/community/oss-program-office.rss.xml fields=tags`) {
		t.Errorf("the reload does not log the change:\n%s", logs.String())
	}
}

// TestFilterEditHidesAndShowsStoredEntries: a rule added to a running
// planet takes stored entries out of the feed; removing it brings them back.
func TestFilterEditHidesAndShowsStoredEntries(t *testing.T) {
	p := startPlanet(t, "Kubernetes Blog=community/kubernetes-blog.atom.xml")
	all := len(p.waitFeed("the blog's posts", func(f atomFeed) bool { return len(f.Entries) > 0 }).Entries)
	before, err := os.ReadFile(p.config)
	if err != nil {
		t.Fatal(err)
	}
	appendConfig(t, p.config, "    exclude: {title: \"(?i)kubernetes\"}\n")
	p.waitEvent("reloaded")
	f := p.waitFeed("fewer posts", func(f atomFeed) bool { return len(f.Entries) < all })
	if len(f.Entries) == 0 {
		t.Fatal("the rule hid every post")
	}
	for _, e := range f.Entries {
		if strings.Contains(strings.ToLower(e.Title), "kubernetes") {
			t.Errorf("an excluded post is still in the feed: %q", e.Title)
		}
	}
	if err := os.WriteFile(p.config, before, 0o644); err != nil {
		t.Fatal(err)
	}
	p.waitEvent("reloaded")
	p.waitFeed("every post again", hasEntries(all))
}

// TestHealthStatesAgree follows one source from new to failing and checks
// that /sources.json, /healthz, /metrics and the page say the same.
func TestHealthStatesAgree(t *testing.T) {
	release := make(chan struct{})
	hung := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		http.Error(w, "down", http.StatusServiceUnavailable)
	}))
	defer hung.Close()
	p := startPlanet(t)
	appendConfig(t, p.config, fmt.Sprintf("  - name: Slow\n    url: %s/feed.xml\n", hung.URL))
	p.d.Reload() // the edit may come before the watcher is set up
	p.waitEvent("reloaded")

	// The first poll hangs: the source has never been fetched.
	p.waitSources("Slow new", func(s map[string]sourceRow) bool { return s["Slow"].State == "new" })
	assertStates(t, p, "new", "not fetched yet")

	close(release)
	p.waitSources("Slow failing", func(s map[string]sourceRow) bool { return s["Slow"].State == "failing" })
	assertStates(t, p, "failing", "last successful fetch: never (failing since ")
}

func assertStates(t *testing.T, p *planet, state, page string) {
	t.Helper()
	var h struct {
		States  map[string]int `json:"states"`
		Failing int            `json:"failing"`
	}
	if err := json.Unmarshal([]byte(getBody(t, p.base+"/healthz")), &h); err != nil {
		t.Fatal(err)
	}
	if h.States[state] != 1 || len(h.States) != 5 || (state == "failing") != (h.Failing == 1) {
		t.Errorf("/healthz states %v failing %d; want 1 %s", h.States, h.Failing, state)
	}
	var rep struct {
		States map[string]int `json:"states"`
	}
	if err := json.Unmarshal([]byte(getBody(t, p.base+"/sources.json")), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.States[state] != 1 || len(rep.States) != 5 {
		t.Errorf("/sources.json states %v; want 1 %s", rep.States, state)
	}
	if got := value(scrape(t, p.base), "village_sources", "state", state); got != 1 {
		t.Errorf(`village_sources{state=%q} = %v; want 1`, state, got)
	}
	p.waitPage("/", fmt.Sprintf("%s and %q", state, page), func(home string) bool {
		return strings.Contains(home, `<li class="state-`+state+`">`) && strings.Contains(home, page)
	})
}
