package dedup

import (
	"encoding/xml"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/villagefeeds/village/internal/parse"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// The community fixtures (testdata/community/MANIFEST.md) hold 53 entries
// that are 45 distinct posts: the only duplicates are the 8 pairs in which
// the mirror republished a kubernetes.io post as plain paragraphs.
var mirrorPairs = map[string]string{ // atom id -> rss guid
	"https://kubernetes.io/blog/2017/09/introducing-resource-management-working/":                  "tag:k8s-mirror.example.org,2017:post/2011",
	"https://kubernetes.io/blog/2017/10/kubernetes-community-steering-committee-election-results/": "tag:k8s-mirror.example.org,2017:post/2017",
	"https://kubernetes.io/blog/2017/10/software-conformance-certification/":                       "tag:k8s-mirror.example.org,2017:post/2026",
	"https://kubernetes.io/blog/2017/10/five-days-of-kubernetes-18/":                               "tag:k8s-mirror.example.org,2017:post/2031",
	"https://kubernetes.io/blog/2017/10/it-takes-village-to-raise-kubernetes/":                     "tag:k8s-mirror.example.org,2017:post/2034",
	"https://kubernetes.io/blog/2017/11/kubernetes-easy-way/":                                      "tag:k8s-mirror.example.org,2017:post/2040",
	"https://kubernetes.io/blog/2017/11/securing-software-supply-chain-grafeas/":                   "tag:k8s-mirror.example.org,2017:post/2043",
	"https://kubernetes.io/blog/2017/12/using-ebpf-in-kubernetes/":                                 "tag:k8s-mirror.example.org,2017:post/2058",
}

const (
	fixtureEntries  = 53
	fixtureDistinct = 45
)

type atomFeed struct {
	Entries []struct {
		ID      string `xml:"id"`
		Content string `xml:"content"`
	} `xml:"entry"`
}

type rssFeed struct {
	Items []struct {
		GUID        string `xml:"guid"`
		Description string `xml:"description"`
	} `xml:"channel>item"`
}

// fixtureEntry is one entry of the community fixtures with its body hashed.
type fixtureEntry struct {
	id, hash string
}

func loadCommunity(t *testing.T) []fixtureEntry {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "community", "*.xml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	var entries []fixtureEntry
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case strings.HasSuffix(f, ".atom.xml"):
			var feed atomFeed
			if err := xml.Unmarshal(b, &feed); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			for _, e := range feed.Entries {
				entries = append(entries, fixtureEntry{e.ID, HashText(parse.Text(e.Content))})
			}
		case strings.HasSuffix(f, ".rss.xml"):
			var feed rssFeed
			if err := xml.Unmarshal(b, &feed); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			for _, it := range feed.Items {
				entries = append(entries, fixtureEntry{it.GUID, HashText(parse.Text(it.Description))})
			}
		default:
			t.Fatalf("%s: unknown feed format", f)
		}
	}
	if len(entries) != fixtureEntries {
		t.Fatalf("read %d entries, want %d", len(entries), fixtureEntries)
	}
	return entries
}

func TestCommunityFixtures(t *testing.T) {
	entries := loadCommunity(t)
	hash := make(map[string]string, len(entries))
	for _, e := range entries {
		hash[e.id] = e.hash
	}
	same := make(map[[2]string]bool)
	for atom, rss := range mirrorPairs {
		if hash[atom] == "" || hash[atom] != hash[rss] {
			t.Errorf("mirror pair not matched:\n%s %q\n%s %q", atom, hash[atom], rss, hash[rss])
		}
		same[[2]string{atom, rss}], same[[2]string{rss, atom}] = true, true
	}
	for i, a := range entries {
		for _, b := range entries[i+1:] {
			if a.hash != "" && a.hash == b.hash && !same[[2]string{a.id, b.id}] {
				t.Errorf("distinct posts hash alike: %s and %s", a.id, b.id)
			}
		}
	}
	distinct := make(map[string]bool)
	for i, e := range entries {
		key := e.hash
		if key == "" {
			key = fmt.Sprint("empty ", i)
		}
		distinct[key] = true
	}
	if len(distinct) != fixtureDistinct {
		t.Errorf("%d distinct posts, want %d", len(distinct), fixtureDistinct)
	}
}

// TestCommunityGolden pins every fixture hash. Hashes are stored in the
// database, so a change to the normalisation must be deliberate: run with
// -update and say so in the change.
func TestCommunityGolden(t *testing.T) {
	var b strings.Builder
	for _, e := range loadCommunity(t) {
		fmt.Fprintf(&b, "%s %s\n", e.id, e.hash)
	}
	golden := filepath.Join("testdata", "community.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if b.String() != string(want) {
		t.Errorf("hashes differ from %s (run with -update if the change is deliberate):\n%s", golden, b.String())
	}
}
