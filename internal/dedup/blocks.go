package dedup

import "strings"

// Post is what de-duplication reads of an item: its visible text, one line
// per block (paragraph, heading, list item), and the title and categories
// that a syndicator's header or footer may quote.
type Post struct {
	Title      string
	Text       string
	Categories []string
	// Hash, when not "", is HashText(Text), which the caller computed
	// already (an item's content hash): Analyze then need not. It must be
	// that hash, or the entry is indexed under another text's.
	Hash string
}

// EdgeBlocks is how many blocks at each end of a post may be boilerplate: a
// syndicator's header ("originally published at …", an introduction) sits
// in the first few, its footer (bio, share and follow lines, series
// navigation, tags) in the last few.
const EdgeBlocks = 6

// splitBlocks returns the non-empty blocks of text.
func splitBlocks(text string) []string {
	var out []string
	for line := range strings.SplitSeq(text, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// isEdge reports whether block i of n lies where boilerplate can be.
func isEdge(i, n int) bool { return i < EdgeBlocks || i >= n-EdgeBlocks }

// edgeKeys returns the boilerplate key of every edge block of p, at its
// index in blocks; the others are left 0, since only edges are boilerplate.
func edgeKeys(p Post, blocks []string) []uint64 {
	own := ownWords(p)
	keys := make([]uint64, len(blocks))
	var scratch []uint64
	for i, b := range blocks {
		if isEdge(i, len(blocks)) {
			keys[i], scratch = blockKey(b, own, scratch[:0])
		}
	}
	return keys
}

// blockKey identifies a block across a source's posts. Links, numbers and
// the post's own title and category words are left out, because a
// syndicator's lines quote them: "The post <title> appeared first on
// <site>.", "Originally published at <url> on <date>.", "Tags: <tags>" each
// get one key whichever post they end.
func blockKey(block string, own map[uint64]bool, scratch []uint64) (uint64, []uint64) {
	scratch = appendWordsMasking(scratch, withoutURLs(block), true)
	h := uint64(fnvOffset)
	for _, w := range scratch {
		if !own[w] {
			h = mix(h ^ w)
		}
	}
	return h, scratch
}

// ownWords is the set of words of p's title and categories.
func ownWords(p Post) map[uint64]bool {
	words := appendWords(nil, p.Title)
	for _, c := range p.Categories {
		words = appendWords(words, c)
	}
	own := make(map[uint64]bool, len(words))
	for _, w := range words {
		own[w] = true
	}
	return own
}

// withoutURLs drops the URLs written out in s (link texts that are the
// link itself, "Originally published at https://…").
func withoutURLs(s string) string {
	if !strings.Contains(s, "://") && !strings.Contains(s, "www.") {
		return s
	}
	var b strings.Builder
	for len(s) > 0 {
		i := urlStart(s)
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		s = s[i:]
		end := strings.IndexAny(s, " \t")
		if end < 0 {
			end = len(s)
		}
		b.WriteByte(' ')
		s = s[end:]
	}
	return b.String()
}

// urlStart returns where the first written-out URL in s begins, or -1.
func urlStart(s string) int {
	first := -1
	for _, p := range [...]string{"http://", "https://", "www."} {
		if i := strings.Index(s, p); i >= 0 && (first < 0 || i < first) {
			first = i
		}
	}
	return first
}
