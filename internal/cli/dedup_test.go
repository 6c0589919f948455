package cli

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// communityPlanet serves the community fixtures (four feeds, 45 posts of
// which 8 are mirrored) and writes a feeds.yaml listing them.
func communityPlanet(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.FileServer(http.Dir(filepath.Join("..", "dedup", "testdata", "community"))))
	t.Cleanup(srv.Close)
	cfg := filepath.Join(t.TempDir(), "feeds.yaml")
	var b strings.Builder
	b.WriteString("allow_private_networks: true\nfeeds:\n")
	for _, f := range []string{"kubernetes-blog.atom.xml", "kubernetes-mirror.rss.xml", "oss-program-office.rss.xml", "series-boilerplate.atom.xml"} {
		fmt.Fprintf(&b, "  - name: %s\n    url: %s/%s\n", strings.TrimSuffix(f, ".xml"), srv.URL, f)
	}
	writeFile(t, cfg, b.String())
	return cfg
}

func TestDedupExplainAndRescan(t *testing.T) {
	cfg := communityPlanet(t)
	if code, out, errs := run(t, "fetch", "--config", cfg, "--log-level", "error"); code != 0 || !strings.Contains(out, "45 new") {
		t.Fatalf("fetch: exit %d\n%s%s", code, out, errs)
	}
	const post = "https://kubernetes.io/blog/2017/12/using-ebpf-in-kubernetes/"
	const mirror = "https://k8s-mirror.example.org/p/2058"
	code, out, errs := run(t, "dedup", "explain", post, "--config", cfg)
	if code != 0 {
		t.Fatalf("explain: exit %d: %s", code, errs)
	}
	for _, want := range []string{`"Using eBPF in Kubernetes"`, "source     kubernetes-blog.atom", "copies     1",
		"kubernetes-mirror.rss  " + mirror, "matched by same text hash", "words in"} {
		if !strings.Contains(out, want) {
			t.Errorf("explain output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = run(t, "dedup", "explain", mirror, post, "--config", cfg)
	if code != 0 || !strings.Contains(out, mirror+" is kubernetes-mirror.rss's copy of entry") || !strings.Contains(out, "one entry: both are entry") {
		t.Errorf("explain of the pair: exit %d\n%s", code, out)
	}
	code, out, _ = run(t, "dedup", "explain", post, "https://kubernetes.io/blog/2017/12/introducing-kubeflow-composable/", "--config", cfg)
	if code != 0 || !strings.Contains(out, "two entries: different texts") || !strings.Contains(out, "are both kubernetes-blog.atom's, and within a source its own ids decide") {
		t.Errorf("explain of two posts: exit %d\n%s", code, out)
	}
	if code, _, errs := run(t, "dedup", "explain", "https://nowhere.example/", "--config", cfg); code != 1 || !strings.Contains(errs, "not found") {
		t.Errorf("explain of an unknown URL: exit %d, stderr %q; want 1 and not found", code, errs)
	}
	code, out, errs = run(t, "dedup", "rescan", "--config", cfg)
	if code != 0 || !strings.Contains(out, "rescanned 45 entries: 0 merged") {
		t.Errorf("rescan: exit %d\n%s%s", code, out, errs)
	}
}

// TestDedupExplainDates: two issues of one newsletter seen only through
// mirrors (testdata/lookalikes), a quiet week's mostly template, stay two
// entries because they came a week apart, and explain says so. Each mirror
// lists only its issue: with more, it learns the template as boilerplate,
// and the texts alone keep the issues apart.
func TestDedupExplainDates(t *testing.T) {
	const quiet = "https://syndic8.example.com/p/platform-pulse-naming-environments"
	const busy = "https://mirrorlane.example.net/a/7230"
	cfg := fetchFrom(t, onlyItems(filepath.Join("..", "dedup", "testdata", "lookalikes", "feeds"), quiet, busy),
		"syndic8.rss.xml", "mirrorlane.rss.xml")
	code, out, errs := run(t, "dedup", "explain", quiet, busy, "--config", cfg)
	if code != 0 || !strings.Contains(out, "two entries: same beginning and end, different middles, 7.2 days apart") {
		t.Errorf("explain of two issues: exit %d\n%s%s", code, out, errs)
	}
}

// opswireExcerpt is a WordPress summary feed's copy of a Kubernetes blog
// post (testdata/community, CC BY 4.0): its first 90 words behind a
// 30-word origin line fused into the same paragraph, and the syndicator's
// footer.
const opswireExcerpt = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>OpsWire</title><link>https://opswire.example.com/</link>
<item>
<title>Containerd Brings More Container Runtime Options for Kubernetes</title>
<link>https://opswire.example.com/2017/11/containerd-brings-more-container-runtime-options-for-kuberne/</link>
<guid isPermaLink="false">https://opswire.example.com/?p=7733</guid>
<pubDate>Sat, 04 Nov 2017 04:00:00 +0000</pubDate>
<description><![CDATA[<p>This post was originally published on the Kubernetes Blog, and we republish it here in full agreement with its two authors and with the kind permission of the blog's editors. Editor&#x27;s note: Today&#x27;s post is by Lantao Liu, Software Engineer at Google, and Mike Brown, Open Source Developer Advocate at IBM. A container runtime is software that executes containers and manages container images on a node. Today, the most widely known container runtime is Docker , but there are other container runtimes in the ecosystem, such as rkt , containerd , and lxd . Docker is by far the most common container runtime used in production Kubernetes environments, but Docker&#x2019;s smaller offspring, containerd, may prove to be a better option. This post describes using containerd with Kubernetes. [&hellip;]</p>
<p>The post <a href="https://opswire.example.com/2017/11/containerd-brings-more-container-runtime-options-for-kuberne/">Containerd Brings More Container Runtime Options for Kubernetes</a> appeared first on <a href="https://opswire.example.com">OpsWire</a>.</p>]]></description>
</item></channel></rss>`

// TestDedupExplainUnsearched: an excerpt that the rules call a teaser of
// its post, but whose lead the long origin line before it shifts so far
// that it meets the post's on fewer search keys than the search needs,
// stays a separate entry; explain says why instead of promising that a
// rescan merges them.
func TestDedupExplainUnsearched(t *testing.T) {
	files := http.FileServer(http.Dir(filepath.Join("..", "dedup", "testdata", "community")))
	cfg := fetchFrom(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/opswire.xml" {
			fmt.Fprint(w, opswireExcerpt)
			return
		}
		files.ServeHTTP(w, r)
	}), "kubernetes-blog.atom.xml", "opswire.xml")
	const excerpt = "https://opswire.example.com/2017/11/containerd-brings-more-container-runtime-options-for-kuberne/"
	const post = "https://kubernetes.io/blog/2017/11/containerd-container-runtime-options-kubernetes/"
	code, out, errs := run(t, "dedup", "explain", excerpt, post, "--config", cfg)
	if code != 0 || !strings.Contains(out, "two entries: partial") ||
		!strings.Contains(out, "the same post by their texts, but the search does not bring them together (they share ") ||
		strings.Contains(out, "a rescan merges them") {
		t.Errorf("explain of the excerpt and its post: exit %d\n%s%s", code, out, errs)
	}
}

// onlyItems serves the RSS feeds of dir with only the items that link to
// one of links.
func onlyItems(dir string, links ...string) http.Handler {
	item := regexp.MustCompile(`(?s)<item>.*?</item>\s*`)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := os.ReadFile(filepath.Join(dir, filepath.Base(r.URL.Path)))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Write(item.ReplaceAllFunc(body, func(it []byte) []byte {
			for _, l := range links {
				if bytes.Contains(it, []byte("<link>"+l+"</link>")) {
					return it
				}
			}
			return nil
		}))
	})
}

// fetchFrom serves feeds with h on loopback, writes a feeds.yaml listing
// the paths given, runs `village fetch` on it and returns its path.
func fetchFrom(t *testing.T, h http.Handler, paths ...string) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	var b strings.Builder
	b.WriteString("allow_private_networks: true\nfeeds:\n")
	for _, p := range paths {
		fmt.Fprintf(&b, "  - url: %s/%s\n", srv.URL, p)
	}
	cfg := filepath.Join(t.TempDir(), "feeds.yaml")
	writeFile(t, cfg, b.String())
	if code, out, errs := run(t, "fetch", "--config", cfg, "--log-level", "error"); code != 0 {
		t.Fatalf("fetch: exit %d\n%s%s", code, out, errs)
	}
	return cfg
}
