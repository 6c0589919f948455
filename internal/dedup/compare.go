package dedup

import "fmt"

// The thresholds of Compare. They were chosen on the labelled corpus in
// testdata/crosspost (cross-posts of every kind and look-alikes of every
// kind; see its MANIFEST.md): the lowest similarity of a true copy there and
// the highest of a look-alike leave a wide gap around each.
const (
	// MinWords is how many words the shorter text needs, once boilerplate is
	// left out, for its similarity to mean anything: below it, a post is
	// matched by its URL and exact text only.
	MinWords = 40
	// SimilarJaccard is the share of shingles two copies of a whole post
	// have in common, at least: an added line, a fixed typo or a reworded
	// sentence costs a few shingles, a different post nearly all.
	SimilarJaccard = 0.5
	// PartialContainment is the share of the shorter text's shingles that
	// must be in the longer one for it to be a teaser or a copy cut short…
	PartialContainment = 0.8
	// PartialLead …and the share of lead shingles the two must have in
	// common: a teaser starts where its post starts, while a response that
	// quotes a post, or a digest that lists it, does not.
	PartialLead = 0.5
)

// Rules a Verdict names.
const (
	RuleSimilar = "similar" // the two texts share most of their shingles
	RulePartial = "partial" // one is a teaser or a cut copy of the other
)

// Verdict is the outcome of comparing two posts' texts, with the figures
// that led to it.
type Verdict struct {
	Same        bool
	Rule        string // RuleSimilar or RulePartial when Same; else why not
	Jaccard     float64
	Containment float64 // of the shorter text in the longer
	Lead        float64 // Jaccard of the two leads
}

func (v Verdict) String() string {
	return fmt.Sprintf("%s (jaccard %.2f, containment %.2f, lead %.2f)", v.Rule, v.Jaccard, v.Containment, v.Lead)
}

// Compare decides whether a and b are copies of one post, from their texts
// (each with its boilerplate left out) and titles.
func Compare(a, b Doc) Verdict {
	short, long := a, b
	if len(b.Shingles) < len(a.Shingles) {
		short, long = b, a
	}
	shared := intersect(short.Shingles, long.Shingles)
	v := Verdict{
		Jaccard: ratio(shared, len(short.Shingles)+len(long.Shingles)-shared),
		Lead:    jaccard(short.Lead, long.Lead),
	}
	v.Containment = ratio(shared, len(short.Shingles))
	switch {
	case short.Words < MinWords:
		v.Rule = fmt.Sprintf("too little text to judge (%d words, need %d)", short.Words, MinWords)
	case TitlesConflict(a.Title, b.Title):
		v.Rule = fmt.Sprintf("titles differ in numbers (%q, %q)", a.Title, b.Title)
	case v.Jaccard >= SimilarJaccard:
		v.Same, v.Rule = true, RuleSimilar
	case v.Containment >= PartialContainment && v.Lead >= PartialLead:
		v.Same, v.Rule = true, RulePartial
	default:
		v.Rule = "different texts"
	}
	return v
}

// intersect counts the values two sorted sets share.
func intersect(a, b []uint64) int {
	n := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return n
}

func jaccard(a, b []uint64) float64 {
	shared := intersect(a, b)
	return ratio(shared, len(a)+len(b)-shared)
}

func ratio(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}
