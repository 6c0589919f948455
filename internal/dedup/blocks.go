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

// edgeKey is what an edge block may hold of its source's boilerplate: the
// whole block, or, fused into a paragraph of the post, its first sentence
// (in the first EdgeBlocks blocks) or its last (in the last EdgeBlocks).
// A syndicator's "Originally published at <url>." often opens the post's
// first paragraph rather than a paragraph of its own, and a share line
// ends its last. A sentence's key is 0 where the block is one sentence,
// or lies on the other side.
type edgeKey struct {
	block, first, last uint64
}

// edgeKeys returns the boilerplate keys of every edge block of p, at its
// index in blocks; the others are left 0, since only edges are boilerplate.
func edgeKeys(p Post, blocks []string) []edgeKey {
	own := ownWords(p)
	keys := make([]edgeKey, len(blocks))
	var words []uint64
	for i, b := range blocks {
		if !isEdge(i, len(blocks)) {
			continue
		}
		// The words of the block, read once: its first sentence's,
		// the middle's, and its last sentence's.
		first, last := sentenceBounds(b)
		if first < 0 {
			first, last = len(b), len(b)
		}
		words = appendLineWords(words[:0], b[:first])
		inFirst := len(words)
		words = appendLineWords(words, b[first:last])
		beforeLast := len(words)
		words = appendLineWords(words, b[last:])
		k := &keys[i]
		k.block = lineKey(words, own)
		if last == len(b) {
			continue // one sentence
		}
		if i < EdgeBlocks {
			k.first = mix(lineKey(words[:inFirst], own) ^ sentenceSeed)
		}
		if i >= len(blocks)-EdgeBlocks {
			k.last = mix(lineKey(words[beforeLast:], own) ^ sentenceSeed)
		}
	}
	return keys
}

// sentenceSeed tells a sentence's key from a block's of the same words.
const sentenceSeed = 0x9e3779b97f4a7c15

// sentenceBounds returns where block's first sentence ends and its last
// begins, or -1, -1 when it is one sentence. A sentence ends at ".", "!"
// or "?" followed by a space, or at the full stop, exclamation or question
// mark of Chinese and Japanese, which no space follows; an abbreviation
// ("e.g. ") ends one too, which costs nothing here: a sentence is only left
// out when it recurs across a source's posts.
func sentenceBounds(block string) (firstEnd, lastStart int) {
	firstEnd, lastStart = -1, -1
	for i := 0; i+1 < len(block); i++ {
		end, next := sentenceEnd(block, i)
		if end < 0 {
			continue
		}
		if firstEnd < 0 {
			firstEnd = end
		}
		lastStart = next
	}
	if firstEnd < 0 || strings.TrimSpace(block[lastStart:]) == "" {
		return -1, -1
	}
	return firstEnd, lastStart
}

// fullWidthEnds are the sentence ends of Chinese and Japanese: 。！？
var fullWidthEnds = [...]string{"\u3002", "\uff01", "\uff1f"}

// sentenceEnd reports whether a sentence ends at s[i]: where it ends and
// where the next one begins, else -1, -1.
func sentenceEnd(s string, i int) (end, next int) {
	switch s[i] {
	case '.', '!', '?':
		if s[i+1] == ' ' && i > 0 && s[i-1] != ' ' {
			return i + 1, i + 2
		}
	case 0xE3, 0xEF:
		for _, e := range fullWidthEnds {
			if strings.HasPrefix(s[i:], e) && i > 0 && i+len(e) < len(s) {
				return i + len(e), i + len(e)
			}
		}
	}
	return -1, -1
}

// lineKey identifies a block, or a sentence, across a source's posts, from
// its words (appendLineWords). Links, numbers and the post's own title and
// category words are left out, because a syndicator's lines quote them:
// "The post <title> appeared first on <site>.", "Originally published at
// <url> on <date>.", "Tags: <tags>" each get one key whichever post they
// end. A title word is left out only where it stands next to another: a
// line quotes a title as a run of its words, while a word of the title
// alone ("on", "the", "Kubernetes") is as likely the line's own, and
// leaving it out made one post's "originally published on the Kubernetes
// Blog" differ from the others'.
func lineKey(words []uint64, own map[uint64]bool) uint64 {
	h := uint64(fnvOffset)
	for i, w := range words {
		if !quoted(words, i, own) {
			h = mix(h ^ w)
		}
	}
	return h
}

// appendLineWords appends the words of s as lineKey reads them: without
// its written-out URLs, numbers masked.
func appendLineWords(dst []uint64, s string) []uint64 {
	return appendWordsMasking(dst, withoutURLs(s), true)
}

// quoted reports whether words[i] is an own word next to another.
func quoted(words []uint64, i int, own map[uint64]bool) bool {
	return own[words[i]] && (i > 0 && own[words[i-1]] || i+1 < len(words) && own[words[i+1]])
}

// ownWords is the set of words of p's title and categories, read as
// blockKey reads a block: a number in the title is a number in the line
// that quotes it ("The post Kubernetes 1.9 is out appeared first …").
func ownWords(p Post) map[uint64]bool {
	words := appendWordsMasking(nil, p.Title, true)
	for _, c := range p.Categories {
		words = appendWordsMasking(words, c, true)
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
