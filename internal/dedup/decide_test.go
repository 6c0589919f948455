package dedup

import (
	"strings"
	"testing"
	"time"
)

func TestPrefer(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	dated := func(src int64, at time.Time) Copy { return Copy{Source: src, Active: true, Dated: true, Published: at} }
	tests := []struct {
		name string
		a, b Copy
		want bool
	}{
		{"earlier wins", dated(2, t0), dated(1, t0.Add(time.Hour)), true},
		{"later loses", dated(1, t0.Add(time.Hour)), dated(2, t0), false},
		{"canonical wins though later", Copy{Source: 2, Canonical: true, Dated: true, Published: t0.Add(48 * time.Hour)}, dated(1, t0), true},
		{"dated beats undated", dated(2, t0.Add(time.Hour)), Copy{Source: 1, Published: t0}, true},
		{"equal dates: source listed first", dated(1, t0), dated(2, t0), true},
		{"equal dates: source listed later", dated(2, t0), dated(1, t0), false},
		{"both undated: source listed first", Copy{Source: 1, Published: t0.Add(time.Hour)}, Copy{Source: 2, Published: t0}, true},
	}
	for _, tt := range tests {
		if got := Prefer(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: Prefer = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestDecide(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	paras := seedPost(t)
	text := docOf(seedTitle, paras...)
	copyText := docOf(seedTitle, append([]string{"Originally published on the Kubernetes blog."}, paras...)...)
	otherText := Analyze(Post{Title: "Interview", Text: strings.ReplaceAll(readSeed(t, "interview.plain.txt"), "\n\n", "\n")}, Boilerplate{})

	teaser := docOf(seedTitle, append(append([]string(nil), paras[:3]...), "Read the full post on the blog.")...)
	mine := Copy{Source: 1, Active: true, Dated: true, Published: t0.Add(24 * time.Hour)}
	in := Incoming{Copy: mine, Doc: &copyText}
	owner := func(src int64, at time.Time) Copy { return Copy{Source: src, Active: true, Dated: true, Published: at} }
	earlier, later := owner(2, t0), owner(2, t0.Add(48*time.Hour))

	tests := []struct {
		name  string
		in    Incoming
		cands []Candidate
		want  Decision
	}{
		{"nothing found", in, nil, Decision{Action: New}},
		{"own entry by id", in, []Candidate{{Entry: 7, Match: MatchItem, Owner: mine}}, Decision{Action: Update, Entry: 7, Match: MatchItem}},
		{"own entry under a new id", in, []Candidate{{Entry: 7, Match: MatchURL, Owner: mine}}, Decision{Action: Update, Entry: 7, Match: MatchURL}},
		{"own entry listed under its own id: another post", in,
			[]Candidate{{Entry: 7, Match: MatchURL, Owner: mine, OwnKeyListed: true}}, Decision{Action: New}},
		{"repeat within the feed", in, []Candidate{{Entry: 7, Match: MatchURL, Owner: earlier, Touched: true}}, Decision{Action: Repeat, Entry: 7, Match: MatchURL}},
		{"copy of an earlier post", in, []Candidate{{Entry: 7, Match: MatchHash, Owner: earlier}}, Decision{Action: Alternate, Entry: 7, Match: MatchHash}},
		{"original of a later copy", in, []Candidate{{Entry: 7, Match: MatchURL, Owner: later}}, Decision{Action: TakeOver, Entry: 7, Match: MatchURL}},
		{"original of a copy stored this round", in, []Candidate{{Entry: 7, Match: MatchURL, Owner: later, SameRound: true}},
			Decision{Action: TakeOver, Entry: 7, Match: MatchURL, AdoptID: true}},
		{"copy of a removed source's post", in, []Candidate{{Entry: 7, Match: MatchURL, Owner: Copy{Source: 2, Dated: true, Published: t0}}},
			Decision{Action: TakeOver, Entry: 7, Match: MatchURL}},
		{"id beats url beats hash", in, []Candidate{
			{Entry: 9, Match: MatchHash, Owner: earlier}, {Entry: 8, Match: MatchURL, Owner: earlier}, {Entry: 7, Match: MatchItem, Owner: mine}},
			Decision{Action: Update, Entry: 7, Match: MatchItem}},
		{"another post under the item's URL: a post about it, not a copy", in,
			[]Candidate{{Entry: 7, Match: MatchURL, Owner: earlier, Doc: &otherText}}, Decision{Action: New}},
		{"another post under the item's URL, and the post found by its text", in,
			[]Candidate{{Entry: 7, Match: MatchURL, Owner: earlier, Doc: &otherText}, {Entry: 8, Match: MatchSimilar, Owner: earlier, Doc: &text}},
			Decision{Action: Alternate, Entry: 8, Match: MatchSimilar, Verdict: Compare(copyText, text)}},
		{"the item's URL, its text unread: the URL decides", in,
			[]Candidate{{Entry: 7, Match: MatchURL, Owner: earlier}}, Decision{Action: Alternate, Entry: 7, Match: MatchURL}},
		{"hash of a post the source already copied: ids decide", in, []Candidate{{Entry: 7, Match: MatchHash, Owner: earlier, HasCopyFromSource: true}}, Decision{Action: New}},
		{"near-duplicate", in, []Candidate{{Entry: 7, Match: MatchSimilar, Owner: earlier, Doc: &text}},
			Decision{Action: Alternate, Entry: 7, Match: MatchSimilar, Verdict: Compare(copyText, text)}},
		{"near-duplicate, the closest of two", in, []Candidate{
			{Entry: 6, Match: MatchSimilar, Owner: earlier, Doc: &otherText}, {Entry: 7, Match: MatchSimilar, Owner: earlier, Doc: &text}},
			Decision{Action: Alternate, Entry: 7, Match: MatchSimilar, Verdict: Compare(copyText, text)}},
		{"whole post after its earlier teaser: takes over", Incoming{Copy: mine, Doc: &text},
			[]Candidate{{Entry: 7, Match: MatchSimilar, Owner: earlier, Doc: &teaser}},
			Decision{Action: TakeOver, Entry: 7, Match: MatchSimilar, Verdict: Compare(text, teaser)}},
		{"a longer copy of an earlier post: takes over as the whole", Incoming{Copy: mine, Doc: &text},
			[]Candidate{{Entry: 7, Match: MatchURL, Owner: earlier, Doc: &teaser}}, Decision{Action: TakeOver, Entry: 7, Match: MatchURL}},
		{"a longer copy that names the entry's post as its original: an alternate", Incoming{Copy: mine, Doc: &text},
			[]Candidate{{Entry: 7, Match: MatchURL, Owner: earlier, Doc: &teaser, NamedOrigin: true}}, Decision{Action: Alternate, Entry: 7, Match: MatchURL}},
		{"the original the entry's copy names, published later: takes over", Incoming{Copy: mine, Doc: &teaser},
			[]Candidate{{Entry: 7, Match: MatchURL, Owner: earlier, Doc: &text, NamesItem: true}}, Decision{Action: TakeOver, Entry: 7, Match: MatchURL}},
		{"teaser changed after its post took over: stays an alternate", Incoming{Copy: Copy{Source: 1, Active: true, Dated: true, Published: t0.Add(-time.Hour)}, Doc: &teaser},
			[]Candidate{{Entry: 7, Match: MatchItem, Owner: earlier, Doc: &text}},
			Decision{Action: Alternate, Entry: 7, Match: MatchItem}},
		{"teaser before its post: an alternate", Incoming{Copy: Copy{Source: 1, Active: true, Dated: true, Published: t0.Add(-time.Hour)}, Doc: &teaser},
			[]Candidate{{Entry: 7, Match: MatchSimilar, Owner: earlier, Doc: &text}},
			Decision{Action: Alternate, Entry: 7, Match: MatchSimilar, Verdict: Compare(teaser, text)}},
		{"teaser from the canonical source: takes over", Incoming{Copy: Copy{Source: 1, Canonical: true, Active: true, Dated: true, Published: t0}, Doc: &teaser},
			[]Candidate{{Entry: 7, Match: MatchSimilar, Owner: earlier, Doc: &text}},
			Decision{Action: TakeOver, Entry: 7, Match: MatchSimilar, Verdict: Compare(teaser, text)}},
		{"near-duplicate from the same source: never", in, []Candidate{{Entry: 7, Match: MatchSimilar, Owner: mine, Doc: &text}}, Decision{Action: New}},
		{"near-duplicate of a post the source already copied", in,
			[]Candidate{{Entry: 7, Match: MatchSimilar, Owner: earlier, Doc: &text, HasCopyFromSource: true}}, Decision{Action: New}},
		{"near-duplicate search off", Incoming{Copy: mine}, []Candidate{{Entry: 7, Match: MatchSimilar, Owner: earlier, Doc: &text}}, Decision{Action: New}},
		{"unrelated text", in, []Candidate{{Entry: 7, Match: MatchSimilar, Owner: earlier, Doc: &otherText}}, Decision{Action: New}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Decide(tt.in, tt.cands); got != tt.want {
				t.Errorf("Decide = %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestDecideIndependentOfOrder: the candidates' order never changes the
// decision.
func TestDecideIndependentOfOrder(t *testing.T) {
	paras := seedPost(t)
	a, b := docOf(seedTitle, paras...), docOf(seedTitle, paras[:len(paras)-1]...)
	in := Incoming{Copy: Copy{Source: 1, Active: true}, Doc: &a}
	cands := []Candidate{
		{Entry: 3, Match: MatchSimilar, Owner: Copy{Source: 2, Active: true}, Doc: &b},
		{Entry: 4, Match: MatchSimilar, Owner: Copy{Source: 3, Active: true}, Doc: &b},
	}
	first := Decide(in, cands)
	cands[0], cands[1] = cands[1], cands[0]
	if again := Decide(in, cands); again != first || first.Entry != 3 {
		t.Errorf("Decide = %v, then %v reversed; want entry 3 both times", first, again)
	}
}

// FuzzDecide holds Decide to its rules over any set of candidates built
// from the fuzzer's bytes: the entry chosen is a candidate, two items of one
// source are never merged by similarity nor as a second copy, and the
// candidates' order does not matter.
func FuzzDecide(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, uint8(1))
	f.Add([]byte{3, 3, 3, 3, 2, 1, 0, 0, 7, 7}, uint8(2))
	paras := seedPost(f)
	docs := []Doc{docOf(seedTitle, paras...), docOf(seedTitle, paras[:4]...), docOf("Other, part 2", paras...)}
	f.Fuzz(func(t *testing.T, data []byte, source uint8) {
		in := Incoming{Copy: Copy{Source: int64(source % 4), Active: true, Dated: true}, Doc: &docs[0]}
		// An entry found twice (by URL and by hash, say) is the same entry:
		// what the candidates say of it is fixed the first time it appears.
		var cands []Candidate
		seen := map[int64]Candidate{}
		for i := 0; i+1 < len(data); i += 2 {
			a, b := data[i], data[i+1]
			c, ok := seen[int64(a%8)+1]
			if !ok {
				c = Candidate{
					Entry:             int64(a%8) + 1,
					Owner:             Copy{Source: int64(b % 4), Active: b&4 != 0, Dated: b&8 != 0, Published: time.Unix(int64(b>>4), 0)},
					OwnKeyListed:      a&0x20 != 0,
					Touched:           a&0x40 != 0,
					HasCopyFromSource: a&0x80 != 0,
					Doc:               &docs[int(b)%len(docs)],
				}
				seen[c.Entry] = c
			}
			c.Match = Match(a >> 3 % 4)
			cands = append(cands, c)
		}
		d := Decide(in, cands)
		if d.Action == New {
			return
		}
		var chosen *Candidate
		for i := range cands {
			if cands[i].Entry == d.Entry && cands[i].Match == d.Match {
				chosen = &cands[i]
			}
		}
		if chosen == nil {
			t.Fatalf("Decide chose entry %d by %v, which no candidate offers", d.Entry, d.Match)
		}
		if d.Match == MatchSimilar && (chosen.Owner.Source == in.Copy.Source || chosen.HasCopyFromSource) {
			t.Fatalf("merged by similarity with a post of the same source: %+v", d)
		}
		if (d.Action == Alternate || d.Action == TakeOver) && chosen.Owner.Source == in.Copy.Source {
			t.Fatalf("%v of the source's own entry", d.Action)
		}
		for _, o := range Others(in, cands, d) {
			c := seen[o.Entry]
			if o.Entry == d.Entry || c.Owner.Source == in.Copy.Source || c.HasCopyFromSource || c.Touched {
				t.Fatalf("Others offers entry %d beyond the bounds: %+v", o.Entry, c)
			}
		}
		reversed := make([]Candidate, len(cands))
		for i, c := range cands {
			reversed[len(cands)-1-i] = c
		}
		if again := Decide(in, reversed); again != d {
			t.Fatalf("order changed the decision: %v, then %v", d, again)
		}
	})
}

// TestOthers: an original that is a copy of two stored entries (its teaser,
// and a whole copy with an introduction that shares too little with the
// teaser to have matched it) joins them.
func TestOthers(t *testing.T) {
	paras := seedPost(t)
	whole := docOf(seedTitle, paras...)
	teaser := docOf(seedTitle, append(append([]string(nil), paras[:3]...), "Read the full post on the blog.")...)
	reposted := docOf(seedTitle, append([]string{"Our team loved this post and asked to share it with you here; we hope you enjoy it as much as we did."}, paras...)...)
	other := Analyze(Post{Title: "Interview", Text: strings.ReplaceAll(readSeed(t, "interview.plain.txt"), "\n\n", "\n")}, Boilerplate{})
	in := Incoming{Copy: Copy{Source: 1, Active: true}, Doc: &whole}
	cands := []Candidate{
		{Entry: 9, Match: MatchSimilar, Owner: Copy{Source: 3, Active: true}, Doc: &teaser},
		{Entry: 7, Match: MatchSimilar, Owner: Copy{Source: 2, Active: true}, Doc: &reposted},
		{Entry: 8, Match: MatchSimilar, Owner: Copy{Source: 4, Active: true}, Doc: &other},
		{Entry: 6, Match: MatchSimilar, Owner: Copy{Source: 5, Active: true}, Doc: &teaser, HasCopyFromSource: true},
	}
	d := Decide(in, cands)
	if d.Entry != 7 {
		t.Fatalf("Decide = %v, want the closest, entry 7", d)
	}
	got := Others(in, cands, d)
	if len(got) != 1 || got[0].Entry != 9 || !got[0].Part {
		t.Errorf("Others = %+v, want only the teaser, entry 9, marked part", got)
	}
	if Others(in, cands, Decision{Action: New}) != nil {
		t.Error("Others of a new entry")
	}

	// A teaser joins one post: of two entries that both open with it, the
	// one Decide did not choose is another post, not merged.
	own := interviewParas(t) // paragraphs of another post
	response := docOf("What the village taught us", append(append([]string(nil), paras[:3]...), own[:6]...)...)
	in = Incoming{Copy: Copy{Source: 1, Active: true}, Doc: &teaser}
	cands = []Candidate{
		{Entry: 7, Match: MatchSimilar, Owner: Copy{Source: 2, Active: true}, Doc: &whole},
		{Entry: 8, Match: MatchSimilar, Owner: Copy{Source: 3, Active: true}, Doc: &response},
	}
	if d = Decide(in, cands); d.Action != Alternate || d.Entry != 7 || !d.Verdict.FirstIsPart {
		t.Fatalf("Decide = %v, want the teaser an alternate of the post whose title it has, entry 7", d)
	}
	if got := Others(in, cands, d); len(got) != 0 {
		t.Errorf("Others of a teaser = %+v, want none", got)
	}
}

func TestSurvives(t *testing.T) {
	early, late := Copy{Source: 2, Dated: true, Published: time.Unix(1, 0)}, Copy{Source: 1, Dated: true, Published: time.Unix(2, 0)}
	if !Survives(late, early, false, true) {
		t.Error("a whole post lost to its earlier teaser")
	}
	if Survives(late, early, false, false) {
		t.Error("the later of two whole copies survived")
	}
	canonicalTeaser := early
	canonicalTeaser.Canonical = true
	if Survives(late, canonicalTeaser, false, true) {
		t.Error("a whole copy survived over the canonical source's teaser")
	}
}
