package dedup

import (
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Doc is a post as de-duplication compares it: its text with its source's
// boilerplate left out, and the keys that text is indexed under.
type Doc struct {
	Blocks   int // blocks in the post's text
	Stripped int // of which boilerplate, left out
	// Sentences is how many boilerplate sentences were left out of the
	// blocks kept: a header or a footer fused into a paragraph (edgeKey).
	Sentences int
	Words     int      // words left
	Hash      string   // HashText of the words left; "" when too short to identify a post
	Shingles  []uint64 // distinct shingles of the words left, sorted
	Lead      []uint64 // distinct shingles of the lead, sorted
	// Opening is the distinct shingles of the first LeadWords words, sorted,
	// when the text opens with a block too short to lead; else nil.
	Opening []uint64
	// AfterNotice is the distinct shingles of the lead of the second
	// paragraph, sorted, when the first is an edit notice ("Update, 10
	// October: …", see isNotice); else nil. An excerpt taken before the
	// notice was added holds that lead.
	AfterNotice []uint64
	Tail        []uint64 // distinct shingles of the last LeadWords words, sorted
	Bands       []int64  // LSH keys, full text then leads; nil when too short to judge (MinWords)
	LeadAt      int      // where the leads' keys start in Bands
	Title       string
}

// Analyze reads p with the blocks of bp, its source's boilerplate, left out.
func Analyze(p Post, bp Boilerplate) Doc {
	words := wordsPool.Get().(*[]uint64)
	defer putWords(words)
	d, kept, leads := read(p, bp, Post{}, Boilerplate{}, words)
	switch {
	case d.Stripped == 0 && d.Sentences == 0 && p.Hash != "":
		d.Hash = p.Hash
	case d.Stripped == 0 && d.Sentences == 0:
		d.Hash = HashText(p.Text) // the same letters and digits, without a copy
	default:
		d.Hash = HashText(strings.Join(kept, "\n"))
	}
	if d.Words >= MinWords {
		d.Bands = bandKeys(d.Bands, sketch(d.Shingles, fullBands*fullRows, fullSeed), fullRows, fullSeed)
		// The leads from the first and from the second paragraph: a copy
		// that has one more paragraph before the post (an introduction,
		// the original's editor's note the original itself leaves out as
		// boilerplate) still meets the post on the other. The text's
		// first words as written, boilerplate and all, are a lead too: an
		// excerpt or a summary is cut from the post as written, one
		// sentence of an opening paragraph run into the next, or the
		// opening line of a release template its source learned.
		d.LeadAt = len(d.Bands)
		opening := wordsPool.Get().(*[]uint64) // leads point into words
		defer putWords(opening)
		*opening = appendOpening((*opening)[:0], p.Text)
		for _, words := range append(leads, *opening) {
			lead := shinglesOf(words, leadShingleWords)
			d.Bands = bandKeys(d.Bands, sketch(lead, leadBands*leadRows, leadSeed), leadRows, leadSeed)
		}
		slices.Sort(d.Bands[d.LeadAt:])
		d.Bands = slices.Compact(d.Bands)
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
	words := wordsPool.Get().(*[]uint64)
	defer putWords(words)
	d, _, _ := read(p, bp, q, qbp, words)
	return d
}

// wordBytes is about how many bytes of text make a word and its space.
const wordBytes = 6

// wordsPool holds the buffers read keeps a post's word hashes in: reading
// every post of a cold ingest allocated a third more than its text besides.
var wordsPool = sync.Pool{New: func() any { return new([]uint64) }}

// putWords gives a buffer back to wordsPool, unless one huge post grew it.
func putWords(words *[]uint64) {
	if cap(*words) <= maxPooledHashes {
		wordsPool.Put(words)
	}
}

// read is what Analyze and AnalyzeAgainst share: the words, shingles and
// lead of p without the boilerplate blocks (see AnalyzeAgainst), and the
// blocks kept, for the hash. The word hashes go into *words, which the
// leads point into: the caller keeps it until it is done with them.
func read(p Post, bp Boilerplate, q Post, qbp Boilerplate, words *[]uint64) (d Doc, kept []string, leads [][]uint64) {
	blocks := splitBlocks(p.Text)
	d = Doc{Blocks: len(blocks), Title: p.Title}
	var keys, theirKeys []edgeKey
	if bp.Len() > 0 {
		keys = edgeKeys(p, blocks)
	}
	if qbp.Len() > 0 {
		theirKeys = edgeKeys(Post{Title: q.Title, Categories: q.Categories, Text: p.Text}, blocks)
	}
	// One pass over the kept blocks: their words, and where the lead
	// starts (the first block long enough to be a paragraph).
	all := slices.Grow((*words)[:0], len(p.Text)/wordBytes) // grown once at most
	defer func() { *words = all[:0] }()
	var longBuf [3]longBlock
	longs := longBuf[:0]     // the first three long blocks
	var firstEnd, lastAt int // where the first kept block ends and the last starts
	var first, last string   // those blocks
	for i, b := range blocks {
		if isEdge(i, len(blocks)) {
			ours, theirs := edgeAt(keys, i), edgeAt(theirKeys, i)
			if bp.Has(ours.block) || qbp.Has(theirs.block) {
				d.Stripped++
				continue
			}
			var cut int
			b, cut = trimSentences(b, bp.Has(ours.first) || qbp.Has(theirs.first), bp.Has(ours.last) || qbp.Has(theirs.last))
			d.Sentences += cut
		}
		kept = append(kept, b)
		n := len(all)
		all = appendWords(all, b)
		if len(longs) < 3 && len(all)-n >= leadBlockWords {
			longs = append(longs, longBlock{n, b})
		}
		if len(kept) == 1 {
			first, firstEnd = b, len(all)
		}
		last, lastAt = b, n
	}
	text, longs := withoutNotices(all, first, firstEnd, last, lastAt, longs)
	d.Words = len(text)
	d.Shingles = shingles(text)
	if len(longs) == 0 {
		longs = []longBlock{{0, ""}}
	}
	for _, l := range longs[:min(2, len(longs))] {
		leads = append(leads, text[l.at:min(len(text), l.at+LeadWords)])
	}
	d.Lead = shingles(leads[0])
	if longs[0].at > 0 { // a short block first: see Opening
		d.Opening = shingles(text[:min(len(text), LeadWords)])
	}
	if len(leads) > 1 && isNotice(longs[0].block) {
		d.AfterNotice = shingles(leads[1])
	}
	d.Tail = shingles(text[max(0, len(text)-LeadWords):])
	if d.Words < shortWords {
		if at := afterFirstSentence(longs[0].block); at > 0 {
			at += longs[0].at
			leads = append(leads, text[at:min(len(text), at+LeadWords)])
		}
	}
	return d, kept, leads
}

// longBlock is a block long enough to lead a text, and where its words
// start.
type longBlock struct {
	at    int
	block string
}

// withoutNotices returns the words of a text, all, without an edit notice
// that is its first or last block ("Update, 12 July: …"), and its long
// blocks with where they start in what is left. A copy taken before the
// notice was written has none, and one taken after may move it to its
// end: the notice is not the post. A notice stays when too few words
// would be left to judge without it. first ends at firstEnd in all, and
// last starts at lastAt.
func withoutNotices(all []uint64, first string, firstEnd int, last string, lastAt int, longs []longBlock) ([]uint64, []longBlock) {
	lo, hi := 0, len(all)
	if len(all)-firstEnd >= MinWords && isNotice(first) {
		lo = firstEnd
	}
	if lastAt >= firstEnd && lastAt-lo >= MinWords && isNotice(last) {
		hi = lastAt
	}
	if lo == 0 && hi == len(all) {
		return all, longs
	}
	in := longs[:0]
	for _, l := range longs {
		if l.at >= lo && l.at < hi {
			in = append(in, longBlock{l.at - lo, l.block})
		}
	}
	return all[lo:hi], in
}

// noticeStart matches the start of an edit notice put before a post
// after it was published: "Update, 10 October: …", "Edit: …", "Correction
// (12 May): …", "Mise à jour (12 mai) : …", "Aktualisierung, 17. Oktober
// 2023: …" (a German date has a full stop after its day), "Nachtrag: …",
// "UPD: …", "업데이트 (2월 9일): …", 「更新（10月10日）：…」, 「【追記】…」,
// 「编者注：…」.
var noticeStart = regexp.MustCompile(`^(?i)(?:update|updated|upd|edit|edited|correction|erratum|addendum)\b[^.:]{0,24}(?:[0-9]\.[^.:]{0,24})?:` +
	`|^(?i)(?:mise à jour|mise a jour|actualisation|actualización|actualizacion|actualizado|atualização|atualizado|aggiornamento|` +
	`aktualisierung|aktualisiert|nachtrag|ergänzung|korrektur|aktualizacja|güncelleme|cập nhật|обновление|исправление|` +
	`업데이트|수정|추가|정정|تحديث|تعديل|به‌روزرسانی|بروزرسانی|به روزرسانی|ویرایش|עדכון|תיקון|अपडेट|अद्यतन|ενημέρωση|διόρθωση)[^.:]{0,24}(?:[0-9]\.[^.:]{0,24})?:` +
	`|^【?(?:更新|追記|訂正|修正|编辑|编者注|編者注|勘误|勘誤)(?:】|[^。：:]{0,20}[：:])`)

// isNotice reports whether block is an edit notice. Most blocks begin with
// none of noticeWords, and are not run through the expression.
func isNotice(block string) bool {
	block = strings.TrimSpace(block)
	for _, w := range noticeWords {
		if len(block) >= len(w) && strings.EqualFold(block[:len(w)], w) {
			return noticeStart.MatchString(block)
		}
	}
	return false
}

// noticeWords are the beginnings of noticeStart's words.
var noticeWords = []string{"upd", "edit", "corr", "err", "add", "mise", "actuali", "atuali", "aggiorn",
	"aktuali", "nachtrag", "ergänzung", "korrektur", "aktualizacja", "güncelleme", "cập nhật", "обновл", "исправл",
	"업데이트", "수정", "추가", "정정", "تحديث", "تعديل", "به‌رو", "به رو", "بروز", "ویرایش", "עדכון", "תיקון", "अपडेट", "अद्यतन", "ενημέρωση", "διόρθωση",
	"【", "更新", "追記", "訂正", "修正", "编辑", "编者注", "編者注", "勘误", "勘誤"}

// shortWords is how long a text may be for its lead after its first
// sentence to be a search key too (see afterFirstSentence).
const shortWords = 3 * LeadWords

// afterFirstSentence returns how many words of block its first sentence
// is, when that sentence is shorter than a paragraph that leads and
// something follows it; else 0. An excerpt or a teaser (a text shorter
// than shortWords, which the whole text's keys seldom find) may open with
// a line its syndicator words for each post ("This article first appeared
// on …, republished with permission."), which no source's window can
// learn: its lead after that line is a search key too.
func afterFirstSentence(block string) int {
	end, _ := sentenceBounds(block)
	if end < 0 {
		return 0
	}
	var scratch [leadBlockWords]uint64
	if n := len(appendWords(scratch[:0], block[:end])); n < leadBlockWords {
		return n
	}
	return 0
}

// appendOpening appends to dst the words of the first LeadWords words of
// text, nothing left out.
func appendOpening(dst []uint64, text string) []uint64 {
	for line := range strings.SplitSeq(text, "\n") {
		if dst = appendWords(dst, line); len(dst) >= LeadWords {
			return dst[:LeadWords]
		}
	}
	return dst
}

// edgeAt is keys[i], or no keys when none were computed (nothing learned).
func edgeAt(keys []edgeKey, i int) edgeKey {
	if keys == nil {
		return edgeKey{}
	}
	return keys[i]
}

// trimSentences leaves out of b, an edge block kept, its first sentence
// when first is set and its last when last is, and returns what is left
// and how many it left out.
func trimSentences(b string, first, last bool) (string, int) {
	if !first && !last {
		return b, 0
	}
	firstEnd, lastStart := sentenceBounds(b)
	if firstEnd < 0 {
		return b, 0
	}
	cut := 0
	if last {
		b, cut = b[:lastStart], cut+1
	}
	if first && firstEnd < len(b) {
		b, cut = b[firstEnd:], cut+1
	}
	return strings.TrimSpace(b), cut
}
