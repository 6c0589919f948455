package dedup

import "strings"

// Doc is a post as de-duplication compares it: its text with its source's
// boilerplate left out, and the keys that text is indexed under.
type Doc struct {
	Blocks   int      // blocks in the post's text
	Stripped int      // of which boilerplate, left out
	Words    int      // words left
	Hash     string   // HashText of the words left; "" when too short to identify a post
	Shingles []uint64 // distinct shingles of the words left, sorted
	Lead     []uint64 // distinct shingles of the lead, sorted
	Bands    []int64  // LSH keys, full text then lead; nil when too short to judge (MinWords)
	Title    string
}

// Analyze reads p with the blocks of bp, its source's boilerplate, left out.
func Analyze(p Post, bp Boilerplate) Doc {
	d, kept := read(p, bp, Post{}, Boilerplate{})
	if d.Stripped == 0 {
		d.Hash = HashText(p.Text) // the same letters and digits, without a copy
	} else {
		d.Hash = HashText(strings.Join(kept, "\n"))
	}
	if d.Words >= MinWords {
		d.Bands = bandKeys(d.Bands, sketch(d.Shingles, fullBands*fullRows, fullSeed), fullRows, fullSeed)
		d.Bands = bandKeys(d.Bands, sketch(d.Lead, leadBands*leadRows, leadSeed), leadRows, leadSeed)
	}
	return d
}

// AnalyzeAgainst reads p to compare it with q, a post of another source
// whose boilerplate is qbp: a block is left out when it is p's source's
// boilerplate, or q's source's as q would have quoted it (with q's title
// and categories). A syndicated copy often carries the original blog's
// editor's note or release footer besides its own lines, and the original
// learned those blocks under its own title.
//
// The Doc is for Compare, which reads neither Hash nor Bands: those index
// a post rather than compare it, and are left empty. Confirming a
// near-duplicate reads every candidate's text this way, so they are not
// worth their cost here.
func AnalyzeAgainst(p Post, bp Boilerplate, q Post, qbp Boilerplate) Doc {
	d, _ := read(p, bp, q, qbp)
	return d
}

// wordBytes is about how many bytes of text make a word and its space.
const wordBytes = 6

// read is what Analyze and AnalyzeAgainst share: the words, shingles and
// lead of p without the boilerplate blocks (see AnalyzeAgainst), and the
// blocks kept, for the hash.
func read(p Post, bp Boilerplate, q Post, qbp Boilerplate) (Doc, []string) {
	blocks := splitBlocks(p.Text)
	d := Doc{Blocks: len(blocks), Title: p.Title}
	var keys, theirKeys []uint64
	if bp.Len() > 0 {
		keys = edgeKeys(p, blocks)
	}
	if qbp.Len() > 0 {
		theirKeys = edgeKeys(Post{Title: q.Title, Categories: q.Categories, Text: p.Text}, blocks)
	}
	// One pass over the kept blocks: their words, and where the lead
	// starts (the first block long enough to be a paragraph).
	all := make([]uint64, 0, len(p.Text)/wordBytes) // grown once at most
	var kept []string
	leadStart := -1
	for i, b := range blocks {
		if isEdge(i, len(blocks)) && (keys != nil && bp.Has(keys[i]) || theirKeys != nil && qbp.Has(theirKeys[i])) {
			d.Stripped++
			continue
		}
		kept = append(kept, b)
		n := len(all)
		all = appendWords(all, b)
		if leadStart < 0 && len(all)-n >= leadBlockWords {
			leadStart = n
		}
	}
	d.Words = len(all)
	d.Shingles = shingles(all)
	leadStart = max(leadStart, 0)
	d.Lead = shingles(all[leadStart:min(len(all), leadStart+LeadWords)])
	return d, kept
}
