package dedup

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// Copy is one source's copy of a post, as far as choosing which copy is the
// entry goes.
type Copy struct {
	Source    int64
	Canonical bool // its source is marked canonical: true in feeds.yaml
	Active    bool // its source is still listed in feeds.yaml
	Dated     bool // the source gave the post a date
	Published time.Time
}

// Prefer reports whether a should be the entry rather than b. The original
// is the copy from a source marked canonical, else (but see preferItem for
// teasers) the earliest published
// (a mirror or a syndicator republishes later; an undated copy counts as
// later than any dated one), else the source listed first. It is a total
// order on copies, so the copy that ends up the entry does not depend on
// which feed answered first.
func Prefer(a, b Copy) bool {
	if a.Canonical != b.Canonical {
		return a.Canonical
	}
	if a.Dated != b.Dated {
		return a.Dated
	}
	if c := a.Published.Compare(b.Published); a.Dated && c != 0 {
		return c < 0
	}
	return a.Source < b.Source
}

// Match says how a candidate entry was found.
type Match int

// Matches, strongest first.
const (
	MatchItem    Match = iota // the item's own id in its source
	MatchURL                  // the canonical URL
	MatchHash                 // the exact text, whole or without boilerplate
	MatchSimilar              // a near-duplicate search hit, confirmed by Compare
)

func (m Match) String() string {
	switch m {
	case MatchItem:
		return "item id"
	case MatchURL:
		return "canonical URL"
	case MatchHash:
		return "text hash"
	}
	return "similar text"
}

// Candidate is a stored entry that an item may be a copy of.
type Candidate struct {
	Entry int64
	Match Match
	Owner Copy // the entry's copy, from the source that owns it
	// OwnKeyListed is set when the entry belongs to the item's source and
	// its own id is listed in the same fetch under another item: two items
	// of one source are two posts, whatever their links or texts.
	OwnKeyListed bool
	// Touched is set when this fetch already stored or matched the entry:
	// a second item that maps to it is a repeat within the feed.
	Touched bool
	// HasCopyFromSource is set when another item of the item's source is
	// already a copy of the entry: within a source, ids decide.
	HasCopyFromSource bool
	// SameRound is set when the entry was first stored in the same poll
	// round as the item: readers cannot have seen its id yet.
	SameRound bool
	// SameID is set when the entry has a copy under the item's own id (its
	// GUID or Atom id): the same post read through another feed of it, as a
	// blog's summary feed beside its full one, or a Planet that keeps ids.
	SameID bool
	// NamedOrigin is set when the item says it is a copy of the entry's
	// post (its "Originally published at" line links it; see OriginURL),
	// NamesItem when the entry's copy says so of the item's: which of the
	// two is the original is no longer a matter of dates or lengths.
	NamedOrigin, NamesItem bool
	// Doc is the entry's text and Item the item's, to confirm a
	// MatchSimilar, each read with the boilerplate of both sources left out
	// (AnalyzeAgainst); Item nil means Incoming.Doc.
	Doc, Item *Doc
	// Fuller is the text of the entry's fullest copy, when another
	// source's copy says more than the one the entry keeps (a post whose
	// teaser came first, a copy with an editor's introduction), read as
	// Doc is; FullerItem is the item's text read against it (nil means
	// Incoming.Doc), FullerCopy that copy's source and date. See Confirm.
	Fuller, FullerItem *Doc
	FullerCopy         Copy
}

// FullerWords is how many more words than the text an entry is compared
// by a copy must have to become the entry's fuller copy (Candidate.Fuller):
// a paragraph or more, not an origin line or a share footer.
const FullerWords = 20

// Incoming is an item as Decide sees it.
type Incoming struct {
	Copy Copy
	Doc  *Doc // nil when near-duplicate detection is off
	// Fuller is, for a stored entry read again (a rescan), the text of
	// its fuller copy, as Candidate.Fuller; FullerCopy that copy.
	Fuller     *Doc
	FullerCopy Copy
}

// Action is what to do with an item.
type Action int

// Actions.
const (
	New       Action = iota // store it as a new entry
	Update                  // it is the source's own entry: update it in place
	Repeat                  // it maps to an entry this fetch already handled
	Alternate               // record it as another source's copy of the entry
	TakeOver                // it is the original: it becomes the entry, the owner's copy an alternate
)

func (a Action) String() string {
	return [...]string{"new entry", "update", "repeat within the feed", "alternate", "take over"}[a]
}

// Decision is what Decide chose, and why.
type Decision struct {
	Action  Action
	Entry   int64 // the entry updated, repeated, or copied; 0 for New
	Match   Match
	Verdict Verdict // for MatchSimilar
	// AdoptID is set on TakeOver when the entry was stored in this very
	// poll round: it takes the original's public id, so that a cold start
	// publishes the same ids whichever feed answered first. Otherwise the
	// id readers have seen stays.
	AdoptID bool
}

// Reason is the rule behind d in a few words, as `village dedup explain`
// prints it and as an alternate records it.
func (d Decision) Reason() string {
	switch {
	case d.Action == New:
		return "no match"
	case d.Match == MatchSimilar:
		return d.Verdict.String()
	}
	return "same " + d.Match.String()
}

// Decide chooses what to do with an item, given the candidates its keys
// and its near-duplicate search found. Exact matches come first (own id,
// then canonical URL, then text hash); only without one is a near-duplicate
// confirmed on the texts, the closest first.
func Decide(in Incoming, cands []Candidate) Decision {
	if c, ok := bestExact(in, cands); ok {
		return resolve(in, c, Decision{Match: c.Match})
	}
	if in.Doc == nil {
		return Decision{Action: New}
	}
	var best *Candidate
	var bestV Verdict
	for i := range cands {
		c := &cands[i]
		if c.Match != MatchSimilar || c.Doc == nil || !mayMergeBySimilarity(in, c) {
			continue
		}
		v := Confirm(in, c)
		if v.Same && (best == nil || closer(in, v, c, bestV, best)) {
			best, bestV = c, v
		}
	}
	if best == nil {
		return Decision{Action: New}
	}
	return resolve(in, *best, Decision{Match: MatchSimilar, Verdict: bestV})
}

// bestExact returns the strongest exact match that may stand; of two as
// strong, the lower entry id, so that the candidates' order does not matter.
func bestExact(in Incoming, cands []Candidate) (Candidate, bool) {
	var best Candidate
	found := false
	for _, c := range cands {
		if c.Match == MatchSimilar || (found && (c.Match > best.Match || c.Match == best.Match && c.Entry >= best.Entry)) {
			continue
		}
		own := c.Owner.Source == in.Copy.Source
		switch {
		case own && c.Match != MatchItem && c.OwnKeyListed:
			continue // another post of the same source
		case !own && c.Match == MatchHash && c.HasCopyFromSource:
			continue // the source has another item with this text: ids decide
		case c.NamedOrigin && c.Touched:
			// Another item of this fetch already copies the post the
			// item names (a syndicator's two halves of one post, both
			// saying where it was first published): the item is
			// another post of its source, not a repeat of that item.
			continue
		case Disputed(in, c):
			continue // a post about the post its link names
		}
		best, found = c, true
	}
	return best, found
}

// itemDoc is the item's text as compared with candidate c.
func itemDoc(in Incoming, c *Candidate) *Doc {
	if c.Item != nil {
		return c.Item
	}
	return in.Doc
}

// Disputed reports whether c, found by the item's canonical URL, is another
// source's post that the item's text says it is not a copy of (see
// LinkedOnly): the item links to the post and says something else, as a
// link blog's comment or a newsletter's blurb does. It needs both texts:
// without c.Doc the URL decides, and the store reads c.Doc for every URL
// match of another source's entry. Under the post's own id as well as its
// URL, the item is the post whatever its text: a blog's summary feed
// carries a blurb written for it, a mirror the version before an edit.
func Disputed(in Incoming, c Candidate) bool {
	if c.Match != MatchURL || c.SameID || c.Owner.Source == in.Copy.Source || in.Doc == nil || c.Doc == nil {
		return false
	}
	_, apart := LinkedOnly(*itemDoc(in, &c), *c.Doc, c.NamedOrigin || c.NamesItem)
	return apart
}

// mayMergeBySimilarity keeps similarity within its bounds: never two items
// of one source, never a second copy from a source that has one.
func mayMergeBySimilarity(in Incoming, c *Candidate) bool {
	return c.Owner.Source != in.Copy.Source && !c.HasCopyFromSource
}

// closer orders confirmed near-duplicates: the higher Jaccard, then
// containment, then the lower entry id, so the choice is deterministic.
// Of two posts the item is a teaser of (both open with it), the one whose
// title it carries comes first, else the one it came with (by
// TeaserCloser): a teaser has its post's title and comes with it, a
// response quoting the post's opening has a title of its own and comes
// after the post.
func closer(in Incoming, v Verdict, c *Candidate, w Verdict, d *Candidate) bool {
	if isTeaser(v) && isTeaser(w) {
		if a, b := titled(in.Doc.Title, c), titled(in.Doc.Title, d); a != b {
			return a
		}
		if in.Copy.Dated && c.Owner.Dated && d.Owner.Dated {
			a, b := absDuration(in.Copy.Published.Sub(c.Owner.Published)), absDuration(in.Copy.Published.Sub(d.Owner.Published))
			if a+TeaserCloser <= b || b+TeaserCloser <= a {
				return a < b
			}
		}
	}
	if x := compareVerdicts(v, w); x != 0 {
		return x > 0
	}
	return c.Entry < d.Entry
}

// compareVerdicts orders two verdicts by Jaccard, then containment.
func compareVerdicts(v, w Verdict) int {
	return cmp.Or(cmp.Compare(v.Jaccard, w.Jaccard), cmp.Compare(v.Containment, w.Containment))
}

// resolve turns a match on entry c into an action.
func resolve(in Incoming, c Candidate, d Decision) Decision {
	d.Entry = c.Entry
	switch {
	case c.Touched:
		d.Action = Repeat
	case c.Owner.Source == in.Copy.Source:
		d.Action = Update
	case !c.Owner.Active || preferItem(in, c, d):
		d.Action, d.AdoptID = TakeOver, c.SameRound
	default:
		d.Action = Alternate
	}
	return d
}

// preferItem reports whether the item should be the entry rather than the
// copy that owns it, c's. A whole post is preferred to its teaser or cut
// copy, whichever was published first (a newsletter may send its teaser
// before the blog posts the whole), unless only the teaser's source is
// canonical: readers are sent to the whole post, and later copies are
// compared with its whole text. That holds for a match by id or URL too
// when both texts were read: a teaser that changes after its post took
// the entry over does not take it back. A copy that names its original
// (NamedOrigin, NamesItem) says which it is, whatever their lengths.
func preferItem(in Incoming, c Candidate, d Decision) bool {
	switch {
	case in.Copy.Canonical != c.Owner.Canonical:
		return in.Copy.Canonical
	case c.NamesItem || c.NamedOrigin:
		return c.NamesItem
	}
	v := d.Verdict
	if d.Match != MatchSimilar {
		if in.Doc == nil || c.Doc == nil {
			return Prefer(in.Copy, c.Owner)
		}
		v = Compare(*itemDoc(in, &c), *c.Doc)
	}
	if v.Same && v.Rule == RulePartial && in.Copy.Canonical == c.Owner.Canonical {
		return !v.FirstIsPart
	}
	return Prefer(in.Copy, c.Owner)
}

func (d Decision) String() string {
	if d.Action == New {
		return d.Action.String()
	}
	return fmt.Sprintf("%s of entry %d: %s", d.Action, d.Entry, d.Reason())
}

// DefaultWindow is how far apart two copies of a post may be published.
const DefaultWindow = 30 * 24 * time.Hour

// Options tune near-duplicate detection; the zero value is the default.
type Options struct {
	Off    bool          // match by id, URL and exact text only
	Window time.Duration // candidates published within this of the item; 0 means DefaultWindow
}

// WindowOrDefault is the publish-date window in force.
func (o Options) WindowOrDefault() time.Duration { return cmp.Or(o.Window, DefaultWindow) }

// Other is another stored entry that an item turned out to be a copy of,
// besides the one Decide chose: two entries that were not known to be one
// post until a copy of both arrived (a teaser and a whole copy, say, that
// share too little to match each other). They are merged.
type Other struct {
	Entry int64
	Owner Copy
	Part  bool   // the entry's text is a teaser or cut copy of the item's post
	Rule  string // why the item is a copy of it
}

// Others lists, by entry id, the candidates besides d's that the item is a
// copy of too, within the same bounds as Decide: never an entry of the
// item's source, one that has a copy from it, or one this fetch already
// matched to another item. A teaser joins one post: when the item is a
// teaser of d's entry, an entry it is also a teaser of is another post
// that opens as that one does (a response quoting its first paragraph),
// not a part of one post that the item completes.
func Others(in Incoming, cands []Candidate, d Decision) []Other {
	if d.Action == New || d.Action == Repeat {
		return nil
	}
	teaser := d.Match == MatchSimilar && isTeaser(d.Verdict)
	var out []Other
	seen := map[int64]bool{d.Entry: true}
	for _, c := range cands {
		if seen[c.Entry] || c.Touched || !mayMergeBySimilarity(in, &c) || Disputed(in, c) {
			continue
		}
		o := Other{Entry: c.Entry, Owner: c.Owner, Rule: Decision{Match: c.Match}.Reason()}
		if c.Match == MatchSimilar {
			if in.Doc == nil || c.Doc == nil {
				continue
			}
			v := Confirm(in, &c)
			if !v.Same || teaser && isTeaser(v) {
				continue
			}
			o.Part, o.Rule = v.Rule == RulePartial && !v.FirstIsPart, v.String()
		}
		seen[c.Entry] = true
		out = append(out, o)
	}
	slices.SortFunc(out, func(a, b Other) int { return cmp.Compare(a.Entry, b.Entry) })
	return out
}

// Survives reports whether, of two entries found to be one post, the one
// whose copy is a should be kept rather than b's: the whole post over a
// teaser of it (unless only the teaser's source is canonical), else as
// Prefer says.
func Survives(a, b Copy, aPart, bPart bool) bool {
	if aPart != bPart && a.Canonical == b.Canonical {
		return !aPart
	}
	return Prefer(a, b)
}
