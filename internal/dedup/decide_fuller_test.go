package dedup

import (
	"strings"
	"testing"
	"time"
)

// TestDecideByFullerCopy: an entry is compared by its fuller copy as well
// as by the copy it keeps, and a kept teaser of that fuller copy does not
// confirm alone.
func TestDecideByFullerCopy(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	paras := seedPost(t)
	own := interviewParas(t) // paragraphs of another post
	post := docOf(seedTitle, paras...)
	teaser := docOf(seedTitle, paras[0], paras[1], "Read the full post on the blog.")
	response := docOf("What the village taught us", append([]string{paras[0], paras[1]}, own[:4]...)...)
	introduced := docOf(seedTitle, append([]string{own[4], own[5]}, paras...)...)
	excerpt := docOf(seedTitle, own[4], own[5], paras[0])

	at := func(src int64, hours int) Copy {
		return Copy{Source: src, Active: true, Dated: true, Published: t0.Add(time.Duration(hours) * time.Hour)}
	}
	in := func(d *Doc) Incoming { return Incoming{Copy: at(1, 24), Doc: d} }
	kept := func(d, fuller *Doc) []Candidate {
		return []Candidate{{Entry: 7, Match: MatchSimilar, Owner: at(2, 0), Doc: d, Fuller: fuller, FullerCopy: at(3, 3)}}
	}
	tests := []struct {
		name   string
		in     Incoming
		cands  []Candidate
		action Action
	}{
		// The texts mean what the cases say: without the fuller copy, the
		// response reads as the whole post its kept teaser was of, and the
		// excerpt meets nothing.
		{"response to a post, by its kept teaser alone", in(&response), kept(&teaser, nil), TakeOver},
		{"response to a post whose teaser is kept", in(&response), kept(&teaser, &post), New},
		{"another copy of a post whose teaser is kept", in(&post), kept(&teaser, &post), Alternate},
		{"another teaser of a post whose teaser is kept", in(&teaser), kept(&teaser, &post), Alternate},
		{"excerpt of an introduced copy, by the post alone", in(&excerpt), kept(&post, nil), New},
		{"excerpt of an introduced copy", in(&excerpt), kept(&post, &introduced), Alternate},
		{"teaser of a post with an introduced copy", in(&teaser), kept(&post, &introduced), Alternate},
		// A stored entry read again (a rescan) is compared by its fuller
		// copy too.
		{"kept teaser read again, by itself alone", Incoming{Copy: at(1, 0), Doc: &teaser},
			[]Candidate{{Entry: 8, Match: MatchSimilar, Owner: at(2, 24), Doc: &response}}, Alternate},
		{"kept teaser read again, with its post", Incoming{Copy: at(1, 0), Doc: &teaser, Fuller: &post, FullerCopy: at(3, 3)},
			[]Candidate{{Entry: 8, Match: MatchSimilar, Owner: at(2, 24), Doc: &response}}, New},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Decide(tt.in, tt.cands)
			if d.Action != tt.action {
				t.Errorf("Decide = %v, want %v", d, tt.action)
			}
		})
	}
}

// TestClaimsTeaser: a post takes its teaser from the entry of another
// post that opens alike when the teaser carries its title, not the
// other's.
func TestClaimsTeaser(t *testing.T) {
	paras := seedPost(t)
	own := interviewParas(t) // paragraphs of another post
	post := docOf(seedTitle, paras...)
	teaser := docOf(seedTitle, paras[0], paras[1], "Read the full post on the blog.")
	response := docOf("What the village taught us", append([]string{paras[0], paras[1]}, own[:4]...)...)
	retitled := docOf(seedTitle, append([]string{paras[0], paras[1]}, own[:4]...)...)
	c := Copy{Source: 2, Active: true}
	item := func(d *Doc) Incoming { return Incoming{Copy: Copy{Source: 1, Active: true}, Doc: d} }
	tests := []struct {
		name   string
		in     Incoming
		holder Doc
		want   bool
	}{
		{"post, from a response", item(&post), response, true},
		{"post, from a response whose title is the post's", item(&post), retitled, false},
		{"response, from the post", item(&response), post, false},
		{"search off", Incoming{Copy: Copy{Source: 1}}, response, false},
	}
	for _, tt := range tests {
		if got := ClaimsTeaser(tt.in, teaser, c, tt.holder, c); got != tt.want {
			t.Errorf("%s: ClaimsTeaser = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestTeaserOfTwoPosts: a teaser of two posts that open alike joins the
// one whose title it carries, else the one it came with in time; a post
// takes such a teaser back from the other by the same rules.
func TestTeaserOfTwoPosts(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	paras := seedPost(t)
	own := interviewParas(t) // paragraphs of another post
	at := func(src int64, hours int) Copy {
		return Copy{Source: src, Active: true, Dated: true, Published: t0.Add(time.Duration(hours) * time.Hour)}
	}
	teaser := docOf("This week: notes from the community", paras[0], paras[1], "Read the whole post tomorrow.")
	post := docOf(seedTitle, paras...)
	response := docOf("A response", append([]string{paras[0], paras[1]}, own[:2]...)...)
	in := Incoming{Copy: at(1, 0), Doc: &teaser}
	cands := []Candidate{
		{Entry: 7, Match: MatchSimilar, Owner: at(2, 96), Doc: &response},
		{Entry: 8, Match: MatchSimilar, Owner: at(3, 24), Doc: &post},
	}
	if d := Decide(in, cands); d.Entry != 8 {
		t.Errorf("Decide = %v, want the post it came a day before, entry 8", d)
	}
	cands[1].Owner = at(3, 90)
	if d := Decide(in, cands); d.Entry != 7 {
		t.Errorf("Decide = %v, want the closer text, entry 7, when the dates do not tell", d)
	}

	if !ClaimsTeaser(Incoming{Copy: at(3, 24), Doc: &post}, teaser, at(1, 0), response, at(2, 96)) {
		t.Error("the post did not claim the teaser it came with from the response")
	}
	if ClaimsTeaser(Incoming{Copy: at(3, 24), Doc: &post}, teaser, at(1, 90), response, at(2, 96)) {
		t.Error("the post claimed a teaser that came with the response")
	}
}

// interviewParas are the paragraphs of the seed interview of 40 words or
// more: text of another post than the seed post.
func interviewParas(t *testing.T) []string {
	var out []string
	for p := range strings.SplitSeq(readSeed(t, "interview.plain.txt"), "\n\n") {
		if len(strings.Fields(p)) >= 40 {
			out = append(out, p)
		}
	}
	return out
}
