package daemon

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

const installChromium = "install chromium: apt-get install -y chromium (make test does this)"

// TestBrowser opens the front page in a real headless chromium: the posts
// and subscriptions show, no script from a hostile feed runs, the page logs
// no error, it fits a phone's width, and a screenshot is kept.
func TestBrowser(t *testing.T) {
	bin, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(installChromium)
		}
		t.Skip(installChromium)
	}
	p := startPlanet(t, append(communityFeeds, "XSS Probe=xss.atom.xml")...)
	p.waitFeed("46 entries", hasEntries(46))

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	c := startChromium(t, ctx, bin)
	var target struct{ TargetID string }
	if err := c.call(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"}, &target); err != nil {
		t.Fatal(err)
	}
	var attached struct{ SessionID string }
	if err := c.call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &attached); err != nil {
		t.Fatal(err)
	}
	s := attached.SessionID
	for _, domain := range []string{"Runtime.enable", "Log.enable", "Page.enable"} {
		if err := c.call(ctx, s, domain, nil, nil); err != nil {
			t.Fatal(err)
		}
	}

	if err := c.call(ctx, s, "Emulation.setDeviceMetricsOverride",
		map[string]any{"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false}, nil); err != nil {
		t.Fatal(err)
	}
	var problems []string
	if err := c.call(ctx, s, "Page.navigate", map[string]any{"url": p.base + "/"}, nil); err != nil {
		t.Fatal(err)
	}
	problems = c.until(ctx, t, s, "Page.loadEventFired", p.base, problems)

	got := evaluatePage(ctx, t, c, s)
	checkPage(t, got)
	problems = c.drain(s, p.base, problems)
	for _, msg := range problems {
		t.Errorf("console error: %s", msg)
	}

	dir := t.TempDir()
	if d := os.Getenv("VILLAGE_SCREENSHOTS"); d != "" {
		dir = d // to look at them after the test
	}
	c.screenshot(ctx, t, s, filepath.Join(dir, "desktop.png"))
	// A phone: the page must fit its width, with no sideways scrolling.
	if err := c.call(ctx, s, "Emulation.setDeviceMetricsOverride",
		map[string]any{"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": true}, nil); err != nil {
		t.Fatal(err)
	}
	if phone := evaluatePage(ctx, t, c, s); phone.Width > 390 {
		t.Errorf("on a 390px wide phone the page is %dpx wide: it scrolls sideways", phone.Width)
	}
	c.screenshot(ctx, t, s, filepath.Join(dir, "phone.png"))
}

// pageState is what the test reads from the loaded page.
type pageState struct {
	XSS      string   `json:"xss"`
	Title    string   `json:"title"`
	Entries  int      `json:"entries"`
	Sources  []string `json:"sources"`
	Scripts  int      `json:"scripts"`
	Handlers int      `json:"handlers"`
	JSLinks  int      `json:"jsLinks"`
	Text     string   `json:"text"`
	CSSRules int      `json:"cssRules"`
	Width    int      `json:"width"`
}

const pageProbe = `JSON.stringify({
  xss: typeof window.__xss,
  title: document.title,
  entries: document.querySelectorAll("article.entry").length,
  sources: Array.from(document.querySelectorAll(".subscriptions li .name")).map(e => e.textContent),
  scripts: document.scripts.length,
  handlers: document.querySelectorAll("[onerror],[onload],[onclick]").length,
  jsLinks: Array.from(document.querySelectorAll("[href]")).filter(a => /^\s*javascript:/i.test(a.getAttribute("href"))).length,
  text: document.body.innerText,
  cssRules: document.styleSheets.length ? document.styleSheets[0].cssRules.length : 0,
  width: document.documentElement.scrollWidth
})`

func evaluatePage(ctx context.Context, t *testing.T, c *cdp, session string) pageState {
	t.Helper()
	var res struct {
		Result struct {
			Value string `json:"value"`
		} `json:"result"`
		ExceptionDetails json.RawMessage `json:"exceptionDetails"`
	}
	if err := c.call(ctx, session, "Runtime.evaluate", map[string]any{"expression": pageProbe, "returnByValue": true}, &res); err != nil {
		t.Fatal(err)
	}
	var st pageState
	if err := json.Unmarshal([]byte(res.Result.Value), &st); err != nil {
		t.Fatalf("probe: %v (%s)", err, res.ExceptionDetails)
	}
	return st
}

func checkPage(t *testing.T, got pageState) {
	t.Helper()
	if got.XSS != "undefined" || got.Title != "Test Planet" {
		t.Errorf("a payload ran: typeof window.__xss = %q, title %q", got.XSS, got.Title)
	}
	if got.Scripts != 0 || got.Handlers != 0 || got.JSLinks != 0 {
		t.Errorf("the page holds %d scripts, %d event handlers, %d javascript: links; want none", got.Scripts, got.Handlers, got.JSLinks)
	}
	if got.Entries != 46 {
		t.Errorf("%d entries shown, want 46", got.Entries)
	}
	wantSources := []string{"Example OSPO Blog", "Five Days of Kubernetes 1.6", "K8s Mirror", "Kubernetes Blog", "XSS Probe"}
	if !slices.Equal(slices.Sorted(slices.Values(got.Sources)), wantSources) {
		t.Errorf("subscriptions %q, want %q", got.Sources, wantSources)
	}
	for _, text := range []string{"It Takes a Village to Raise a Kubernetes", "XSS probe body", "Also published at", "Read more"} {
		if !strings.Contains(got.Text, text) {
			t.Errorf("the page does not show %q", text)
		}
	}
	if got.CSSRules == 0 {
		t.Error("the stylesheet did not load")
	}
}

// until collects console errors until the session sends event method.
func (c *cdp) until(ctx context.Context, t *testing.T, session, method, origin string, problems []string) []string {
	t.Helper()
	for {
		select {
		case <-ctx.Done():
			t.Fatalf("no %s: %v\nchromium: %s", method, ctx.Err(), c.stderr)
		case m, ok := <-c.events:
			if !ok {
				t.Fatalf("chromium quit before %s: %s", method, c.stderr)
			}
			if m.SessionID != session {
				continue
			}
			if m.Method == method {
				return problems
			}
			if msg := consoleError(m, origin); msg != "" {
				problems = append(problems, msg)
			}
		}
	}
}

// drain collects the console errors already received.
func (c *cdp) drain(session, origin string, problems []string) []string {
	for {
		select {
		case m, ok := <-c.events:
			if !ok {
				return problems
			}
			if msg := consoleError(m, origin); m.SessionID == session && msg != "" {
				problems = append(problems, msg)
			}
		default:
			return problems
		}
	}
}

// consoleError describes m if it reports an error of the page. A resource
// that fails to load from another host than the planet is the test's
// missing network, not the page's fault.
func consoleError(m cdpMessage, origin string) string {
	switch m.Method {
	case "Runtime.exceptionThrown":
		return "exception: " + string(m.Params)
	case "Runtime.consoleAPICalled":
		var p struct {
			Type string          `json:"type"`
			Args json.RawMessage `json:"args"`
		}
		json.Unmarshal(m.Params, &p)
		if p.Type == "error" || p.Type == "assert" {
			return "console." + p.Type + ": " + string(p.Args)
		}
	case "Log.entryAdded":
		var p struct {
			Entry struct {
				Level, Source, Text, URL string
			} `json:"entry"`
		}
		json.Unmarshal(m.Params, &p)
		e := p.Entry
		if e.Level != "error" || (e.Source == "network" && !strings.HasPrefix(e.URL, origin)) {
			return ""
		}
		return fmt.Sprintf("%s: %s %s", e.Source, e.Text, e.URL)
	}
	return ""
}

func (c *cdp) screenshot(ctx context.Context, t *testing.T, session, path string) {
	t.Helper()
	var shot struct{ Data string }
	if err := c.call(ctx, session, "Page.captureScreenshot", map[string]any{"format": "png"}, &shot); err != nil {
		t.Fatal(err)
	}
	png, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil || len(png) < 1000 {
		t.Fatalf("screenshot: %d bytes, %v", len(png), err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}
