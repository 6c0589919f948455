package farm

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// doc is one version of a feed as served: its bytes, compressed once when
// made rather than per request, and its validators. A doc never changes;
// Change replaces it.
type doc struct {
	body, gz []byte
	etag     string
	modified time.Time // newest date in the feed, the Last-Modified
	lastMod  string    // modified as an HTTP date
	marks    []int     // offset of each entry in body, newest first, then of the footer
	next     int       // seq of the post Change adds next
}

// feed is one blog and the version of it being served.
type feed struct {
	*blog
	cur atomic.Pointer[doc]
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// worker holds one goroutine's scratch buffers and compressor, reused from
// feed to feed.
type worker struct {
	pcg  *rand.PCG
	gen  htmlGen
	ents []byte
	head []byte
	gz   bytes.Buffer
	zw   *gzip.Writer
}

func newWorker() *worker {
	pcg := rand.NewPCG(0, 0)
	// BestSpeed is what nginx uses by default (gzip_comp_level 1).
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return &worker{pcg: pcg, gen: htmlGen{rng: rand.New(pcg)}, zw: zw}
}

// parallel calls fn for 0..n-1 on GOMAXPROCS goroutines, each with its own
// worker.
func parallel(n int, fn func(w *worker, i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			w := newWorker()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				fn(w, i)
			}
		})
	}
	wg.Wait()
}

// post generates post seq of b into the worker's HTML buffer.
func (w *worker) post(b *blog, seq, entries int) post {
	w.gen.b, w.gen.site = w.gen.b[:0], b.site
	return b.post(&w.gen, w.pcg, seq, entries)
}

// first builds the first version of b: posts 0..entries-1, newest first.
func (w *worker) first(b *blog, entries int) *doc {
	w.ents = w.ents[:0]
	marks := make([]int, 0, entries+1)
	var updated time.Time
	for seq := entries - 1; seq >= 0; seq-- {
		marks = append(marks, len(w.ents))
		p := w.post(b, seq, entries)
		w.ents = b.appendEntry(w.ents, &p, w.gen.b)
		updated = later(updated, p.updated)
	}
	marks = append(marks, len(w.ents))
	return w.finish(b, marks, updated, entries)
}

// next builds the version after d: a new post on top, and the oldest one
// dropped, as a blog's feed keeps its last few posts.
func (w *worker) next(b *blog, d *doc, entries int) *doc {
	p := w.post(b, d.next, entries)
	w.ents = b.appendEntry(w.ents[:0], &p, w.gen.b)
	n := len(w.ents)
	marks := make([]int, 0, entries+1)
	marks = append(marks, 0)
	for _, m := range d.marks[:entries] {
		marks = append(marks, n+m-d.marks[0])
	}
	w.ents = append(w.ents, d.body[d.marks[0]:d.marks[entries-1]]...)
	return w.finish(b, marks, later(d.modified, p.updated), d.next+1)
}

// finish wraps the entries in w.ents, whose offsets are marks, with the
// header and footer, and compresses the result.
func (w *worker) finish(b *blog, marks []int, updated time.Time, next int) *doc {
	w.head = b.appendHeader(w.head[:0], updated)
	body := make([]byte, 0, len(w.head)+len(w.ents)+32)
	body = append(append(body, w.head...), w.ents...)
	body = b.appendFooter(body)
	for i := range marks {
		marks[i] += len(w.head)
	}
	w.gz.Reset()
	w.zw.Reset(&w.gz)
	w.zw.Write(body)
	w.zw.Close()
	return &doc{
		body:     body,
		gz:       bytes.Clone(w.gz.Bytes()),
		etag:     fmt.Sprintf(`"%08x-%x"`, crc32.Checksum(body, castagnoli), len(body)),
		modified: updated,
		lastMod:  updated.UTC().Format(http.TimeFormat),
		marks:    marks,
		next:     next,
	}
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
