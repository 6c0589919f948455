package farm

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// epoch anchors the generated dates. It is fixed, so that a farm is the same
// bytes on every run, and in the past, so that no generated date lies ahead
// of the clock of the program that polls the farm.
var epoch = time.Date(2025, time.June, 2, 12, 0, 0, 0, time.UTC)

type format int

const (
	atomFormat format = iota
	rssFormat
)

// blog is what one feed says about itself; it is fixed for the farm's life.
type blog struct {
	index   int
	format  format
	cdata   bool // RSS: full content in CDATA content:encoded, else escaped in description
	summary bool // Atom: entries carry a summary besides the content
	site    string
	title   string
	author  string
	authors []string      // multi-author blogs name one of these per post
	step    time.Duration // time between posts
	seed    uint64
	url     string // where the farm serves the feed
	// farmSeed and feeds let a syndicator regenerate the posts it copies.
	farmSeed uint64
	feeds    int
}

// post is the metadata of one entry; its HTML is generated alongside.
type post struct {
	seq        int
	title      string
	author     string
	link       string
	guid       string
	permaLink  bool // RSS: the guid is the link
	published  time.Time
	updated    time.Time
	categories []string
}

// mix is SplitMix64's finaliser: it spreads a seed and an index over the
// whole of a PCG seed, so neighbouring feeds get unrelated streams.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// newBlog makes the i-th feed of a farm seeded with seed, served by origin
// ("http://127.0.0.2:41234").
func newBlog(seed uint64, i int, origin string) *blog {
	b := &blog{index: i, seed: mix(seed ^ mix(uint64(i))), farmSeed: seed}
	rng := rand.New(rand.NewPCG(b.seed, 0))
	b.format = format(rng.IntN(2))
	b.cdata = rng.IntN(2) == 0
	b.summary = rng.IntN(2) == 0
	b.site = fmt.Sprintf("https://blog%04d.example", i)
	first, last := pick(rng, firstNames), pick(rng, lastNames)
	b.author = first + " " + last
	switch rng.IntN(4) {
	case 0:
		b.title = first + "'s notes"
	case 1:
		b.title = capitalise(pick(rng, words)) + " & " + capitalise(pick(rng, words))
	case 2:
		b.title = "The " + pick(rng, words) + " log of " + b.author
	default:
		b.title = b.author
	}
	if rng.IntN(5) == 0 {
		for range 2 + rng.IntN(3) {
			b.authors = append(b.authors, pick(rng, firstNames)+" "+pick(rng, lastNames))
		}
	}
	b.step = time.Duration(6+rng.IntN(138)) * time.Hour
	b.url = origin + b.path()
	return b
}

// post generates entry seq of b, with its HTML appended to g.b. Each post
// has its own seeded stream, so a post is the same whatever was generated
// before it and Change can add post entries+k later.
func (b *blog) post(g *htmlGen, pcg *rand.PCG, seq, entries int) post {
	if b.reposts(seq, entries) {
		return b.repost(g, pcg, seq, entries)
	}
	pcg.Seed(b.seed, uint64(seq)+1)
	rng := g.rng
	p := post{seq: seq, author: b.author}
	p.title = b.postTitle(rng)
	p.published = epoch.Add(time.Duration(seq-entries)*b.step +
		time.Duration(rng.Int64N(int64(b.step/2)))).Truncate(time.Second)
	p.updated = p.published
	if rng.IntN(5) == 0 {
		p.updated = p.published.Add(time.Duration(1+rng.IntN(48)) * time.Hour)
	}
	p.link = fmt.Sprintf("%s/%s/%s-%d.html", b.site, p.published.Format("2006/01"), slug(p.title), seq)
	p.guid, p.permaLink = b.guid(rng, p.link, seq)
	if len(b.authors) > 0 {
		p.author = pick(rng, b.authors)
	}
	for range rng.IntN(4) {
		p.categories = append(p.categories, pick(rng, tags))
	}
	g.body(minBody + rng.IntN(maxBody-maxBlock-minBody+1))
	return p
}

func (b *blog) postTitle(rng *rand.Rand) string {
	n := 3 + rng.IntN(6)
	ws := make([]string, n)
	for i := range ws {
		ws[i] = pick(rng, words)
	}
	ws[0] = capitalise(ws[0])
	if rng.IntN(8) == 0 {
		ws[n/2] = "&"
	}
	if rng.IntN(10) == 0 {
		ws = append(ws, "<T>")
	}
	return strings.Join(ws, " ")
}

// guid returns the post's id the way blog engines do: tag URIs and UUIDs in
// Atom; permalinks, opaque ids or nothing at all in RSS.
func (b *blog) guid(rng *rand.Rand, link string, seq int) (string, bool) {
	k := rng.IntN(20)
	if b.format == atomFormat {
		if k < 10 {
			return fmt.Sprintf("tag:blog%04d.example,2025:post-%d", b.index, seq), false
		}
		return fmt.Sprintf("urn:uuid:%08x-%04x-4%03x-8%03x-%012x", rng.Uint32(), rng.IntN(1<<16),
			rng.IntN(1<<12), rng.IntN(1<<12), rng.Int64N(1<<48)), false
	}
	switch {
	case k < 12:
		return link, true
	case k < 19:
		return fmt.Sprintf("%s/?p=%d", b.site, 1000+seq), false
	default:
		return "", false
	}
}

func pick(rng *rand.Rand, list []string) string { return list[rng.IntN(len(list))] }

func capitalise(w string) string {
	if w != "" && w[0] >= 'a' && w[0] <= 'z' {
		return string(w[0]-'a'+'A') + w[1:]
	}
	return w
}

// slug keeps the ASCII letters and digits of title, dash-separated.
func slug(title string) string {
	var sb strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && sb.Len() > 0 {
				sb.WriteByte('-')
			}
			sb.WriteRune(r)
			dash = false
		default:
			dash = true
		}
	}
	return sb.String()
}

// Syndication. One blog in ten (with ten or more in the farm) is an
// aggregating site: each post of its first feed republishes a post of
// another blog, between its own header and footer and a few days later, as
// community aggregators and dev.to-style reposts do. A planet polling the
// farm must store each such post once; CrossPosts says how many copies
// there are. Posts added later by Change are the syndicator's own.

// isSyndicator reports whether blog i republishes others' posts.
func isSyndicator(i int) bool { return i%10 == 9 }

func (b *blog) reposts(seq, entries int) bool {
	return b.feeds >= 10 && isSyndicator(b.index) && seq < entries
}

// repost generates post seq of syndicator b: a copy of post seq of a blog
// chosen by seq, with b's lines around it.
func (b *blog) repost(g *htmlGen, pcg *rand.PCG, seq, entries int) post {
	srcIndex := int(mix(b.seed^uint64(seq)) % uint64(b.feeds))
	if isSyndicator(srcIndex) {
		srcIndex-- // i%10 == 9, so i-1 is an ordinary blog
	}
	src := newBlog(b.farmSeed, srcIndex, "")
	site := g.site
	g.site = src.site
	orig := src.post(g, pcg, seq, entries)
	g.site = site
	html := append([]byte(nil), g.b...)

	pcg.Seed(b.seed, uint64(seq)+1)
	rng := g.rng
	p := orig
	p.author = orig.author
	p.published = orig.published.Add(time.Duration(6+rng.IntN(66)) * time.Hour).Truncate(time.Second)
	p.updated = p.published
	p.link = fmt.Sprintf("%s/reposts/%s-%d.html", b.site, slug(orig.title), seq)
	p.guid, p.permaLink = b.guid(rng, p.link, seq)
	g.b = fmt.Appendf(g.b[:0], `<p>This post was originally published on <a href="%s">%s</a> by %s.</p>`+"\n", orig.link, src.title, orig.author)
	g.b = append(g.b, html...)
	g.b = fmt.Appendf(g.b, "\n<p>Republished by %s. Follow us for more posts from the community, and share this one with your team.</p>", b.title)
	return p
}
