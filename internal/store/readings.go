package store

import (
	"hash/maphash"
	"sync"

	"github.com/villagefeeds/village/internal/dedup"
)

// readings keeps the last candidates' texts as de-duplication read them
// (dedup.AnalyzeAgainst) when neither source has learned boilerplate, the
// case where a reading depends on nothing but the candidate's title and
// text. A post that shares lines with many others (a code listing, a
// licence) is a near-duplicate candidate of each of them, and was read
// again for every one: on the farm's cold ingest, seven readings in eight
// were of an entry read before.
//
// A reading is found by entry id and used only when the entry's title and
// text still hash the same, so an entry updated since is read again. Two
// generations of at most readingsSize readings each bound the memory.
type readings struct {
	mu        sync.Mutex
	seed      maphash.Seed
	cur, prev map[int64]reading
}

type reading struct {
	sum uint64
	doc dedup.Doc
}

// readingsSize is how many readings a generation holds: a reading of a
// long post is its thousand-odd shingles, 8 KiB.
const readingsSize = 256

func newReadings() *readings {
	return &readings{seed: maphash.MakeSeed(), cur: map[int64]reading{}}
}

// read returns AnalyzeAgainst's reading of entry id, for an item when
// neither source has boilerplate. title and version (the entry's
// fingerprint, which changes with what its source sent) tell whether a
// kept reading is still the entry's; post gives the entry's post when it
// must be read.
func (r *readings) read(id int64, title string, version []byte, post func() dedup.Post) dedup.Doc {
	var h maphash.Hash
	h.SetSeed(r.seed)
	h.WriteString(title)
	h.WriteByte(0)
	h.Write(version)
	sum := h.Sum64()

	r.mu.Lock()
	got, ok := r.cur[id]
	if !ok {
		got, ok = r.prev[id]
	}
	r.mu.Unlock()
	if ok && got.sum == sum {
		r.keep(id, got)
		return got.doc
	}
	got = reading{sum, dedup.AnalyzeAgainst(post(), dedup.Boilerplate{}, dedup.Post{}, dedup.Boilerplate{})}
	r.keep(id, got)
	return got.doc
}

// keep files a reading in the current generation, starting a new one when
// it is full.
func (r *readings) keep(id int64, got reading) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.cur[id]; !ok && len(r.cur) >= readingsSize {
		r.prev, r.cur = r.cur, make(map[int64]reading, readingsSize)
	}
	r.cur[id] = got
}
