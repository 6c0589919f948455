package dedup

import (
	"encoding/binary"
	"errors"
	"slices"
)

// Learning a source's boilerplate. A block that stands at the edges of
// several of a source's recent posts (its first or last EdgeBlocks blocks)
// is that source's header or footer, not part of any one post: it is left
// out of the text that identifies the source's entries. A source that adds
// nothing around its posts learns nothing.
const (
	// WindowPosts is how many of a source's most recent posts it learns from.
	WindowPosts = 50
	// MinSupport is in how many posts of the window a block must recur to be
	// boilerplate. Three keeps a coincidence between two posts (the same
	// closing sentence twice) from counting, and lets a syndicator's lines
	// be learned from the first fetch of a feed that lists a few posts.
	MinSupport = 3
)

// Boilerplate is the set of block keys a source repeats at the edges of its
// posts. The zero value is empty: nothing is left out.
type Boilerplate struct {
	keys []uint64 // sorted
}

// Has reports whether the block key k is boilerplate.
func (b Boilerplate) Has(k uint64) bool {
	_, found := slices.BinarySearch(b.keys, k)
	return found
}

// Len is the number of blocks learned.
func (b Boilerplate) Len() int { return len(b.keys) }

// Equal reports whether b and o hold the same blocks.
func (b Boilerplate) Equal(o Boilerplate) bool { return slices.Equal(b.keys, o.keys) }

// MarshalBinary encodes b for storage.
func (b Boilerplate) MarshalBinary() ([]byte, error) {
	out := make([]byte, 0, 8*len(b.keys))
	for _, k := range b.keys {
		out = binary.LittleEndian.AppendUint64(out, k)
	}
	return out, nil
}

// ParseBoilerplate decodes what MarshalBinary encoded.
func ParseBoilerplate(data []byte) (Boilerplate, error) {
	if len(data)%8 != 0 {
		return Boilerplate{}, errors.New("dedup: boilerplate: length not a multiple of 8")
	}
	keys := make([]uint64, len(data)/8)
	for i := range keys {
		keys[i] = binary.LittleEndian.Uint64(data[8*i:])
	}
	if !slices.IsSorted(keys) {
		return Boilerplate{}, errors.New("dedup: boilerplate: keys not sorted")
	}
	return Boilerplate{keys: keys}, nil
}

// Window holds the edge-block keys of a source's most recent posts, oldest
// first, at most WindowPosts of them.
type Window struct {
	posts []windowPost
}

type windowPost struct {
	id   uint64   // hash of the item's key within its source
	keys []uint64 // distinct keys of its edge blocks, sorted
}

// Add records the edge blocks of the post known in its source as itemKey,
// as its newest post; a post already in the window is replaced.
func (w *Window) Add(itemKey string, p Post) {
	id := hashASCIIBytes(itemKey)
	w.posts = slices.DeleteFunc(w.posts, func(wp windowPost) bool { return wp.id == id })
	w.posts = append(w.posts, windowPost{id: id, keys: EdgeKeys(p)})
	if extra := len(w.posts) - WindowPosts; extra > 0 {
		w.posts = slices.Delete(w.posts, 0, extra)
	}
}

// Has reports whether the post known in its source as itemKey is in the
// window.
func (w *Window) Has(itemKey string) bool {
	id := hashASCIIBytes(itemKey)
	return slices.ContainsFunc(w.posts, func(wp windowPost) bool { return wp.id == id })
}

// Listed is a post a refresh lists, for Update: read (Post is its text),
// or known unchanged since the window last recorded it.
type Listed struct {
	Key   string // the post's key in its source
	Post  Post
	Known bool
}

// Update records the posts of a refresh, oldest first, as Add would one
// by one, a known post with the edge blocks the window holds for it. The
// window is cut to WindowPosts once all are in, not after each: the same
// posts stay as when cut after each, and a known post is still there to
// be recorded whatever was added before it. Update reports whether every
// known post was in the window; one that was not is left out.
func (w *Window) Update(posts []Listed) (allKnown bool) {
	allKnown = true
	for _, p := range posts {
		id := hashASCIIBytes(p.Key)
		i := slices.IndexFunc(w.posts, func(wp windowPost) bool { return wp.id == id })
		wp := windowPost{id: id}
		switch {
		case !p.Known:
			wp.keys = EdgeKeys(p.Post)
		case i >= 0:
			wp.keys = w.posts[i].keys
		default:
			allKnown = false
			continue
		}
		if i >= 0 {
			w.posts = slices.Delete(w.posts, i, i+1)
		}
		w.posts = append(w.posts, wp)
	}
	if extra := len(w.posts) - WindowPosts; extra > 0 {
		w.posts = slices.Delete(w.posts, 0, extra)
	}
	return allKnown
}

// Len is the number of posts in the window.
func (w *Window) Len() int { return len(w.posts) }

// Learn returns the blocks that recur in at least MinSupport posts of the
// window, and the blocks of prev, what the source had learned before, that
// still occur in one. A block is learned at MinSupport posts but only
// forgotten when it has left the window altogether, so that a block hovering
// at the threshold does not re-key the source's entries on every poll.
func (w *Window) Learn(prev Boilerplate) Boilerplate {
	count := make(map[uint64]int)
	for _, p := range w.posts {
		for _, k := range p.keys {
			count[k]++
		}
	}
	var keys []uint64
	for k, n := range count {
		if n >= MinSupport || prev.Has(k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return Boilerplate{keys: keys}
}

// EdgeKeys returns the distinct keys of p's edge blocks and of their edge
// sentences (see edgeKey), sorted.
func EdgeKeys(p Post) []uint64 {
	blocks := splitBlocks(p.Text)
	all := edgeKeys(p, blocks)
	var keys []uint64
	for i, k := range all {
		if !isEdge(i, len(all)) {
			continue
		}
		keys = append(keys, k.block)
		for _, s := range [...]uint64{k.first, k.last} {
			if s != 0 {
				keys = append(keys, s)
			}
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// maxEdgeKeys is how many keys EdgeKeys returns at most: a block and two
// sentences at each edge block.
const maxEdgeKeys = 3 * 2 * EdgeBlocks

// windowVersion leads the encoding, so a later format can be told apart.
const windowVersion = 1

// MarshalBinary encodes w for storage.
func (w *Window) MarshalBinary() ([]byte, error) {
	out := []byte{windowVersion}
	out = binary.AppendUvarint(out, uint64(len(w.posts)))
	for _, p := range w.posts {
		out = binary.LittleEndian.AppendUint64(out, p.id)
		out = binary.AppendUvarint(out, uint64(len(p.keys)))
		for _, k := range p.keys {
			out = binary.LittleEndian.AppendUint64(out, k)
		}
	}
	return out, nil
}

var errWindow = errors.New("dedup: window: malformed")

// ParseWindow decodes what MarshalBinary encoded; empty data is an empty
// window.
func ParseWindow(data []byte) (*Window, error) {
	w := &Window{}
	if len(data) == 0 {
		return w, nil
	}
	if data[0] != windowVersion {
		return nil, errWindow
	}
	r := reader{b: data[1:]}
	n := r.uvarint(WindowPosts)
	w.posts = make([]windowPost, 0, n)
	for range n {
		p := windowPost{id: r.uint64()}
		keys := r.uvarint(maxEdgeKeys)
		p.keys = make([]uint64, 0, keys)
		for range keys {
			p.keys = append(p.keys, r.uint64())
		}
		w.posts = append(w.posts, p)
	}
	if r.err || len(r.b) != 0 {
		return nil, errWindow
	}
	return w, nil
}

// reader decodes the window encoding, remembering the first error.
type reader struct {
	b   []byte
	err bool
}

func (r *reader) uvarint(limit uint64) uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 || v > limit {
		r.err = true
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) uint64() uint64 {
	if len(r.b) < 8 {
		r.err = true
		return 0
	}
	v := binary.LittleEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v
}

// hashASCIIBytes hashes s byte for byte (FNV-1a), for ids that are not words.
func hashASCIIBytes(s string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}
