package cli

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

func rssItems(items ...string) string {
	return `<?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title><link>https://blog.example/</link>` +
		strings.Join(items, "") + `</channel></rss>`
}

func rssItem(guid, link, date string) string {
	s := "<item><title>Post</title><description>Some text.</description>"
	if guid != "" {
		s += "<guid>" + guid + "</guid>"
	}
	if link != "" {
		s += "<link>" + link + "</link>"
	}
	if date != "" {
		s += "<pubDate>" + date + "</pubDate>"
	}
	return s + "</item>"
}

const aDate = "Mon, 01 Jan 2024 00:00:00 +0000"

// padded is a valid feed of about size bytes.
func padded(size int) string {
	return rssItems(rssItem("big", "https://blog.example/big", aDate) +
		"<item><guid>pad</guid><link>https://blog.example/pad</link><pubDate>" + aDate + "</pubDate><description>" +
		strings.Repeat("x", size) + "</description></item>")
}

// healthServer serves one feed per path, each with one thing wrong.
func healthServer(t *testing.T) *httptest.Server {
	t.Helper()
	good := rssItems(rssItem("a", "https://blog.example/a", aDate), rssItem("b", "https://blog.example/b", aDate))
	bodies := map[string]string{
		"/ok.xml":       good,
		"/page.html":    "<!doctype html><html><head><title>My blog</title></head><body>Hi</body></html>",
		"/broken.xml":   `<?xml version="1.0"?><rss version="2.0"><channel><item><title>x</ti`,
		"/undated.xml":  rssItems(rssItem("a", "https://blog.example/a", ""), rssItem("b", "https://blog.example/b", aDate)),
		"/relative.xml": rssItems(rssItem("a", "/posts/a", aDate)),
		"/dupes.xml":    rssItems(rssItem("same", "https://blog.example/a", aDate), rssItem("same", "https://blog.example/b", aDate)),
		"/noids.xml":    rssItems(rssItem("", "https://blog.example/a", aDate)),
		"/large.xml":    padded(1500 << 10),
		"/badbytes.xml": rssItems(strings.Replace(rssItem("a", "https://blog.example/a", aDate), "Post", "Café \xff", 1)),
		"/anonymous.xml": rssItems("<item><description>First, without id or link.</description></item>",
			"<item><description>Second, without id or link.</description></item>"),
		"/untitled.xml": rssItems("<item><guid>u</guid><link>https://blog.example/u</link><description>Words first.</description></item>"),
		"/charset.xml":  rssItems(strings.Replace(rssItem("a", "https://blog.example/a", aDate), "Post", "Café", 1)),
		"/huge.xml":     padded(3 << 20),
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/moved.xml":
			http.Redirect(w, r, "/moved-again.xml", http.StatusMovedPermanently)
		case "/moved-again.xml":
			http.Redirect(w, r, "/ok.xml", http.StatusPermanentRedirect)
		case "/temporary.xml":
			http.Redirect(w, r, "/ok.xml", http.StatusFound)
		case "/gone.xml":
			http.Error(w, "closed", http.StatusGone)
		default:
			body, ok := bodies[r.URL.Path]
			if !ok {
				http.NotFound(w, r)
				return
			}
			if r.URL.Path == "/charset.xml" {
				w.Header().Set("Content-Type", "text/xml; charset=iso-8859-1")
			}
			fmt.Fprint(w, body)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// closedURL is an address where nothing listens any more.
func closedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr + "/feed.xml"
}

func TestCheckFetchReportsEachProblem(t *testing.T) {
	srv := healthServer(t)
	tlsSrv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, rssItems(rssItem("a", "https://blog.example/a", aDate)))
	}))
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is the point
	tlsSrv.StartTLS()
	defer tlsSrv.Close()
	down := closedURL(t)

	cases := []struct {
		name, url, want string
	}{
		{"Fine", srv.URL + "/ok.xml", "ok, 2 items"},
		{"Temporary", srv.URL + "/temporary.xml", "ok, 2 items"},
		{"Moved", srv.URL + "/moved.xml", fmt.Sprintf(`moved permanently to %[1]s/ok.xml: in feeds.yaml, change "url: %[1]s/moved.xml" to "url: %[1]s/ok.xml"`, srv.URL)},
		{"Gone", srv.URL + "/gone.xml", fmt.Sprintf(`gone: the feed was removed (410 Gone): delete "url: %s/gone.xml" from feeds.yaml`, srv.URL)},
		{"Missing", srv.URL + "/missing.xml", "HTTP status: the server answered 404 Not Found"},
		{"Down", down, "unreachable: "},
		{"Self-signed", tlsSrv.URL + "/feed.xml", "TLS error: "},
		{"Page", srv.URL + "/page.html", "not a feed: the document is an HTML page"},
		{"Broken", srv.URL + "/broken.xml", "parse error: "},
		{"Undated", srv.URL + "/undated.xml", "no dates: 1 of 2 items have no readable date"},
		{"Relative", srv.URL + "/relative.xml", "relative links without a base: 1 of 1 items"},
		{"Dupes", srv.URL + "/dupes.xml", `duplicate ids: "same" used by more than one item; each post needs its own id (village tells the 2 posts with different links apart by id and link)`},
		{"No ids", srv.URL + "/noids.xml", "unstable ids: 1 of 1 items have no id"},
		{"Large", srv.URL + "/large.xml", "very large body: 1.5 MiB on every poll"},
		{"Huge", srv.URL + "/huge.xml", "very large body: body exceeds 2 MiB (max_body_size)"},
		{"Bad bytes", srv.URL + "/badbytes.xml", "encoding: 1 byte sequences are not valid UTF-8; replaced with U+FFFD"},
		{"Anonymous", srv.URL + "/anonymous.xml", "no ids or links: 2 of 2 items have neither a guid nor a link"},
		{"Untitled", srv.URL + "/untitled.xml", "no titles: 1 of 1 items have no title; village titles them from their first words"},
		{"Charset", srv.URL + "/charset.xml", "encoding: the server says charset=iso-8859-1 but the feed is UTF-8"},
	}
	var b strings.Builder
	b.WriteString("# health check fixture\nmax_body_size: 2MiB\nallow_private_networks: true\nfeeds:\n")
	line := map[string]int{}
	for i, c := range cases {
		line[c.name] = 5 + 2*i
		fmt.Fprintf(&b, "  - name: %s\n    url: %s\n", c.name, c.url)
	}
	cfg := filepath.Join(t.TempDir(), "feeds.yaml")
	writeFile(t, cfg, b.String())

	code, stdout, stderr := run(t, "check", "--fetch", "--config", cfg)
	if code != 1 {
		t.Errorf("exit status %d; want 1 (sources fail)", code)
	}
	for _, c := range cases {
		prefix := fmt.Sprintf("%s:%d: %s <%s>: ", cfg, line[c.name], c.name, c.url)
		if !strings.Contains(stdout, prefix+c.want) {
			t.Errorf("%s: no line %q in\n%s\nstderr: %s", c.name, prefix+c.want, stdout, stderr)
		}
	}
	// Each source's lines are its own: a good one has only "ok".
	for _, name := range []string{"Fine", "Temporary"} {
		if n := strings.Count(stdout, " "+name+" <"); n != 1 {
			t.Errorf("%s has %d lines; want 1", name, n)
		}
	}
	if !strings.Contains(stdout, "checked 19 sources: 2 ok, 10 with warnings, 7 failing") {
		t.Errorf("summary missing or wrong:\n%s", stdout)
	}
}

func TestCheckFetchWarningsAloneExitZero(t *testing.T) {
	srv := healthServer(t)
	cfg := filepath.Join(t.TempDir(), "feeds.yaml")
	writeFile(t, cfg, fmt.Sprintf("allow_private_networks: true\nfeeds:\n  - url: %s/ok.xml\n  - url: %s/undated.xml\n", srv.URL, srv.URL))
	code, stdout, _ := run(t, "check", "--fetch", "--config", cfg)
	if code != 0 || !strings.Contains(stdout, "1 ok, 1 with warnings, 0 failing") {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
	// Without --fetch nothing is fetched.
	code, stdout, _ = run(t, "check", "--config", cfg)
	if code != 0 || strings.Contains(stdout, "checked") {
		t.Errorf("check without --fetch: exit %d:\n%s", code, stdout)
	}
}

// A feed that gives its posts new ids on every generation makes readers show
// them again; check --fetch compares with the ids the database stored.
func TestCheckFetchReportsChangedIDs(t *testing.T) {
	var generation atomic.Int32
	generation.Store(1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, rssItems(
			rssItem(fmt.Sprintf("post-a-%d", generation.Load()), "https://blog.example/a", aDate),
			rssItem("post-b", "https://blog.example/b", aDate)))
	}))
	defer srv.Close()
	cfg := filepath.Join(t.TempDir(), "feeds.yaml")
	writeFile(t, cfg, fmt.Sprintf("allow_private_networks: true\nfeeds:\n  - name: Blog\n    url: %s/feed.xml\n", srv.URL))

	// Before any fetch there is no database: nothing to compare, none created.
	if _, stdout, _ := run(t, "check", "--fetch", "--config", cfg); !strings.Contains(stdout, "ok, 2 items") {
		t.Errorf("first check:\n%s", stdout)
	}
	if code, _, stderr := run(t, "fetch", "--config", cfg, "--log-level", "error"); code != 0 {
		t.Fatalf("fetch: %s", stderr)
	}
	generation.Store(2)
	code, stdout, _ := run(t, "check", "--fetch", "--config", cfg)
	if code != 0 || !strings.Contains(stdout, "unstable ids: 1 of 2 items have another id (guid) than when village last fetched them") {
		t.Errorf("exit %d; want a warning for the one changed id:\n%s", code, stdout)
	}
}
