package config

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// errorTests pairs a bad file with every line Parse must report for it.
// FuzzParse seeds from them too.
var errorTests = []struct {
	name string
	yml  string
	want []string
}{
	// YAML syntax, on the line at fault: yaml's own line is often the one
	// before (go-yaml/yaml#205) or where the enclosing block began.
	{"syntax", "title: Planet\nfeeds:\n  - url: x\n   bad: [\n", []string{
		"feeds.yaml:4: syntax error: this line is not indented like the lines around it (did not find expected '-' indicator)"}},
	{"unclosed flow list", oneFeed + "title: [unclosed\n", []string{
		`feeds.yaml:3: syntax error: a list opened with "[" on this line is not closed with "]"`}},
	{"mapping in scalar context", oneFeed + "key: value\n  bad indent: x\n", []string{
		`feeds.yaml:4: syntax error: a ":" where no key can start: quote a value that holds ": ", or indent the key like the keys around it`}},
	{"tab indentation", oneFeed + "title: a\n\tauthor: b\n", []string{
		"feeds.yaml:4: syntax error: a tab indents this line; YAML indents with spaces only"}},
	{"unknown anchor", oneFeed + "title: *nope\n", []string{
		"feeds.yaml:3: syntax error: unknown anchor 'nope' referenced"}},
	{"two documents", oneFeed + "---\n" + oneFeed, []string{
		"feeds.yaml:3: syntax error: more than one YAML document"}},
	{"top level is a list", "- url: https://kubernetes.io/feed.xml\n", []string{
		"feeds.yaml:1: expected a mapping, got a list"}},
	{"top level is a string", "https://kubernetes.io/feed.xml\n", []string{
		`feeds.yaml:1: expected a mapping, got "https://kubernetes.io/feed.xml"`}},

	// De-duplication.
	{"dedup window too long", oneFeed + "dedup:\n  window: 400d\n", []string{"feeds.yaml:4: dedup.window: must be at most 365d, got 400d"}},
	{"dedup window too short", oneFeed + "dedup:\n  window: 1h\n", []string{"feeds.yaml:4: dedup.window: must be at least 1d, got 1h"}},
	{"dedup unknown key", oneFeed + "dedup:\n  windwo: 7d\n", []string{"feeds.yaml:4: dedup.windwo: unknown key"}},
	{"near_duplicates not a bool", oneFeed + "dedup:\n  near_duplicates: yes\n", []string{`feeds.yaml:4: dedup.near_duplicates: expected true or false, got "yes"`}},
	{"canonical not a bool", "feeds:\n  - url: https://kubernetes.io/feed.xml\n    canonical: 1\n", []string{`feeds.yaml:3: feeds[0].canonical: expected true or false, got "1"`}},

	// Unknown and duplicate keys.
	{"unknown top-level key", "titel: Planet\n" + oneFeed, []string{"feeds.yaml:1: titel: unknown key"}},
	{"unknown feed key", `title: Planet Kubernetes
feeds:
  - name: Kubernetes Blog
    url: https://kubernetes.io/feed.xml
  - name: CNCF
    url: https://www.cncf.io/feed/
    homepge: https://www.cncf.io/
`, []string{"feeds.yaml:7: feeds[1].homepge: unknown key"}},
	{"duplicate top-level key", "title: A\n" + oneFeed + "title: B\n", []string{
		"feeds.yaml:4: title: duplicate key (first at line 1)"}},
	{"duplicate feed key", "feeds:\n  - url: https://a.example/\n    url: https://b.example/\n", []string{
		"feeds.yaml:3: feeds[0].url: duplicate key (first at line 2)"}},
	{"non-string key", oneFeed + "[a, b]: c\n", []string{
		"feeds.yaml:3: expected a string key, got a list"}},

	// Wrong types name the field.
	{"string given a list", oneFeed + "title: [a, b]\n", []string{"feeds.yaml:3: title: expected a string, got a list"}},
	{"integer given a word", oneFeed + "entries: many\n", []string{`feeds.yaml:3: entries: expected an integer, got "many"`}},
	{"integer given a quoted number", oneFeed + "entries: \"50\"\n", []string{`feeds.yaml:3: entries: expected an integer, got "50"`}},
	{"integer given a float", oneFeed + "concurrency: 1.5\n", []string{`feeds.yaml:3: concurrency: expected an integer, got "1.5"`}},
	{"integer overflow", oneFeed + "entries: 99999999999999999999\n", []string{
		`feeds.yaml:3: entries: expected an integer, got "99999999999999999999"`}},
	{"feeds given a mapping", "feeds:\n  url: https://kubernetes.io/feed.xml\n", []string{
		"feeds.yaml:2: feeds: expected a list, got a mapping"}},
	{"feed item given a string", "feeds:\n  - https://kubernetes.io/feed.xml\n", []string{
		`feeds.yaml:2: feeds[0]: expected a mapping, got "https://kubernetes.io/feed.xml"`}},
	{"null feed item", "feeds:\n  - url: https://kubernetes.io/feed.xml\n  -\n", []string{
		"feeds.yaml:3: feeds[1]: expected a mapping, got nothing"}},
	{"tags given a string", oneFeed + "    tags: k8s\n", []string{`feeds.yaml:3: feeds[0].tags: expected a list, got "k8s"`}},
	{"tag given a mapping", oneFeed + "    tags: [{a: b}]\n", []string{"feeds.yaml:3: feeds[0].tags[0]: expected a string, got a mapping"}},
	{"url given a list", "feeds:\n  - url: [https://kubernetes.io/feed.xml]\n", []string{
		"feeds.yaml:2: feeds[0].url: expected a string, got a list"}},
	{"self-referencing anchor", "feeds: &a [*a]\n", []string{"feeds.yaml:1: feeds[0]: expected a mapping, got a list"}},
	{"bad merge list", "feeds:\n  - <<: [x]\n    url: https://a.example/\n", []string{
		`feeds.yaml:2: feeds[0].<<: expected a mapping, got "x"`}},
	{"long value is shortened", oneFeed + "entries: " + strings.Repeat("é", 40) + "\n", []string{
		`feeds.yaml:3: entries: expected an integer, got "` + strings.Repeat("é", 30) + `..."`}},
	{"bad merge", "feeds:\n  - <<: x\n    url: https://a.example/\n", []string{
		`feeds.yaml:2: feeds[0].<<: expected a mapping or a list of mappings, got "x"`}},

	// URLs.
	{"missing url", "feeds:\n  - url: https://kubernetes.io/feed.xml\n  - name: CNCF\n", []string{"feeds.yaml:3: feeds[1].url: missing"}},
	{"null url", "feeds:\n  - url:\n", []string{"feeds.yaml:2: feeds[0].url: missing"}},
	{"empty url", "feeds:\n  - url: ''\n", []string{"feeds.yaml:2: feeds[0].url: missing"}},
	{"invalid url", `# line 1
title: Planet Kubernetes

feeds:
  - name: Kubernetes Blog
    url: https://kubernetes.io/feed.xml
  - name: Contributors
    url: https://www.kubernetes.dev/feed.xml
  - name: CNCF
    url: https://www.cncf.io/feed/
  - name: etcd
    url: etcd.io/blog/index.xml
`, []string{"feeds.yaml:12: feeds[3].url: not an absolute http(s) URL"}},
	{"relative url", "feeds:\n  - url: /feed.xml\n", []string{"feeds.yaml:2: feeds[0].url: not an absolute http(s) URL"}},
	{"ftp url", "feeds:\n  - url: ftp://kubernetes.io/feed.xml\n", []string{"feeds.yaml:2: feeds[0].url: not an absolute http(s) URL"}},
	{"url without host", "feeds:\n  - url: 'http://'\n", []string{"feeds.yaml:2: feeds[0].url: not an absolute http(s) URL"}},
	{"opaque url", "feeds:\n  - url: 'http:kubernetes.io'\n", []string{"feeds.yaml:2: feeds[0].url: not an absolute http(s) URL"}},
	{"unparsable url", "feeds:\n  - url: 'http://[::1'\n", []string{"feeds.yaml:2: feeds[0].url: not an absolute http(s) URL"}},
	{"invalid homepage", oneFeed + "    homepage: kubernetes.io\n", []string{"feeds.yaml:3: feeds[0].homepage: not an absolute http(s) URL"}},

	// Duplicates name both lines.
	{"duplicate url", `feeds:
  - url: https://kubernetes.io/feed.xml
  - url: https://www.cncf.io/feed/
  - url: HTTPS://Kubernetes.IO/feed.xml/
`, []string{"feeds.yaml:4: feeds[2].url: duplicate of feeds[0] (line 2)"}},
	{"duplicate url after a bad item", `feeds:
  - url: https://www.cncf.io/feed
  - url: nope
  - url: https://www.cncf.io/feed/#top
`, []string{
		"feeds.yaml:3: feeds[1].url: not an absolute http(s) URL",
		"feeds.yaml:4: feeds[2].url: duplicate of feeds[0] (line 2)",
	}},
	{"duplicates found alongside other problems", `feeds:
  - name: K8s
    url: https://kubernetes.io/feed.xml
    tags: ["bad tag"]
  - name: k8s
    url: https://kubernetes.io/feed.xml
  - name: K8S
`, []string{
		`feeds.yaml:4: feeds[0].tags[0]: invalid tag "bad tag": must match [a-z0-9][a-z0-9._-]*`,
		"feeds.yaml:5: feeds[1].name: duplicate of feeds[0] (line 2)",
		"feeds.yaml:6: feeds[1].url: duplicate of feeds[0] (line 3)",
		"feeds.yaml:7: feeds[2].url: missing",
		"feeds.yaml:7: feeds[2].name: duplicate of feeds[0] (line 2)",
	}},
	{"duplicate name", `feeds:
  - name: Kubernetes Blog
    url: https://kubernetes.io/feed.xml
  - name: kubernetes blog
    url: https://kubernetes.io/blog/feed.xml
`, []string{"feeds.yaml:4: feeds[1].name: duplicate of feeds[0] (line 2)"}},

	// Ranges and formats.
	{"entries zero", oneFeed + "entries: 0\n", []string{"feeds.yaml:3: entries: must be between 1 and 10000, got 0"}},
	{"entries too many", oneFeed + "entries: 10001\n", []string{"feeds.yaml:3: entries: must be between 1 and 10000, got 10001"}},
	{"new_source_entries negative", oneFeed + "new_source_entries: -1\n", []string{"feeds.yaml:3: new_source_entries: must be between 0 and 10000, got -1"}},
	{"concurrency too high", oneFeed + "concurrency: 257\n", []string{"feeds.yaml:3: concurrency: must be between 1 and 256, got 257"}},
	{"per_host zero", oneFeed + "per_host: 0\n", []string{"feeds.yaml:3: per_host: must be between 1 and 256, got 0"}},
	{"per_host above concurrency", oneFeed + "concurrency: 4\nper_host: 5\n", []string{
		"feeds.yaml:4: per_host: must be between 1 and concurrency (4), got 5"}},
	{"per_host above default concurrency", oneFeed + "per_host: 9\n", []string{
		"feeds.yaml:3: per_host: must be between 1 and concurrency (8), got 9"}},
	{"interval too short", oneFeed + "interval: 30s\n", []string{"feeds.yaml:3: interval: must be at least 1m, got 30s"}},
	{"interval negative", oneFeed + "interval: -1h\n", []string{"feeds.yaml:3: interval: must be at least 1m, got -1h"}},
	{"interval without unit", oneFeed + "interval: 30\n", []string{`feeds.yaml:3: interval: expected a duration like "30m" or "1h30m", got "30"`}},
	{"interval as words", oneFeed + "interval: half an hour\n", []string{
		`feeds.yaml:3: interval: expected a duration like "30m" or "1h30m", got "half an hour"`}},
	{"feed interval too short", oneFeed + "    interval: 10s\n", []string{"feeds.yaml:3: feeds[0].interval: must be at least 1m, got 10s"}},
	{"timeout zero", oneFeed + "timeout: 0s\n", []string{"feeds.yaml:3: timeout: must be at least 1s, got 0s"}},
	{"size zero", oneFeed + "max_body_size: 0\n", []string{"feeds.yaml:3: max_body_size: must be positive, got 0"}},
	{"busy rate negative", oneFeed + "busy_rate: -1\n", []string{"feeds.yaml:3: busy_rate: must be between 0 and 1000000, got -1"}},
	{"cache size zero", oneFeed + "cache_size: 0\n", []string{"feeds.yaml:3: cache_size: must be positive, got 0"}},
	{"cache size unit", oneFeed + "cache_size: 32 MiBs\n", []string{
		`feeds.yaml:3: cache_size: expected a size like "10MiB" or a number of bytes, got "32 MiBs"`}},
	{"size negative", oneFeed + "max_body_size: -5\n", []string{"feeds.yaml:3: max_body_size: must be positive, got -5"}},
	{"size unit", oneFeed + "max_body_size: 10 parsecs\n", []string{
		`feeds.yaml:3: max_body_size: expected a size like "10MiB" or a number of bytes, got "10 parsecs"`}},
	{"size float", oneFeed + "max_body_size: 1.5\n", []string{
		`feeds.yaml:3: max_body_size: expected a size like "10MiB" or a number of bytes, got "1.5"`}},
	{"size overflow", oneFeed + "max_body_size: 9999999999999GiB\n", []string{
		`feeds.yaml:3: max_body_size: expected a size like "10MiB" or a number of bytes, got "9999999999999GiB"`}},
	{"listen without port", oneFeed + "listen: localhost\n", []string{`feeds.yaml:3: listen: must be host:port, got "localhost"`}},
	{"listen bad port", oneFeed + "listen: localhost:http\n", []string{`feeds.yaml:3: listen: must be host:port, got "localhost:http"`}},
	{"listen port too high", oneFeed + "listen: ':65536'\n", []string{`feeds.yaml:3: listen: must be host:port, got ":65536"`}},
	{"link not http", oneFeed + "link: ftp://planet.example/\n", []string{"feeds.yaml:3: link: not an absolute http(s) URL"}},
	{"link relative", oneFeed + "link: /planet/\n", []string{"feeds.yaml:3: link: not an absolute http(s) URL"}},
	{"link with query", oneFeed + "link: https://planet.example/?a=b\n", []string{"feeds.yaml:3: link: must not have a query or fragment"}},

	// Tags.
	{"invalid tag", oneFeed + "    tags: [k8s, C++]\n", []string{`feeds.yaml:3: feeds[0].tags[1]: invalid tag "c++": must match [a-z0-9][a-z0-9._-]*`}},
	{"tag with space", oneFeed + "    tags: [sig docs]\n", []string{`feeds.yaml:3: feeds[0].tags[0]: invalid tag "sig docs": must match [a-z0-9][a-z0-9._-]*`}},
	{"tag starting with a dash", oneFeed + "    tags: [-x]\n", []string{`feeds.yaml:3: feeds[0].tags[0]: invalid tag "-x": must match [a-z0-9][a-z0-9._-]*`}},
	{"non-ascii tag", oneFeed + "    tags: [Café]\n", []string{`feeds.yaml:3: feeds[0].tags[0]: invalid tag "café": must match [a-z0-9][a-z0-9._-]*`}},
	{"empty tag", oneFeed + "    tags: [k8s, '  ']\n", []string{"feeds.yaml:3: feeds[0].tags[1]: empty tag"}},
	{"null tag", oneFeed + "    tags:\n      - k8s\n      -\n", []string{"feeds.yaml:5: feeds[0].tags[1]: empty tag"}},

	// Everything at once, in line order.
	{"several errors", `title: [Planet]
entries: 0
feeds:
  - name: Kubernetes Blog
    url: https://kubernetes.io/feed.xml
    homepge: https://kubernetes.io/blog/
  - name: Kubernetes Blog
    url: kubernetes.io/feed.xml
  - url: https://kubernetes.io/feed.xml/
    tags: [ok, "not ok"]
    interval: 5s
  - name: No URL
listen: nowhere
`, []string{
		"feeds.yaml:1: title: expected a string, got a list",
		"feeds.yaml:2: entries: must be between 1 and 10000, got 0",
		"feeds.yaml:6: feeds[0].homepge: unknown key",
		"feeds.yaml:7: feeds[1].name: duplicate of feeds[0] (line 4)",
		"feeds.yaml:8: feeds[1].url: not an absolute http(s) URL",
		"feeds.yaml:9: feeds[2].url: duplicate of feeds[0] (line 5)",
		`feeds.yaml:10: feeds[2].tags[1]: invalid tag "not ok": must match [a-z0-9][a-z0-9._-]*`,
		"feeds.yaml:11: feeds[2].interval: must be at least 1m, got 5s",
		"feeds.yaml:12: feeds[3].url: missing",
		`feeds.yaml:13: listen: must be host:port, got "nowhere"`,
	}},
}

func TestParseErrors(t *testing.T) {
	for _, tt := range errorTests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte(tt.yml), cfgPath)
			if c != nil {
				t.Errorf("Parse returned a Config along with %v", err)
			}
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("Parse error = %#v, want an Errors value", err)
			}
			if got, want := err.Error(), strings.Join(tt.want, "\n"); got != want {
				t.Errorf("Parse errors:\n%s\nwant:\n%s", got, want)
			}
			if len(errs) != len(tt.want) {
				t.Errorf("%d errors, want %d", len(errs), len(tt.want))
			}
		})
	}
}

func TestErrorsUnwrap(t *testing.T) {
	_, err := Parse([]byte(oneFeed+"entries: 0\ntitel: x\n"), "conf/feeds.yaml")
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("errors.As(%v, *Error) failed", err)
	}
	want := Error{File: "feeds.yaml", Line: 3, Field: "entries", Msg: "must be between 1 and 10000, got 0"}
	if *e != want {
		t.Errorf("first *Error = %+v, want %+v", *e, want)
	}
}

func TestErrorString(t *testing.T) {
	tests := []struct {
		err  Error
		want string
	}{
		{Error{"feeds.yaml", 12, "feeds[3].url", "not an absolute http(s) URL"}, "feeds.yaml:12: feeds[3].url: not an absolute http(s) URL"},
		{Error{"feeds.yaml", 0, "", "3 more errors not shown"}, "feeds.yaml: 3 more errors not shown"},
		{Error{"feeds.yaml", 3, "", "syntax error: x"}, "feeds.yaml:3: syntax error: x"},
		{Error{"", 3, "title", "x"}, "line 3: title: x"},
		{Error{"", 0, "title", "x"}, "title: x"},
		{Error{"", 0, "", "x"}, "x"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%+v.Error() = %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestParseEmptyPath(t *testing.T) {
	_, err := Parse([]byte("entries: x\ntimeout: y\n"), "")
	want := "line 1: entries: expected an integer, got \"x\"\nline 2: timeout: expected a duration like \"30m\" or \"1h30m\", got \"y\""
	if err == nil || err.Error() != want {
		t.Errorf("Parse error = %v, want %q", err, want)
	}
}

// TestParseManyErrors checks that the report stops at maxErrors, also when
// merge keys repeat one bad mapping thousands of times.
func TestParseManyErrors(t *testing.T) {
	var b strings.Builder
	b.WriteString("feeds:\n  - &bad {url: 'https://a.example/'")
	for i := range 50 {
		fmt.Fprintf(&b, ", x%d: 1", i)
	}
	b.WriteString("}\n")
	for i := range 2000 {
		fmt.Fprintf(&b, "  - {<<: *bad, url: 'https://a.example/%d'}\n", i)
	}
	_, err := Parse([]byte(b.String()), cfgPath)
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("Parse error = %v, want Errors", err)
	}
	if len(errs) != maxErrors+1 {
		t.Fatalf("%d errors reported, want %d", len(errs), maxErrors+1)
	}
	if first, want := errs[0].Error(), "feeds.yaml:2: feeds[0].x0: unknown key"; first != want {
		t.Errorf("first error %q, want %q", first, want)
	}
	if last, want := errs[maxErrors].Error(), "feeds.yaml: 99950 more errors not shown"; last != want {
		t.Errorf("last error %q, want %q", last, want)
	}
}
