package parse

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestCommunity parses the Kubernetes scenario feeds described in
// testdata/community/MANIFEST.md and checks them against its tables.
func TestCommunity(t *testing.T) {
	tests := []struct {
		file    string
		url     string
		items   int
		authors bool // every item has an author, its own or the feed's
	}{
		{"kubernetes-blog.atom.xml", "http://127.0.0.1:8081/kubernetes-blog.atom.xml", 25, true},
		{"kubernetes-mirror.rss.xml", "http://127.0.0.1:8081/kubernetes-mirror.rss.xml", 12, false},
		{"oss-program-office.rss.xml", "http://127.0.0.1:8081/oss-program-office.rss.xml", 10, true},
		{"series-boilerplate.atom.xml", "http://127.0.0.1:8081/series-boilerplate.atom.xml", 6, true},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			feed := parseFile(t, filepath.Join("testdata", "community", tt.file), tt.url)
			if len(feed.Items) != tt.items {
				t.Fatalf("got %d items, want %d", len(feed.Items), tt.items)
			}
			checkInvariants(t, feed)
			for i, it := range feed.Items {
				if !hasHTTPScheme(it.Link) {
					t.Errorf("item %d (%s): Link %q is not absolute", i, it.GUID, it.Link)
				}
				if it.Text == "" {
					t.Errorf("item %d (%s): empty Text", i, it.GUID)
				}
				if it.Published.IsZero() {
					t.Errorf("item %d (%s): no Published date", i, it.GUID)
				}
				if it.Title == "" || it.Title[0] == ' ' || it.Title[len(it.Title)-1] == ' ' {
					t.Errorf("item %d (%s): Title %q empty or untrimmed", i, it.GUID, it.Title)
				}
				if tt.authors && it.Author == "" {
					t.Errorf("item %d (%s): no Author", i, it.GUID)
				}
			}
		})
	}
}

// TestCommunityDetails checks single values the manifest spells out.
func TestCommunityDetails(t *testing.T) {
	blog := parseFile(t, "testdata/community/kubernetes-blog.atom.xml", "https://kubernetes.io/feed.xml")
	first := blog.Items[0]
	if want := "Introducing Kubeflow - A Composable, Portable, Scalable ML Stack Built for Kubernetes"; first.Title != want {
		t.Errorf("Title = %q, want %q", first.Title, want)
	}
	if want := "David Aronchick (Google), Jeremy Lewi (Google)"; first.Author != want {
		t.Errorf("Author = %q, want %q", first.Author, want)
	}
	if blog.Items[1].Author != "The Kubernetes Authors" {
		t.Errorf("entry without byline: Author = %q, want the feed-level author", blog.Items[1].Author)
	}
	if blog.ID != "https://kubernetes.io/" || blog.Link != "https://kubernetes.io/" {
		t.Errorf("feed ID %q, Link %q", blog.ID, blog.Link)
	}

	mirror := parseFile(t, "testdata/community/kubernetes-mirror.rss.xml", "https://k8s-mirror.example.org/feed.rss")
	m := mirror.Items[0]
	if m.GUID != "tag:k8s-mirror.example.org,2018:post/2080" || m.Link != "https://k8s-mirror.example.org/p/2080" || m.Author != "Hakan Baba" {
		t.Errorf("mirror item: GUID %q, Link %q, Author %q", m.GUID, m.Link, m.Author)
	}
}

// TestCommunityPacificDates checks that OSPO pubDates with -0700 and -0800
// offsets land on the right UTC instants (manifest table).
func TestCommunityPacificDates(t *testing.T) {
	feed := parseFile(t, "testdata/community/oss-program-office.rss.xml", "https://ospo.example.com/blog/feed.xml")
	want := map[string]string{
		"https://ospo.example.com/blog/2018/01/goals-2018/":                        "2018-01-30T16:00:00-08:00",
		"https://ospo.example.com/blog/2018/01/conformance-internal-distribution/": "2018-01-16T09:40:00-08:00",
		"https://ospo.example.com/blog/2017/12/docs-sprint-mentoring/":             "2017-12-28T11:00:00-08:00",
		"https://ospo.example.com/blog/2017/12/kubecon-austin-recap/":              "2017-12-14T18:20:00-08:00",
		"https://ospo.example.com/blog/2017/11/kubecon-austin-preview/":            "2017-11-28T10:00:00-08:00",
		"https://ospo.example.com/blog/2017/11/retiring-private-fork/":             "2017-11-07T13:15:00-08:00",
		"https://ospo.example.com/blog/2017/10/new-steering-committee/":            "2017-10-17T16:45:00-07:00",
		"https://ospo.example.com/blog/2017/10/counting-contributions/":            "2017-10-10T14:00:00-07:00",
		"https://ospo.example.com/blog/2017/09/release-shadow-ci-signal/":          "2017-09-28T17:00:00-07:00",
		"https://ospo.example.com/blog/2017/09/sig-meetings-before-code/":          "2017-09-12T15:30:00-07:00",
	}
	if len(feed.Items) != len(want) {
		t.Fatalf("got %d items, want %d", len(feed.Items), len(want))
	}
	for _, it := range feed.Items {
		w, ok := want[it.GUID]
		if !ok {
			t.Errorf("unexpected guid %q", it.GUID)
			continue
		}
		wantTime, err := time.Parse(time.RFC3339, w)
		if err != nil {
			t.Fatal(err)
		}
		if !it.Published.Equal(wantTime) || it.Published.Location() != time.UTC {
			t.Errorf("%s: Published = %v, want %v", it.GUID, it.Published, wantTime.UTC())
		}
	}
	// Spelled out once, so a wrong sign in the offset cannot hide.
	if got := feed.Items[0].Published.Format(time.RFC3339); got != "2018-01-31T00:00:00Z" {
		t.Errorf("goals-2018 Published = %s, want 2018-01-31T00:00:00Z", got)
	}
	if got := feed.Items[9].Published.Format(time.RFC3339); got != "2017-09-12T22:30:00Z" {
		t.Errorf("sig-meetings Published = %s, want 2017-09-12T22:30:00Z", got)
	}
}

func parseFile(t *testing.T, path, feedURL string) *Feed {
	t.Helper()
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	feed, err := Parse(body, feedURL)
	if err != nil {
		t.Fatalf("Parse(%s): %v", path, err)
	}
	return feed
}
