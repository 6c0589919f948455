package publisher

import (
	"bytes"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/server"
	"github.com/villagefeeds/village/internal/site"
)

func doc(size int) *server.Document {
	return server.NewDocument("text/html", bytes.Repeat([]byte("v"), size), time.Now())
}

// TestCacheBudget: the cache holds documents up to its budget in bytes,
// gzipped copies included, and drops the least recently used first.
func TestCacheBudget(t *testing.T) {
	c := newCache(3 * (1000 + entryOverhead))
	a, b, d := site.Key{Path: "/sources/a/", Page: 1}, site.Key{Path: "/sources/b/", Page: 1}, site.Key{Path: "/sources/d/", Page: 1}
	c.put(a, doc(1000), 0, false)
	c.put(b, doc(1000), 0, false)
	c.put(d, doc(1000), 0, false)
	if got, _ := c.get(a); got == nil { // a is now the most recently used
		t.Fatal("a not cached")
	}
	big := site.Key{Path: "/tags/x/", Page: 1}
	c.put(big, doc(1000), 0, false)
	if got, _ := c.get(b); got != nil {
		t.Error("b, the least recently used, was kept over the budget")
	}
	for _, k := range []site.Key{a, d, big} {
		if got, fresh := c.get(k); got == nil || !fresh {
			t.Errorf("%s dropped or stale", k)
		}
	}
	// A gzipped copy counts: making one pushes the oldest out.
	gz := server.NewDocument("text/html", bytes.Repeat([]byte("<p>village, a planet</p>"), 2000), time.Now())
	c = newCache(int64(len(gz.Body)) + 2*entryOverhead + 900 + 10) // any gzip stream is longer than 10 bytes
	c.put(a, doc(900), 0, false)
	c.put(b, gz, 0, false)
	if _, n := c.size(); n != 2 {
		t.Fatalf("%d documents before the gzipped copy existed, want 2", n)
	}
	gz.Gzipped()
	c.resize(b, gz)
	if used, n := c.size(); used > c.budget || n != 1 {
		t.Errorf("after gzip: %d bytes in %d documents, budget %d", used, n, c.budget)
	}
	if got, _ := c.get(a); got != nil {
		t.Error("a kept although the gzipped copy needed its room")
	}
	// A document over the whole budget is not kept at all.
	c.put(d, doc(int(c.budget)), 0, false)
	if got, _ := c.get(d); got != nil {
		t.Error("a document larger than the budget was kept")
	}
	// A pinned document is kept besides the budget and never dropped.
	home := site.Key{Path: "/", Page: 1}
	c.put(home, doc(int(c.budget)), 0, true)
	for range 10 {
		c.put(a, doc(900), 0, false)
		c.put(b, doc(900), 0, false)
	}
	if got, fresh := c.get(home); got == nil || !fresh {
		t.Error("the pinned front page was dropped")
	}
	if used, _ := c.size(); used > c.budget {
		t.Errorf("%d bytes used, budget %d", used, c.budget)
	}
}

// TestCacheGenerations: invalidating a listing makes its documents stale,
// not others'; a render that began before the invalidation is stale when
// it lands; invalidating everything reaches every listing.
func TestCacheGenerations(t *testing.T) {
	c := newCache(1 << 20)
	a1, a2 := site.Key{Path: "/sources/a/", Page: 1}, site.Key{Path: "/sources/a/atom.xml", Page: 2}
	b := site.Key{Path: "/sources/b/", Page: 1}
	home2 := site.Key{Path: "/", Page: 2}
	home := site.Key{Path: "/", Page: 1}
	g := c.generation()
	for _, k := range []site.Key{a1, a2, b, home2} {
		c.put(k, doc(10), g, false)
	}
	c.put(home, doc(10), g, true)
	c.invalidate([]string{"/sources/a/"})
	for k, want := range map[site.Key]bool{a1: false, a2: false, b: true, home2: true, home: true} {
		if d, fresh := c.get(k); d == nil || fresh != want {
			t.Errorf("%s: fresh %v, want %v", k, fresh, want)
		}
	}
	// A render of a that began before the invalidation lands after it.
	c.put(a1, doc(11), g, false)
	if _, fresh := c.get(a1); fresh {
		t.Error("a render older than the invalidation was kept as fresh")
	}
	c.put(a1, doc(12), c.generation(), false)
	if _, fresh := c.get(a1); !fresh {
		t.Error("a render begun after the invalidation is stale")
	}
	c.invalidate([]string{"/"})
	if _, fresh := c.get(home); !fresh {
		t.Error("the pinned front page is stale after its archive pages were invalidated")
	}
	c.invalidate([]string{headListing})
	if _, fresh := c.get(home); fresh {
		t.Error("the pinned front page is fresh after the head was invalidated")
	}
	c.invalidateAll(1 << 20)
	for _, k := range []site.Key{a1, b, home2, home} {
		if _, fresh := c.get(k); fresh {
			t.Errorf("%s fresh after invalidating everything", k)
		}
	}
}

func TestRenderGap(t *testing.T) {
	ms := time.Millisecond
	for _, tt := range []struct{ every, took, want time.Duration }{
		{250 * ms, 5 * ms, 250 * ms},      // cheap renders: every
		{250 * ms, 50 * ms, 500 * ms},     // ten times the render
		{250 * ms, 300 * ms, time.Second}, // at most a second
		{250 * ms, 3 * time.Second, 3 * time.Second},
		{2 * time.Second, 5 * ms, 2 * time.Second}, // every wins over maxGap
	} {
		if got := renderGap(tt.every, tt.took); got != tt.want {
			t.Errorf("renderGap(%v, %v) = %v, want %v", tt.every, tt.took, got, tt.want)
		}
	}
}
