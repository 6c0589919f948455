package farm

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"io"
	"net/http"
	"strings"
	"testing"
)

// parsed is the part of an Atom or RSS document the tests look at.
type parsed struct {
	XMLName xml.Name
	Entries []struct {
		ID      string `xml:"id"`
		Content string `xml:"content"`
	} `xml:"entry"`
	Items []struct {
		GUID        string `xml:"guid"`
		Link        string `xml:"link"`
		Description string `xml:"description"`
		Encoded     string `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
	} `xml:"channel>item"`
}

// ids returns the entry ids, newest first, and the HTML of each entry.
func (p *parsed) ids() (ids, html []string) {
	for _, e := range p.Entries {
		ids, html = append(ids, e.ID), append(html, e.Content)
	}
	for _, it := range p.Items {
		ids = append(ids, it.Link)
		if it.Encoded != "" {
			html = append(html, it.Encoded)
		} else {
			html = append(html, it.Description)
		}
	}
	return ids, html
}

func start(t *testing.T, opts Options) *Farm {
	t.Helper()
	f, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func get(t *testing.T, url string, header ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func readFeed(t *testing.T, url string) (*parsed, *http.Response) {
	t.Helper()
	resp := get(t, url)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	var p parsed
	if err := xml.NewDecoder(resp.Body).Decode(&p); err != nil {
		t.Fatalf("GET %s: not XML: %v", url, err)
	}
	return &p, resp
}

func TestServesParsableFeeds(t *testing.T) {
	const entries = 7
	f := start(t, Options{Feeds: 12, Entries: entries, Hosts: 3})
	if got := len(f.URLs()); got != 12 {
		t.Fatalf("URLs: got %d, want 12", got)
	}
	formats := map[string]int{}
	for _, u := range f.URLs() {
		p, resp := readFeed(t, u)
		formats[p.XMLName.Local]++
		ids, html := p.ids()
		if len(ids) != entries {
			t.Errorf("%s: %d entries, want %d", u, len(ids), entries)
		}
		for i, h := range html {
			if !strings.Contains(h, "<p>") {
				t.Errorf("%s: entry %d has no HTML paragraph: %.80q", u, i, h)
			}
		}
		ct := resp.Header.Get("Content-Type")
		if want := map[string]string{"feed": "application/atom+xml", "rss": "application/rss+xml"}[p.XMLName.Local]; !strings.HasPrefix(ct, want) {
			t.Errorf("%s: Content-Type %q for a %s document", u, ct, p.XMLName.Local)
		}
		if resp.Header.Get("ETag") == "" || resp.Header.Get("Last-Modified") == "" {
			t.Errorf("%s: no validators: %v", u, resp.Header)
		}
	}
	if formats["feed"] == 0 || formats["rss"] == 0 {
		t.Errorf("formats %v: want both Atom and RSS", formats)
	}
}

func TestSpreadsOverHosts(t *testing.T) {
	f := start(t, Options{Feeds: 6, Entries: 1, Hosts: 3})
	hosts := map[string]bool{}
	for _, u := range f.URLs() {
		hosts[strings.Split(u, "/")[2]] = true
	}
	if len(hosts) != 3 || f.Hosts() != 3 {
		t.Errorf("feeds on %d host:ports %v, %d listeners; want 3", len(hosts), hosts, f.Hosts())
	}
}

func TestConditionalGet(t *testing.T) {
	f := start(t, Options{Feeds: 2, Entries: 2, Hosts: 1})
	u := f.URLs()[0]
	first := get(t, u)
	etag, modified := first.Header.Get("ETag"), first.Header.Get("Last-Modified")
	tests := []struct {
		name   string
		header []string
		want   int
	}{
		{"no validators", nil, 200},
		{"matching etag", []string{"If-None-Match", etag}, 304},
		{"etag in a list, weak", []string{"If-None-Match", `"x", W/` + etag}, 304},
		{"star", []string{"If-None-Match", "*"}, 304},
		{"stale etag", []string{"If-None-Match", `"stale"`}, 200},
		{"stale etag wins over date", []string{"If-None-Match", `"stale"`, "If-Modified-Since", modified}, 200},
		{"same date", []string{"If-Modified-Since", modified}, 304},
		{"older date", []string{"If-Modified-Since", "Mon, 02 Jan 2006 15:04:05 GMT"}, 200},
	}
	f.ResetStats()
	var want200, want304 int
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := get(t, u, tt.header...)
			if resp.StatusCode != tt.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.want)
			}
		})
		if tt.want == 200 {
			want200++
		} else {
			want304++
		}
	}
	if ok, nm := f.Stats(); ok != want200 || nm != want304 {
		t.Errorf("Stats() = %d, %d; want %d, %d", ok, nm, want200, want304)
	}
	f.ResetStats()
	if ok, nm := f.Stats(); ok != 0 || nm != 0 {
		t.Errorf("after ResetStats, Stats() = %d, %d", ok, nm)
	}
}

func TestGzip(t *testing.T) {
	f := start(t, Options{Feeds: 1, Entries: 3, Hosts: 1})
	plain, err := io.ReadAll(get(t, f.URLs()[0]).Body)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		accept string
		gzip   bool
	}{
		{"gzip", true},
		{"br, gzip;q=0.5", true},
		{"GZIP", true},
		{"gzip;q=0", false},
		{"identity", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.accept, func(t *testing.T) {
			resp := get(t, f.URLs()[0], "Accept-Encoding", tt.accept)
			var r io.Reader = resp.Body
			if got := resp.Header.Get("Content-Encoding") == "gzip"; got != tt.gzip {
				t.Fatalf("gzipped = %v, want %v", got, tt.gzip)
			}
			if tt.gzip {
				zr, err := gzip.NewReader(resp.Body)
				if err != nil {
					t.Fatal(err)
				}
				r = zr
			}
			body, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(body, plain) {
				t.Errorf("body differs from the plain one (%d vs %d bytes)", len(body), len(plain))
			}
		})
	}
}

func TestNotFound(t *testing.T) {
	f := start(t, Options{Feeds: 2, Entries: 1, Hosts: 1})
	base := strings.SplitAfterN(f.URLs()[0], "/", 4)
	origin := strings.Join(base[:3], "")
	wrongFile := strings.Replace(f.URLs()[0], "atom.xml", "xx.xml", 1)
	wrongFile = strings.Replace(wrongFile, "rss.xml", "xx.xml", 1)
	for _, path := range []string{"/", "/blog/", "/blog/0002/atom.xml", "/blog/-1/rss.xml", "/blog/x/atom.xml"} {
		if resp := get(t, origin+path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, resp.StatusCode)
		}
	}
	if resp := get(t, wrongFile); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET %s: %d, want 404", wrongFile, resp.StatusCode)
	}
}

func TestOptions(t *testing.T) {
	tests := []struct {
		opts Options
		ok   bool
	}{
		{Options{Feeds: -1}, false},
		{Options{Entries: -1}, false},
		{Options{Hosts: 255}, false},
		{Options{Hosts: -2}, false},
		{Options{}, true},
	}
	for _, tt := range tests {
		got, err := tt.opts.withDefaults()
		if (err == nil) != tt.ok {
			t.Errorf("%+v: error %v, want ok=%v", tt.opts, err, tt.ok)
		}
		if tt.ok && (got.Feeds != DefaultFeeds || got.Entries != DefaultEntries || got.Hosts != DefaultHosts) {
			t.Errorf("defaults: %+v", got)
		}
	}
}
