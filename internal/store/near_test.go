package store

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/dedup"
	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/parse"
)

// words returns n words of prose that no other call with another topic
// shares, so that posts built from it are distinct.
func words(topic string, n int) string {
	vocab := strings.Fields("cluster node pod scheduler kubelet volume network policy release upgrade quota probe service ingress secret")
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "%s %s%d ", vocab[(i*7+len(topic))%len(vocab)], topic, i)
	}
	return strings.TrimSpace(b.String())
}

// textPost is an entry whose text (and content) is blocks, one a line.
func textPost(guid, title string, published time.Time, blocks ...string) model.Entry {
	e := post(guid, "https://"+guid+".example/", "", published)
	e.Title = title
	e.Content = "<p>" + strings.Join(blocks, "</p><p>") + "</p>"
	e.Text = parse.Text(e.Content) // as the parser reads it, and the store again
	e.ContentHash = dedup.HashText(e.Text)
	e.PublicID = guid
	return e
}

// syndicatorHeader and syndicatorFooter are what one syndicating blog puts
// around every post it republishes.
var (
	syndicatorHeader = "This article first appeared on the upstream project blog and is republished here with the permission of its authors, who hold the copyright; we thank them for letting us share it with our readers"
	syndicatorFooter = "Enjoyed this? Follow us on Mastodon, subscribe to the newsletter, and share this article with your team and your friends who run clusters in production every day"
	syndicatorBio    = "About us: we are a small team of platform engineers who collect the best writing about running clusters, and we publish a digest of it every week for our readers"
)

func syndicated(guid, title string, at time.Time, body ...string) model.Entry {
	return textPost(guid, title, at, append(append([]string{syndicatorHeader}, body...), syndicatorFooter, syndicatorBio)...)
}

func TestSaveRefreshNearDuplicate(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	srcs := sources(t, s, 2)
	blog, synd := srcs[0].ID, srcs[1].ID
	body := []string{words("alpha", 120), words("beta", 80)}
	save(t, s, blog, refresh(t0, textPost("orig", "Scheduling in depth", t0, body...)))
	// The syndicator's first fetch lists one post: nothing to learn from, so
	// the copy is found by its text's similarity.
	copy := syndicated("copy", "Scheduling In Depth", t0.Add(30*time.Hour), body...)
	if got := save(t, s, synd, refresh(t0.Add(48*time.Hour), copy)); got != (Result{Duplicates: 1}) {
		t.Fatalf("copy = %+v, want 1 duplicate", got)
	}
	es := allEntries(t, s)
	if len(es) != 1 || es[0].SourceID != blog || len(es[0].Alternates) != 1 {
		t.Fatalf("entries %+v, want the blog's with the copy as alternate", es)
	}
	var rule string
	if err := s.reader.QueryRow(`SELECT rule FROM alternates`).Scan(&rule); err != nil || !strings.HasPrefix(rule, dedup.RuleSimilar) {
		t.Errorf("alternate recorded with rule %q (%v), want %s…", rule, err, dedup.RuleSimilar)
	}
}

func TestSaveRefreshNeverMergesOneSourceBySimilarity(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	src := sources(t, s, 1)[0].ID
	body := words("gamma", 200)
	got := save(t, s, src, refresh(t0,
		textPost("one", "Notes", t0, body, "Week one."), textPost("two", "Notes", t0, body, "Week two.")))
	if got != (Result{New: 2}) {
		t.Errorf("two items of one source = %+v, want 2 new", got)
	}
}

// TestSaveRefreshRekeysWhenBoilerplateLearned: a short post whose copy
// carries more boilerplate than text is missed while the syndicator's lines
// are unknown; once its feed shows them on enough posts they are learned,
// its stored entries re-keyed, and the missed copy merged.
func TestSaveRefreshRekeysWhenBoilerplateLearned(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	srcs := sources(t, s, 2)
	blog, synd := srcs[0].ID, srcs[1].ID
	body := words("delta", 20)
	save(t, s, blog, refresh(t0, textPost("orig", "Quotas", t0, body)))
	first := syndicated("c0", "Quotas", t0.Add(time.Hour), body)
	if got := save(t, s, synd, refresh(t0.Add(2*time.Hour), first)); got != (Result{New: 1}) {
		t.Fatalf("first fetch = %+v, want the copy missed (1 new): the test needs it", got)
	}
	others := []model.Entry{
		syndicated("c1", "Ingress", t0.Add(3*time.Hour), words("epsilon", 90)),
		syndicated("c2", "Probes", t0.Add(4*time.Hour), words("zeta", 90)),
	}
	got := save(t, s, synd, refresh(t0.Add(5*time.Hour), append(others, first)...))
	if got.Merged != 1 || got.New != 2 {
		t.Errorf("second fetch = %+v, want 2 new and the missed copy merged", got)
	}
	es := allEntries(t, s)
	if len(es) != 3 {
		t.Fatalf("%d entries, want 3", len(es))
	}
	for _, e := range es {
		if e.GUID == "orig" && (len(e.Alternates) != 1 || e.Alternates[0].GUID != "c0") {
			t.Errorf("original's alternates = %+v, want the syndicated copy", e.Alternates)
		}
		if e.GUID == "c0" {
			t.Error("the missed copy is still an entry")
		}
	}
	// The merged entry's text and search keys went with it.
	var stale int
	if err := s.reader.QueryRow(`SELECT count(*) FROM search_keys WHERE entry_id NOT IN (SELECT id FROM entries)`).Scan(&stale); err != nil || stale != 0 {
		t.Errorf("%d search keys of deleted entries (%v)", stale, err)
	}
	// Re-fetching changes nothing: the copy is now known by its item key.
	if got := save(t, s, synd, refresh(t0.Add(6*time.Hour), append(others, first)...)); got != (Result{Unchanged: 3}) {
		t.Errorf("re-fetch = %+v, want 3 unchanged", got)
	}
}

func TestPruneDropsTextsAndSearchKeys(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	src := sources(t, s, 1)[0].ID
	save(t, s, src, refresh(t0, textPost("old", "Old", t0.Add(-400*24*time.Hour), words("eta", 100)),
		textPost("new", "New", t0, words("theta", 100))))
	if _, err := s.Prune(t.Context(), Retention{MaxAge: 365 * 24 * time.Hour, Now: t0}); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, s, "entry_texts"); n != 1 {
		t.Errorf("%d texts after pruning one of two entries, want 1", n)
	}
	var orphans int
	if err := s.reader.QueryRow(`SELECT count(*) FROM search_keys WHERE entry_id NOT IN (SELECT id FROM entries)`).Scan(&orphans); err != nil || orphans != 0 {
		t.Errorf("%d search keys of pruned entries (%v)", orphans, err)
	}
	if n := countRows(t, s, "search_keys"); n == 0 {
		t.Error("no search keys left for the kept entry")
	}
}

// TestReadingsFollowTheText holds the kept readings to AnalyzeAgainst's:
// the same entry read again gives the same reading without reading its
// post again, an entry that changed (another fingerprint) is read anew,
// and the readings kept stay bounded.
func TestReadingsFollowTheText(t *testing.T) {
	r := newReadings()
	p := dedup.Post{Title: "A post", Text: strings.Repeat("one two three four five six seven eight. ", 20)}
	want := dedup.AnalyzeAgainst(p, dedup.Boilerplate{}, dedup.Post{}, dedup.Boilerplate{})
	reads := 0
	postOf := func(p dedup.Post) func() dedup.Post {
		return func() dedup.Post { reads++; return p }
	}
	for range 2 {
		if got := r.read(1, p.Title, []byte("v1"), postOf(p)); !reflect.DeepEqual(got, want) {
			t.Fatalf("reading = %+v, want %+v", got, want)
		}
	}
	if reads != 1 {
		t.Errorf("the post was read %d times for two readings of one version, want once", reads)
	}
	edited := p
	edited.Text += "\nA new closing paragraph with words of its own."
	if got, stale := r.read(1, p.Title, []byte("v2"), postOf(edited)), want; reflect.DeepEqual(got.Shingles, stale.Shingles) {
		t.Error("an edited entry kept its old reading")
	}
	for id := range int64(3 * readingsSize) {
		r.read(id+2, p.Title, []byte("v1"), postOf(p))
	}
	if n := len(r.cur) + len(r.prev); n > 2*readingsSize {
		t.Errorf("%d readings kept, want at most %d", n, 2*readingsSize)
	}
}

// TestCopyFoundAmongManyLookAlikes: when more stored posts than a lookup
// reads share some text with an item (here the same opening paragraph),
// the lookup reads those that share the most keys with it, so the post it
// is a copy of is found even when it was stored after all the others.
func TestCopyFoundAmongManyLookAlikes(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	lookAlikes := maxCandidates + 4
	srcs := sources(t, s, lookAlikes+2)
	common := words("preamble", 30)
	for i := range lookAlikes {
		p := textPost(fmt.Sprintf("alike-%d", i), fmt.Sprintf("Notes %d", i), t0.Add(time.Duration(i)*time.Hour),
			common, words(fmt.Sprintf("own%d", i), 80), words(fmt.Sprintf("more%d", i), 60))
		if got := save(t, s, srcs[i].ID, refresh(t0.Add(48*time.Hour), p)); got.New != 1 {
			t.Fatalf("look-alike %d = %+v, want a new entry", i, got)
		}
	}
	body := []string{common, words("alpha", 120), words("beta", 80)}
	orig := srcs[lookAlikes].ID
	save(t, s, orig, refresh(t0.Add(48*time.Hour), textPost("orig", "Scheduling in depth", t0, body...)))
	copy := syndicated("copy", "Scheduling In Depth", t0.Add(30*time.Hour), body...)
	if got := save(t, s, srcs[lookAlikes+1].ID, refresh(t0.Add(72*time.Hour), copy)); got != (Result{Duplicates: 1}) {
		t.Fatalf("copy among %d look-alikes = %+v, want 1 duplicate", lookAlikes, got)
	}
}

// TestPopularKeysLeftOut: a search key that more than maxKeyEntries stored
// entries share (here, their common first paragraph's) no longer brings
// candidates to a lookup, while one that as many share still does.
func TestPopularKeysLeftOut(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	srcs := sources(t, s, maxKeyEntries+2)
	common := words("opening", 60)
	store := func(i int) {
		p := textPost(fmt.Sprintf("alike-%d", i), fmt.Sprintf("Notes %d", i), t0.Add(time.Duration(i)*time.Hour),
			common, words(fmt.Sprintf("own%d", i), 150))
		if got := save(t, s, srcs[i].ID, refresh(t0.Add(72*time.Hour), p)); got.New != 1 {
			t.Fatalf("look-alike %d = %+v, want a new entry", i, got)
		}
	}
	item := textPost("item", "Something else", t0.Add(30*time.Hour), common, words("mine", 150))
	post := postOf(&item)
	doc := dedup.Analyze(post, dedup.Boilerplate{})
	lookup := func() []dedup.Candidate {
		var cands []dedup.Candidate
		_, err := s.batch(context.Background(), dedup.Options{}, func(x *index) (int, error) {
			var err error
			cands, err = x.similar(srcs[len(srcs)-1].ID, post, dedup.Boilerplate{}, &doc, item.Published, true, 0)
			return 0, err
		})
		if err != nil {
			t.Fatal(err)
		}
		return cands
	}
	for i := range maxKeyEntries {
		store(i)
	}
	if got := lookup(); len(got) == 0 {
		t.Fatalf("a lookup sharing keys with %d entries found no candidate, want some", maxKeyEntries)
	}
	store(maxKeyEntries)
	if got := lookup(); len(got) != 0 {
		t.Errorf("a lookup sharing keys only with %d entries found %d candidates, want none", maxKeyEntries+1, len(got))
	}
}
