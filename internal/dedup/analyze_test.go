package dedup

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestAnalyzeAgainstReadsAsAnalyze holds the two readings of a post to one
// text: against a post whose source has no boilerplate, AnalyzeAgainst
// gives what Analyze gives, less the hash and search keys it leaves out.
func TestAnalyzeAgainstReadsAsAnalyze(t *testing.T) {
	p, learned := villagePost(t)
	for _, bp := range []Boilerplate{{}, learned} {
		full := Analyze(p, bp)
		got := AnalyzeAgainst(p, bp, Post{Title: "Another post"}, Boilerplate{})
		if full.Hash == "" || len(full.Bands) == 0 {
			t.Fatalf("Analyze left out the hash or the search keys: %+v", full)
		}
		if got.Hash != "" || got.Bands != nil {
			t.Errorf("AnalyzeAgainst computed the hash or the search keys")
		}
		if got.Words != full.Words || got.Blocks != full.Blocks || got.Stripped != full.Stripped || got.Title != full.Title ||
			!slices.Equal(got.Shingles, full.Shingles) || !slices.Equal(got.Lead, full.Lead) {
			t.Errorf("AnalyzeAgainst read %d words, %d blocks, %d stripped; Analyze %d, %d, %d",
				got.Words, got.Blocks, got.Stripped, full.Words, full.Blocks, full.Stripped)
		}
		if v := Compare(got, full); !v.Same || v.Jaccard != 1 {
			t.Errorf("the two readings compare as %s", v)
		}
	}
}

// TestAnalyzeTakesTheGivenHash checks that Analyze uses the hash its
// caller computed for the whole text, and computes one for a text it
// stripped of boilerplate: the given hash is of another text then.
func TestAnalyzeTakesTheGivenHash(t *testing.T) {
	p, learned := villagePost(t)
	p.Text = "Originally published on the blog.\n" + p.Text + "\nShare this post."
	want := HashText(p.Text)
	p.Hash = "given"
	if got := Analyze(p, Boilerplate{}).Hash; got != "given" {
		t.Errorf("Analyze without boilerplate: hash %q, want the given one", got)
	}
	stripped := Analyze(p, learned)
	if stripped.Stripped == 0 {
		t.Fatal("the learned boilerplate stripped nothing")
	}
	if stripped.Hash == "given" || stripped.Hash == want || stripped.Hash == "" {
		t.Errorf("Analyze with boilerplate: hash %q, want the stripped text's", stripped.Hash)
	}
}

// TestOpeningAsWrittenLeads: a summary cut from a post as written (a Hugo
// summary, a WordPress excerpt) begins with the post's first sentence, even
// when the post's source learned that sentence as its release template's
// and leaves it out. The post's search keys include its first words as
// written, so the search, which needs two lead keys, still meets the
// summary.
func TestOpeningAsWrittenLeads(t *testing.T) {
	paras := seedPost(t)
	release := func(v int, body string) Post {
		return Post{Title: fmt.Sprintf("Lumen 1.%d released", v), Text: fmt.Sprintf("We are happy to announce the release of Lumen 1.%d, the alerting toolkit for small teams who run their own servers at home. %s", v, body)}
	}
	var w Window
	for v := range MinSupport {
		w.Add(fmt.Sprint(v), release(v, paras[v]))
	}
	bp := w.Learn(Boilerplate{})
	post := Analyze(release(9, paras[4]+"\n"+paras[5]), bp)
	if post.Sentences != 1 {
		t.Fatalf("the template's opening sentence was not learned: %d left out", post.Sentences)
	}
	words := strings.Fields(release(9, paras[4]).Text)[:55]
	summary := Analyze(Post{Title: "Lumen 1.9 released", Text: strings.Join(words, " ") + " …"}, Boilerplate{})
	if shared := sharedLeadKeys(summary, post); shared < 2 {
		t.Errorf("the summary shares %d lead keys with its post, want 2 or more", shared)
	}
}

// TestExcerptBehindOneOffLine: a 55-word excerpt whose syndicator opens it
// with an origin line worded for this post alone (nothing any window can
// learn) still meets its post on two lead keys, and Compare calls it a
// teaser of the post.
func TestExcerptBehindOneOffLine(t *testing.T) {
	paras := seedPost(t)
	post := docOf(seedTitle, paras...)
	line := "This tutorial first appeared on Ana Souza's blog and is republished here with her kind permission."
	words := strings.Fields(line + " " + paras[0] + " " + paras[1])[:55]
	excerpt := docOf(seedTitle, strings.Join(words, " ")+" […]")
	if shared := sharedLeadKeys(excerpt, post); shared < 2 {
		t.Errorf("the excerpt shares %d lead keys with its post, want 2 or more", shared)
	}
	if v := Compare(excerpt, post); !v.Same || v.Rule != RulePartial {
		t.Errorf("Compare = %v, want a teaser (partial)", v)
	}
}

// sharedLeadKeys counts the lead search keys a and b share: the search
// brings them together on two.
func sharedLeadKeys(a, b Doc) int {
	n := 0
	for _, k := range a.Bands[a.LeadAt:] {
		if slices.Contains(b.Bands[b.LeadAt:], k) {
			n++
		}
	}
	return n
}
