package dedup

import "time"

// Teasers and fuller copies: which of an entry's texts an item is compared
// with (Confirm), and which of two posts that open alike a teaser of both
// belongs to (closer, ClaimsTeaser).

// isTeaser reports whether v found the item a teaser or cut copy of the
// candidate.
func isTeaser(v Verdict) bool { return v.Same && v.Rule == RulePartial && v.FirstIsPart }

// titled reports whether candidate c's title, or its fuller copy's, holds
// most of title's words.
func titled(title string, c *Candidate) bool {
	return c.Doc != nil && titleWithin(title, c.Doc.Title) || c.Fuller != nil && titleWithin(title, c.Fuller.Title)
}

// ClaimsTeaser reports whether the item should take teaser, a copy that
// joined another entry as a teaser of it, from that entry, whose text is
// holder and whose copy hc: teaser (published as tc says) is a copy of the
// item too (a teaser of it, or most of a short post), not the other way
// round, and it is the item's rather than the holder's. The two posts open
// alike (a post and a response quoting its first paragraph); a teaser has
// its post's title, and when the titles do not tell (a newsletter's title
// of its own), it comes with its post rather than days from it: the
// response comes after the post it answers.
func ClaimsTeaser(in Incoming, teaser Doc, tc Copy, holder Doc, hc Copy) bool {
	if in.Doc == nil {
		return false
	}
	v := CompareCopies(teaser, tc, *in.Doc, in.Copy)
	if !v.Same || v.Rule == RulePartial && !v.FirstIsPart {
		return false
	}
	mine, theirs := titleWithin(teaser.Title, in.Doc.Title), titleWithin(teaser.Title, holder.Title)
	if mine != theirs {
		return mine
	}
	if !tc.Dated || !in.Copy.Dated || !hc.Dated {
		return false
	}
	return absDuration(tc.Published.Sub(in.Copy.Published))+TeaserCloser <= absDuration(tc.Published.Sub(hc.Published))
}

// TeaserCloser is how much closer in time to a post than to another that
// opens alike a teaser must be to be the post's when titles do not tell.
const TeaserCloser = 24 * time.Hour

func absDuration(d time.Duration) time.Duration { return max(d, -d) }

// Confirm compares the item with candidate c: the texts their entries
// keep and, where they have one, their fuller copies'. Of the pairs that
// confirm, the closest counts. A pair in which a kept text is a teaser of
// the other text does not confirm when that kept text's entry has a
// fuller copy: the kept copy is a teaser of that, the post, and the other
// text only opens as the post does (a response quoting its first
// paragraph) unless the fuller copy confirms too.
func Confirm(in Incoming, c *Candidate) Verdict {
	best := compareTexts(*itemDoc(in, c), in.Copy, in.Fuller != nil, *c.Doc, c.Owner, c.Fuller != nil)
	try := func(a *Doc, ac Copy, aFuller bool, b *Doc, bc Copy, bFuller bool) {
		if v := compareTexts(*a, ac, aFuller, *b, bc, bFuller); v.Same && (!best.Same || compareVerdicts(v, best) > 0) {
			best = v
		}
	}
	if c.Fuller != nil {
		item := in.Doc
		if c.FullerItem != nil {
			item = c.FullerItem
		}
		try(item, in.Copy, in.Fuller != nil, c.Fuller, c.FullerCopy, false)
	}
	if in.Fuller != nil {
		try(in.Fuller, in.FullerCopy, false, c.Doc, c.Owner, c.Fuller != nil)
		if c.Fuller != nil {
			try(in.Fuller, in.FullerCopy, false, c.Fuller, c.FullerCopy, false)
		}
	}
	return best
}

// compareTexts is CompareCopies, but for a teaser whose entry has a fuller
// copy (aFuller for a, bFuller for b): that fuller copy is the post it
// teases, and is compared in its own right.
func compareTexts(a Doc, ac Copy, aFuller bool, b Doc, bc Copy, bFuller bool) Verdict {
	v := CompareCopies(a, ac, b, bc)
	if v.Same && v.Rule == RulePartial && (v.FirstIsPart && aFuller || !v.FirstIsPart && bFuller) {
		v.Same, v.FirstIsPart = false, false
		v.Rule = "a teaser, whose entry keeps a fuller copy to compare instead: " + v.String()
	}
	return v
}
