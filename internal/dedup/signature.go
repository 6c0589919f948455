package dedup

import (
	"math/bits"
	"slices"
	"sync"
)

// Near-duplicate search. The text is cut into shingles (runs of
// ShingleWords words); a MinHash sketch of the shingles, cut into bands,
// gives keys that two texts share with a probability that grows steeply
// with how many shingles they share (locality-sensitive hashing). The store
// indexes the keys, so finding the posts that may be copies of a new one
// costs a few index probes, whatever the size of the planet; each candidate
// is then confirmed on the texts themselves (Compare).
const (
	// ShingleWords is the length of a shingle in words.
	ShingleWords = 4

	// The whole text: 12 bands of 3 rows. Two texts sharing 60% of their
	// shingles meet in some band 95% of the time, at 70% 99.3%; at 20%,
	// 9%, and unrelated texts almost never. Every band is a row of the
	// store's index written with each entry, so bands cost ingest time:
	// 16 bands found no more of the labelled corpus's cross-posts than 12
	// (8 still found them all, 6 did not), and the leads catch the copies
	// that share less of the whole text.
	fullBands, fullRows = 12, 3
	// The leads (LeadWords words from each of the first two blocks of at
	// least leadBlockWords words, so that a heading or a byline does not
	// count, and the others Analyze adds): 6 bands of 2 rows each. A
	// teaser or a copy cut short shares little of the whole post but all
	// of its lead; a header fused into the first paragraph still leaves
	// most of it, and a paragraph added before the post leaves the second
	// lead. A candidate must meet the item on two lead keys (see store's
	// similarSQL). A 55-word excerpt behind a 14-word origin line holds
	// 41 words of its post's lead, 0.8 of its 8-word runs: 4 bands met
	// in two 84% of the time, and missed two of probe3's; 6 bands meet
	// in two 98% of the time, for 3% more CPU in a cold ingest.
	leadBands, leadRows = 6, 2
	// leadShingleWords is the run length the lead's search keys are made
	// of: longer than ShingleWords, so that two posts whose leads merely
	// share common phrases or lines of code seldom meet, while a teaser,
	// which repeats its post's first sentences word for word, does.
	leadShingleWords = 8
	LeadWords        = 50
	leadBlockWords   = 20
)

// shingles returns the distinct hashes of the ShingleWords-word runs of
// words, sorted. A text shorter than one shingle is one shingle.
func shingles(words []uint64) []uint64 { return shinglesOf(words, ShingleWords) }

// shinglesOf returns the distinct hashes of the width-word runs of words,
// sorted; a text shorter than one run is one run.
func shinglesOf(words []uint64, width int) []uint64 {
	if len(words) == 0 {
		return nil
	}
	n := max(len(words)-width+1, 1)
	out := make([]uint64, 0, n)
	for i := range n {
		h := uint64(fnvOffset)
		for _, w := range words[i:min(i+width, len(words))] {
			h = mix(h ^ w)
		}
		out = append(out, h)
	}
	sortHashes(out)
	return slices.Compact(out)
}

// sortHashes sorts hs, hashes spread evenly over the uint64 range, in
// about linear time: it deals them into about one bucket per hash by their
// top bits, then insertion-sorts the result, which moves each hash only
// within its bucket. That takes half the time of a comparison sort of a
// post's thousand shingles, which was a good part of reading a post. A
// text made to crowd a bucket gets the comparison sort instead.
func sortHashes(hs []uint64) {
	n := len(hs)
	if n < minBucketSort {
		slices.Sort(hs)
		return
	}
	b := bits.Len(uint(n))
	shift := uint(64 - b)
	sc := sortScratch.Get().(*bucketScratch)
	defer sortScratch.Put(sc)
	counts := slices.Grow(sc.counts[:0], 1<<b+1)[:1<<b+1]
	clear(counts)
	for _, h := range hs {
		counts[h>>shift+1]++
	}
	for i := 1; i < len(counts); i++ {
		if counts[i] > maxBucket {
			slices.Sort(hs)
			return
		}
		counts[i] += counts[i-1]
	}
	dealt := slices.Grow(sc.dealt[:0], n)[:n]
	for _, h := range hs {
		k := h >> shift
		dealt[counts[k]] = h
		counts[k]++
	}
	for i := 1; i < n; i++ {
		v, j := dealt[i], i
		for ; j > 0 && dealt[j-1] > v; j-- {
			dealt[j] = dealt[j-1]
		}
		dealt[j] = v
	}
	copy(hs, dealt)
	if n <= maxPooledHashes {
		sc.counts, sc.dealt = counts, dealt
	}
}

// Bounds of sortHashes: the shortest set it deals into buckets, the most
// hashes a bucket may hold before it falls back to the comparison sort,
// and the largest set whose buffers it keeps for the next call.
const (
	minBucketSort   = 64
	maxBucket       = 32
	maxPooledHashes = 1 << 16
)

type bucketScratch struct {
	counts []int32
	dealt  []uint64
}

var sortScratch = sync.Pool{New: func() any { return new(bucketScratch) }}

// sketch is a one-permutation MinHash of a shingle set: each shingle falls
// into one of n buckets by its top bits and each bucket keeps the smallest
// value it saw. Empty buckets borrow from the next full one to their right
// (rotation densification), shifted so that borrowed and own values do not
// collide. One hash per shingle instead of n keeps it cheap enough for the
// ingest path.
func sketch(set []uint64, n int, seed uint64) []uint64 {
	const empty = ^uint64(0)
	sig := make([]uint64, n)
	for i := range sig {
		sig[i] = empty
	}
	if len(set) == 0 {
		return sig
	}
	for _, s := range set {
		h := mix(s ^ seed)
		b := int((h >> 32) * uint64(n) >> 32)
		if v := h & 0xffffffff; v < sig[b] {
			sig[b] = v
		}
	}
	for i := range sig {
		if sig[i] != empty {
			continue
		}
		for d := 1; d < n; d++ {
			if v := sig[(i+d)%n]; v != empty && v < 1<<32 {
				sig[i] = v + uint64(d)<<32
				break
			}
		}
	}
	return sig
}

// Band kinds, mixed into band keys so that a lead band never meets a
// full-text band.
const (
	fullSeed = 0x5bd1e9955bd1e995
	leadSeed = 0x2545f4914f6cdd1d
)

// bandKeys appends the LSH keys of sig cut into bands of rows values.
func bandKeys(dst []int64, sig []uint64, rows int, seed uint64) []int64 {
	for b := 0; b+rows <= len(sig); b += rows {
		h := mix(seed ^ uint64(b))
		for _, v := range sig[b : b+rows] {
			h = mix(h ^ v)
		}
		dst = append(dst, int64(h))
	}
	return dst
}
