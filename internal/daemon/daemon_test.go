package daemon

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// mirrorPairs is the ground truth of testdata/community/MANIFEST.md: the
// kubernetes.io post and its copy on the mirror.
var mirrorPairs = [][2]string{
	{"https://kubernetes.io/blog/2017/09/introducing-resource-management-working/", "https://k8s-mirror.example.org/p/2011"},
	{"https://kubernetes.io/blog/2017/10/kubernetes-community-steering-committee-election-results/", "https://k8s-mirror.example.org/p/2017"},
	{"https://kubernetes.io/blog/2017/10/software-conformance-certification/", "https://k8s-mirror.example.org/p/2026"},
	{"https://kubernetes.io/blog/2017/10/five-days-of-kubernetes-18/", "https://k8s-mirror.example.org/p/2031"},
	{"https://kubernetes.io/blog/2017/10/it-takes-village-to-raise-kubernetes/", "https://k8s-mirror.example.org/p/2034"},
	{"https://kubernetes.io/blog/2017/11/kubernetes-easy-way/", "https://k8s-mirror.example.org/p/2040"},
	{"https://kubernetes.io/blog/2017/11/securing-software-supply-chain-grafeas/", "https://k8s-mirror.example.org/p/2043"},
	{"https://kubernetes.io/blog/2017/12/using-ebpf-in-kubernetes/", "https://k8s-mirror.example.org/p/2058"},
}

// feedServer serves testdata files with an ETag and Last-Modified, answers
// conditional requests with 304, and counts the statuses it sent.
type feedServer struct {
	*httptest.Server
	mu       sync.Mutex
	statuses map[int]int
}

func newFeedServer(t *testing.T) *feedServer {
	t.Helper()
	fs := &feedServer{statuses: map[int]int{}}
	modified := time.Date(2018, 2, 1, 0, 0, 0, 0, time.UTC)
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(strings.TrimPrefix(r.URL.Path, "/"))))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		sum := sha256.Sum256(body)
		w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:8])+`"`)
		rec := &statusRecorder{ResponseWriter: w, status: 200}
		http.ServeContent(rec, r, r.URL.Path, modified, strings.NewReader(string(body)))
		fs.mu.Lock()
		fs.statuses[rec.status]++
		fs.mu.Unlock()
	}))
	t.Cleanup(fs.Close)
	return fs
}

func (fs *feedServer) takeStatuses() map[int]int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	s := fs.statuses
	fs.statuses = map[int]int{}
	return s
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// planet is a running daemon under test.
type planet struct {
	t       *testing.T
	d       *Daemon
	config  string
	events  chan Event
	base    string
	done    chan error
	cancel  context.CancelFunc
	srv     *feedServer
	sources string // the feed server's URL
}

func writeConfig(t *testing.T, path, feedBase string, feeds ...string) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "# a test planet\ntitle: Test Planet\nlink: https://planet.example.org/\nentries: 100\ninterval: 1h\n")
	// The feeds are served on loopback, which a public planet refuses.
	fmt.Fprintf(&b, "allow_private_networks: true\n")
	fmt.Fprintf(&b, "database: %s\nfeeds:\n", "village.db")
	for _, f := range feeds {
		name, file, _ := strings.Cut(f, "=")
		fmt.Fprintf(&b, "  - name: %q\n    url: %s/%s\n", name, feedBase, file)
	}
	// Write then rename, as editors do, so the watcher never reads half a file.
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

var communityFeeds = []string{
	"Kubernetes Blog=community/kubernetes-blog.atom.xml",
	"K8s Mirror=community/kubernetes-mirror.rss.xml",
	"Example OSPO Blog=community/oss-program-office.rss.xml",
	"Five Days of Kubernetes 1.6=community/series-boilerplate.atom.xml",
}

func startPlanet(t *testing.T, feeds ...string) *planet {
	t.Helper()
	return startPlanetLog(t, io.Discard, feeds...)
}

// startPlanetLog is startPlanet with the daemon's log written to log.
func startPlanetLog(t *testing.T, log io.Writer, feeds ...string) *planet {
	t.Helper()
	srv := newFeedServer(t)
	p := startPlanetOn(t, log, srv.URL, feeds...)
	p.srv = srv
	return p
}

// startPlanetOn starts a daemon on feeds served under base, its log
// written to log.
func startPlanetOn(t *testing.T, log io.Writer, base string, feeds ...string) *planet {
	t.Helper()
	config := filepath.Join(t.TempDir(), "feeds.yaml")
	writeConfig(t, config, base, feeds...)
	return launch(t, config, base, func(o *Options) { o.Logger = slog.New(slog.NewTextHandler(log, nil)) })
}

// runPlanet starts a daemon on the config file at config, which lists
// feeds of srv; opts may change its Options.
func runPlanet(t *testing.T, config string, srv *feedServer, opts ...func(*Options)) *planet {
	t.Helper()
	p := launch(t, config, srv.URL, opts...)
	p.srv = srv
	return p
}

// launch starts a daemon on the config file at config, whose feeds are
// served under base; opts may change its Options.
func launch(t *testing.T, config, base string, opts ...func(*Options)) *planet {
	t.Helper()
	p := &planet{t: t, config: config, events: make(chan Event, 1024), done: make(chan error, 1), sources: base}
	o := Options{
		ConfigPath:  p.config,
		Version:     "test",
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
		Listen:      "127.0.0.1:0",
		RenderEvery: time.Millisecond,
		Observe:     func(e Event) { p.events <- e },
	}
	for _, f := range opts {
		f(&o)
	}
	d, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	p.d = d
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	go func() { p.done <- d.Run(ctx) }()
	p.waitEvent("listening")
	p.base = "http://" + d.Addr()
	t.Cleanup(func() { p.stop() })
	return p
}

// stop shuts the daemon down and requires a clean exit.
func (p *planet) stop() {
	if p.cancel == nil {
		return
	}
	p.cancel()
	p.cancel = nil
	select {
	case err := <-p.done:
		if err != nil {
			p.t.Errorf("Run returned %v after shutdown; want nil", err)
		}
	case <-time.After(10 * time.Second):
		p.t.Error("daemon did not stop within 10s of cancellation")
	}
}

// waitEvent consumes events until one of kind arrives.
func (p *planet) waitEvent(kind string) Event {
	p.t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case e := <-p.events:
			if e.Kind == kind {
				return e
			}
		case err := <-p.done:
			p.t.Fatalf("daemon stopped while waiting for %q: %v", kind, err)
		case <-deadline:
			p.t.Fatalf("no %q event within 20s", kind)
		}
	}
}

// waitFeed waits, event by event, until the merged feed satisfies ok.
func (p *planet) waitFeed(what string, ok func(atomFeed) bool) atomFeed {
	p.t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		if f, err := p.feed(); err == nil && ok(f) {
			return f
		}
		select {
		case <-p.events:
		case err := <-p.done:
			p.t.Fatalf("daemon stopped while waiting for %s: %v", what, err)
		case <-deadline:
			f, _ := p.feed()
			p.t.Fatalf("feed never showed %s; last had %d entries", what, len(f.Entries))
		}
	}
}

type atomFeed struct {
	ID      string      `xml:"id"`
	Entries []atomEntry `xml:"entry"`
}

type atomEntry struct {
	ID    string `xml:"id"`
	Title string `xml:"title"`
	Links []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Source struct {
		Title string `xml:"title"`
	} `xml:"source"`
}

func (e atomEntry) link(rel string) []string {
	var out []string
	for _, l := range e.Links {
		if l.Rel == rel || (rel == "alternate" && l.Rel == "") {
			out = append(out, l.Href)
		}
	}
	return out
}

func (p *planet) feed() (atomFeed, error) {
	var f atomFeed
	resp, err := http.Get(p.base + "/atom.xml")
	if err != nil {
		return f, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return f, fmt.Errorf("status %d", resp.StatusCode)
	}
	err = xml.NewDecoder(resp.Body).Decode(&f)
	return f, err
}

func hasEntries(n int) func(atomFeed) bool {
	return func(f atomFeed) bool { return len(f.Entries) == n }
}

func TestDaemonEndToEnd(t *testing.T) {
	p := startPlanet(t, communityFeeds...)

	f := p.waitFeed("45 entries", hasEntries(45))
	assertMirrorPairsCollapsed(t, f)
	assertUniqueIDs(t, f)
	assertValidAtom(t, p.base+"/atom.xml")

	// A second poll: every source answers 304 and nothing changes.
	p.srv.takeStatuses()
	outs, err := p.d.PollAll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range outs {
		if !o.NotModified || o.Err != nil || o.Changed() {
			t.Errorf("second poll of %s: not_modified=%v err=%v new=%d; want an unchanged 304", o.Source.URL, o.NotModified, o.Err, o.New)
		}
	}
	if st := p.srv.takeStatuses(); st[304] != 4 || len(st) != 1 {
		t.Errorf("feed server answered %v on the second poll; want 4x304 only", st)
	}
	if f, _ := p.feed(); len(f.Entries) != 45 {
		t.Errorf("after the 304 poll the feed has %d entries; want 45", len(f.Entries))
	}

	// A source added to feeds.yaml at run time is fetched at once.
	writeConfig(t, p.config, p.sources, append(communityFeeds, "Contributor Notes=extra.json")...)
	f = p.waitFeed("the added source", hasEntries(47))
	if !hasLink(f, p.sources+"/2018/02/first-review/") {
		t.Error("the added JSON Feed's entry (relative url, resolved against the feed URL) is missing")
	}

	// A removed source stops being published.
	writeConfig(t, p.config, p.sources, communityFeeds[0], communityFeeds[1], communityFeeds[3], "Contributor Notes=extra.json")
	f = p.waitFeed("the OSPO entries gone", hasEntries(37))
	for _, e := range f.Entries {
		if strings.Contains(e.ID, "ospo.example.com") {
			t.Errorf("entry %s of the removed source is still published", e.ID)
		}
	}
}

// assertMirrorPairsCollapsed checks each cross-posted pair is one entry:
// the kubernetes.io original (published first) with the mirror's copy as
// its related link, whichever feed was fetched first. (Its id is the one
// the first copy stored was given, and never changes.)
func assertMirrorPairsCollapsed(t *testing.T, f atomFeed) {
	t.Helper()
	for _, pair := range mirrorPairs {
		var found []atomEntry
		for _, e := range f.Entries {
			links := append(e.link("alternate"), e.link("related")...)
			if contains(links, pair[0]) || contains(links, pair[1]) {
				found = append(found, e)
			}
		}
		if len(found) != 1 {
			t.Errorf("pair %s ~ %s: %d entries carry either link; want exactly 1", pair[0], pair[1], len(found))
			continue
		}
		e := found[0]
		if !contains(e.link("alternate"), pair[0]) || !contains(e.link("related"), pair[1]) {
			t.Errorf("pair %s: entry id %s, alternate %v, related %v; want the original as the entry and the mirror as related",
				pair[0], e.ID, e.link("alternate"), e.link("related"))
		}
	}
}

// assertValidAtom checks the document at url against RFC 4287's RELAX NG
// grammar with xmllint (libxml2-utils, installed by make test).
func assertValidAtom(t *testing.T, url string) {
	t.Helper()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("xmllint missing: install libxml2-utils (apt-get install -y libxml2-utils; make test does this)")
		}
		t.Skip("xmllint missing: install libxml2-utils (apt-get install -y libxml2-utils; make test does this)")
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	file := filepath.Join(t.TempDir(), "atom.xml")
	if err := os.WriteFile(file, body, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(xmllint, "--noout", "--relaxng", filepath.Join("testdata", "atom.rng"), file).CombinedOutput()
	if err != nil {
		t.Errorf("merged feed is not valid Atom: %v\n%s", err, out)
	}
}

func assertUniqueIDs(t *testing.T, f atomFeed) {
	t.Helper()
	seen := map[string]bool{}
	for _, e := range f.Entries {
		if e.ID == "" || seen[e.ID] {
			t.Errorf("entry id %q empty or repeated", e.ID)
		}
		seen[e.ID] = true
	}
}

func hasLink(f atomFeed, href string) bool {
	for _, e := range f.Entries {
		if contains(e.link("alternate"), href) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
