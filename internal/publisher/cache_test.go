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
	c.put(a, doc(1000), 0)
	c.put(b, doc(1000), 0)
	c.put(d, doc(1000), 0)
	if got, _ := c.get(a); got == nil { // a is now the most recently used
		t.Fatal("a not cached")
	}
	big := site.Key{Path: "/tags/x/", Page: 1}
	c.put(big, doc(1000), 0)
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
	c.put(a, doc(900), 0)
	c.put(b, gz, 0)
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
	c.put(d, doc(int(c.budget)), 0)
	if got, _ := c.get(d); got != nil {
		t.Error("a document larger than the budget was kept")
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
	g := c.generation()
	for _, k := range []site.Key{a1, a2, b, home2} {
		c.put(k, doc(10), g)
	}
	c.invalidate([]string{"/sources/a/"})
	for k, want := range map[site.Key]bool{a1: false, a2: false, b: true, home2: true} {
		if d, fresh := c.get(k); d == nil || fresh != want {
			t.Errorf("%s: fresh %v, want %v", k, fresh, want)
		}
	}
	// A render of a that began before the invalidation lands after it.
	c.put(a1, doc(11), g)
	if _, fresh := c.get(a1); fresh {
		t.Error("a render older than the invalidation was kept as fresh")
	}
	c.put(a1, doc(12), c.generation())
	if _, fresh := c.get(a1); !fresh {
		t.Error("a render begun after the invalidation is stale")
	}
	c.invalidateAll(1 << 20)
	for _, k := range []site.Key{a1, b, home2} {
		if _, fresh := c.get(k); fresh {
			t.Errorf("%s fresh after invalidating everything", k)
		}
	}
}
