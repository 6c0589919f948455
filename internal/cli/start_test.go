package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestInit(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "planet.yaml")
	code, stdout, stderr := run(t, "init", "--config", cfg, "--title", "Planet: Go", "--link", "https://planet.example.org/go")
	if code != 0 {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		`wrote ` + cfg + `: a planet titled "Planet: Go", no sources yet`,
		"village add https://blog.example.org/ --config " + cfg,
		"village serve --config " + cfg,
		"start the planet at https://planet.example.org/go/",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("init's advice lacks %q:\n%s", want, stdout)
		}
	}
	written := readFile(t, cfg)
	for _, want := range []string{"title: 'Planet: Go'", "link: https://planet.example.org/go", "# output_dir: public", "include:", "feeds:\n"} {
		if !strings.Contains(written, want) {
			t.Errorf("the file lacks %q:\n%s", want, written)
		}
	}
	if code, stdout, _ := run(t, "check", "--config", cfg); code != 0 || !strings.Contains(stdout, "ok, 0 sources") || !strings.Contains(stdout, "village add") {
		t.Errorf("check of a new planet: exit %d, %q", code, stdout)
	}

	// An existing file is left alone, unless --force.
	writeFile(t, cfg, "# mine\n")
	if code, _, stderr := run(t, "init", "--config", cfg); code == 0 || !strings.Contains(stderr, "already exists") || readFile(t, cfg) != "# mine\n" {
		t.Errorf("init over a file: exit %d, %q", code, stderr)
	}
	if code, _, stderr := run(t, "init", "--config", cfg, "--force"); code != 0 || !strings.Contains(readFile(t, cfg), "title: Planet\n") {
		t.Errorf("init --force: exit %d, %q", code, stderr)
	}
	if code, _, stderr := run(t, "init", "--config", filepath.Join(dir, "x.yaml"), "--link", "planet.example.org"); code == 0 || !strings.Contains(stderr, "link: not an absolute http(s) URL") {
		t.Errorf("init with a bad link: exit %d, %q", code, stderr)
	}
}

// TestEveryCommandWithoutAConfigSaysHowToMakeOne: the first thing a new
// user runs must not answer "lstat feeds.yaml: no such file or directory".
func TestEveryCommandWithoutAConfigSaysHowToMakeOne(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "feeds.yaml")
	opml := filepath.Join(t.TempDir(), "x.opml")
	writeFile(t, opml, `<opml version="2.0"><body><outline text="a" xmlUrl="https://a.example/feed"/></body></opml>`)
	for _, args := range [][]string{
		{"serve"}, {"fetch"}, {"check"}, {"feeds"}, {"add", "https://blog.example.org/"}, {"remove", "Ann"},
		{"import", opml}, {"export"}, {"build", "--out", t.TempDir()}, {"prune"}, {"backup", filepath.Join(t.TempDir(), "b.db")},
	} {
		code, _, stderr := run(t, append(args, "--config", cfg)...)
		if code != 1 || !strings.Contains(stderr, "village: "+cfg+": no such file\n") ||
			!strings.Contains(stderr, "run `village init --config "+cfg+"`") || strings.Contains(stderr, "lstat") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
	if _, err := os.Stat(cfg); err == nil {
		t.Error("a command created feeds.yaml")
	}
}

// TestCheckYAMLSyntaxLines: village check names the line of each syntax
// error a hand edit makes.
func TestCheckYAMLSyntaxLines(t *testing.T) {
	const head = "title: Planet\nfeeds:\n  - name: Ann\n    url: https://ann.example.org/feed.xml\n"
	for _, tt := range []struct{ name, tail, want string }{
		{"unclosed flow sequence", "    tags: [go, notes\n  - url: https://bob.example.org/rss\n", `feeds.yaml:5: syntax error: a list opened with "["`},
		{"tab", "\ttags: [go]\n", "feeds.yaml:5: syntax error: a tab indents this line"},
		{"mis-indented appended source", "\n # Bob\n - name: Bob\n   url: https://bob.example.org/rss\n", "feeds.yaml:7: syntax error: this line is not indented like the lines around it"},
		{"missing colon", "  - name: Bob\n    url https://bob.example.org/rss\n    tags: [a]\n", `feeds.yaml:6: syntax error: expected "key: value"; is a ":" missing?`},
		{"unterminated quote", "  - name: \"Bob\n    url: https://bob.example.org/rss\n", "feeds.yaml:5: syntax error: a quoted string starts on this line and is never closed"},
	} {
		cfg := filepath.Join(t.TempDir(), "feeds.yaml")
		writeFile(t, cfg, head+tt.tail)
		code, _, stderr := run(t, "check", "--config", cfg)
		if code != 1 || !strings.HasPrefix(stderr, tt.want) {
			t.Errorf("%s: exit %d, stderr %q; want it to start with %q", tt.name, code, stderr, tt.want)
		}
	}
}

// lineWriter sends every line written to it down a channel, so a test can
// wait for a log line without sleeping.
type lineWriter struct {
	w     *io.PipeWriter
	lines chan string
}

func newLineWriter(t *testing.T) *lineWriter {
	r, w := io.Pipe()
	lw := &lineWriter{w: w, lines: make(chan string, 1024)}
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			lw.lines <- sc.Text()
		}
		close(lw.lines)
	}()
	t.Cleanup(func() { w.Close() })
	return lw
}

func (lw *lineWriter) Write(p []byte) (int, error) { return lw.w.Write(p) }

// waitLine returns the first line matching re, failing after a while.
func (lw *lineWriter) waitLine(t *testing.T, re string) []string {
	t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.After(20 * time.Second)
	for {
		select {
		case l, ok := <-lw.lines:
			if !ok {
				t.Fatalf("the log ended before a line matching %s", re)
			}
			if m := rx.FindStringSubmatch(l); m != nil {
				return m
			}
		case <-deadline:
			t.Fatalf("no log line matching %s within 20s", re)
		}
	}
}

// TestServeFromNothing: init, serve with no sources, add the first,
// remove the last, all while the daemon runs.
func TestServeFromNothing(t *testing.T) {
	p := newOpsPlanet(t) // a feed server and an empty feeds list
	cfg := filepath.Join(t.TempDir(), "feeds.yaml")
	if code, _, stderr := run(t, "init", "--config", cfg); code != 0 {
		t.Fatal(stderr)
	}
	writeFile(t, cfg, readFile(t, cfg)+"allow_private_networks: true # the test's feeds are on loopback\n")
	logs := newLineWriter(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() {
		done <- Main(ctx, []string{"serve", "--config", cfg, "--listen", "127.0.0.1:0"}, io.Discard, logs)
	}()
	defer func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d", code)
		}
	}()
	addr := logs.waitLine(t, `msg=serving version=\S+ config=\S+ database=\S+ sources=0 addr=(\S+)`)[1]
	if home := get(t, "http://"+addr+"/"); !strings.Contains(home, "This planet has no sources yet") {
		t.Errorf("the empty planet's page does not say how to start:\n%s", home)
	}

	if code, _, stderr := run(t, "add", p.srv.URL+"/five.xml", "--name", "Five", "--config", cfg); code != 0 {
		t.Fatalf("add: %s", stderr)
	}
	logs.waitLine(t, `msg="source added" source=Five`)
	logs.waitLine(t, `msg=refreshed source=Five .* new_entries=5`)

	if code, stdout, stderr := run(t, "remove", "Five", "--config", cfg); code != 0 || !strings.Contains(stdout, `removed "Five"`) {
		t.Fatalf("remove of the last source: exit %d, %s%s", code, stdout, stderr)
	}
	logs.waitLine(t, `msg="source removed" source=Five`)
	logs.waitLine(t, `msg="config reloaded" .* sources=0`)
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// TestFeedsShowsEveryStateAndItsFix runs fetch, then feeds, on sources in
// each state.
func TestFeedsShowsEveryStateAndItsFix(t *testing.T) {
	p := newOpsPlanet(t, "five.xml", "moved.xml", "gone.xml", "missing.xml")
	code, _, stderr := run(t, "fetch", "--config", p.cfg)
	if code != 0 {
		t.Fatalf("fetch: %s", stderr)
	}
	if stderr != "" {
		t.Errorf("fetch wrote to stderr what stdout already says:\n%s", stderr)
	}
	appendText(t, p.cfg, "  - name: later\n    url: "+p.srv.URL+"/later.xml\n")
	_, table, _ := run(t, "feeds", "--config", p.cfg)
	rows := map[string]string{}
	for _, l := range strings.Split(table, "\n") {
		if f := strings.Fields(l); len(f) > 1 {
			rows[f[0]] = l
		}
	}
	for name, want := range map[string][]string{
		"five":    {" ok ", p.srv.URL + "/five.xml"},
		"moved":   {" moved ", fmt.Sprintf(`in feeds.yaml, change "url: %[1]s/moved.xml" to "url: %[1]s/five.xml"`, p.srv.URL)},
		"gone":    {" gone ", fmt.Sprintf(`the feed was removed (410 Gone): delete "url: %s/gone.xml"`, p.srv.URL)},
		"missing": {" failing ", "  http 404 Not Found"},
		"later":   {" new ", "never"},
	} {
		for _, w := range want {
			if !strings.Contains(rows[name], w) {
				t.Errorf("row %s lacks %q:\n%s", name, w, table)
			}
		}
	}
	if strings.Count(rows["missing"], p.srv.URL) != 1 {
		t.Errorf("the failing row repeats its URL:\n%s", rows["missing"])
	}
	if _, wide, _ := run(t, "feeds", "--wide", "--config", p.cfg); !strings.Contains(wide, "fetch "+p.srv.URL+"/missing.xml: http 404 Not Found") {
		t.Errorf("--wide does not show the whole error:\n%s", wide)
	}
}

func TestShortError(t *testing.T) {
	const u = "https://ann.example.org/feed.xml"
	for _, tt := range []struct{ in, want string }{
		{"fetch " + u + ": http 503 Service Unavailable", "http 503 Service Unavailable"},
		{"fetch " + u + `: fetch: Get "` + u + `": dial tcp: lookup ann.example.org: no such host`, "dial tcp: lookup ann.example.org: no such host"},
		{"parse " + u + ": parse: the document is not a feed", "parse: the document is not a feed"},
		{"fetch " + u + ": " + strings.Repeat("long ", 30), strings.Repeat("long ", 12)[:59] + "…"},
	} {
		if got := shortError(u, tt.in); got != tt.want {
			t.Errorf("shortError(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestFirstRetries: a source that fails is due again a minute later, then
// two, as feeds --json shows.
func TestFirstRetries(t *testing.T) {
	p := newOpsPlanet(t, "missing.xml")
	for i, want := range []time.Duration{time.Minute, 2 * time.Minute} {
		p.run(t, "fetch")
		_, out, _ := p.run(t, "feeds", "--json")
		r := decodeRows(t, out)[0]
		if r.LastCheck == nil || r.NextCheck == nil || r.FailingSince == nil {
			t.Fatalf("row %+v", r)
		}
		// The jitter adds up to a tenth of the wait.
		if wait := r.NextCheck.Sub(*r.LastCheck); wait < want || wait >= want+want/10 {
			t.Errorf("failure %d: next check %v after the last; want %v", i+1, wait, want)
		}
	}
}

// TestFilterAndFaceOnTheSite: a source listed for some of its posts, with
// a face from a file, as fetch and build publish it.
func TestFilterAndFaceOnTheSite(t *testing.T) {
	srv := blogServer(t, map[string]string{"/feed.xml": `<?xml version="1.0"?><rss version="2.0"><channel><title>Ann</title><link>https://ann.example/</link>
<item><title>Kubernetes at home</title><link>https://ann.example/k8s</link><description>pods</description></item>
<item><title>Bread</title><link>https://ann.example/bread</link><description>flour</description><category>food</category></item>
<item><title>Notes</title><link>https://ann.example/notes</link><description>a kubectl trick</description><category>Kubernetes</category></item>
</channel></rss>`})
	dir := t.TempDir()
	cfg := filepath.Join(dir, "feeds.yaml")
	writeFile(t, filepath.Join(dir, "ann.png"), "\x89PNG\r\n\x1a\nface")
	writeFile(t, cfg, "allow_private_networks: true\nfeeds:\n  - name: Ann\n    url: "+srv.URL+"/feed.xml\n    face: ann.png\n"+
		"    include: {categories: [kubernetes], match: '(?i)kubernetes'}\n")
	if code, stdout, stderr := run(t, "fetch", "--config", cfg); code != 0 || !strings.Contains(stdout, "new   2") {
		t.Fatalf("fetch: exit %d, %s%s", code, stdout, stderr)
	}
	out := filepath.Join(dir, "public")
	if code, _, stderr := run(t, "build", "--out", out, "--config", cfg); code != 0 {
		t.Fatal(stderr)
	}
	home := readFile(t, filepath.Join(out, "index.html"))
	for _, want := range []string{"https://ann.example/k8s", "https://ann.example/notes", `<img class="face" src="./faces/ann.png"`} {
		if !strings.Contains(home, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	if strings.Contains(home, "https://ann.example/bread") {
		t.Error("the page shows the post the rule leaves out")
	}
	if face := readFile(t, filepath.Join(out, "faces", "ann.png")); face != "\x89PNG\r\n\x1a\nface" {
		t.Errorf("faces/ann.png = %q", face)
	}

	// A rule added later takes a stored post off the site; fetch says
	// nothing of it on stderr.
	appendText(t, cfg, "    exclude: {title: '^Notes$'}\n")
	if code, _, stderr := run(t, "fetch", "--config", cfg); code != 0 || stderr != "" {
		t.Fatalf("fetch with a new rule: exit %d, stderr %q", code, stderr)
	}
	if code, _, stderr := run(t, "build", "--out", out, "--config", cfg); code != 0 {
		t.Fatal(stderr)
	}
	if home := readFile(t, filepath.Join(out, "index.html")); strings.Contains(home, "https://ann.example/notes") || !strings.Contains(home, "https://ann.example/k8s") {
		t.Error("the stored post the new rule excludes is still on the page, or the other one left")
	}

	// A bad rule is refused with its line, before anything is fetched.
	writeFile(t, cfg, strings.Replace(readFile(t, cfg), "'^Notes$'", "'(unclosed'", 1))
	if code, _, stderr := run(t, "fetch", "--config", cfg); code != 1 || !strings.Contains(stderr, "feeds.yaml:7: feeds[0].exclude.title: invalid regular expression") {
		t.Errorf("a bad rule: exit %d, %q", code, stderr)
	}
}

func appendText(t *testing.T, path, text string) {
	t.Helper()
	writeFile(t, path, readFile(t, path)+text)
}
