package parse

import (
	"encoding/binary"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/villagefeeds/village/internal/model"
)

// A feed that changed lists mostly items it listed before, as it wrote
// them before: a blog with thirty posts in its feed publishes one. Reading
// an item's HTML (sanitising it, resolving its URLs, collecting its text)
// is most of what parsing it costs, and for an item the store already
// holds, as the feed writes it now, it finds nothing new. So every item
// gets a digest of what the feed wrote for it, before its HTML is read,
// and the caller says which items it stored with that digest.

// Known reports whether the source's item key is stored as read from an
// item of this digest.
type Known func(key string, digest []byte) bool

// DigestSize is the length of Item.Digest. A digest is only ever compared
// with the one stored for the same item key, so 64 bits leave a chance
// in 2^64 that an edit goes unseen; xxhash reads the item's strings
// without copying them, which a cryptographic hash in Go does not.
const DigestSize = 8

// digest identifies e as the feed wrote it: every field shell and fill
// read, with the URL and feed-level defaults they were read against.
func (e *entry) digest() []byte {
	d := digester{h: xxhash.New()}
	d.str(urlString(e.base))
	d.people(e.def.authors)
	d.str(e.def.lang)
	d.str(e.guid)
	d.str(e.link)
	d.str(e.title)
	d.str(e.titleKind)
	d.people(e.authors)
	d.str(e.content)
	d.str(urlString(e.contentBase))
	d.str(e.summary)
	d.str(urlString(e.summaryBase))
	d.int(int64(len(e.categories)))
	for _, c := range e.categories {
		d.str(c)
	}
	d.int(int64(len(e.enclosures)))
	for _, x := range e.enclosures {
		d.str(x.URL)
		d.str(x.Type)
		d.int(x.Length)
		d.str(x.Title)
	}
	d.str(e.lang)
	d.origin(e.origin)
	d.time(e.published)
	d.time(e.updated)
	return d.h.Sum(nil)
}

// digester writes values to a hash, each one delimited, so that no two
// sequences of values write the same bytes.
type digester struct {
	h   *xxhash.Digest
	buf [binary.MaxVarintLen64]byte
}

func (d *digester) int(n int64) {
	d.h.Write(binary.AppendVarint(d.buf[:0], n))
}

func (d *digester) str(s string) {
	d.int(int64(len(s)))
	d.h.WriteString(s)
}

func (d *digester) time(t time.Time) {
	if t.IsZero() {
		d.int(0)
		return
	}
	d.int(1)
	d.int(t.Unix())
	d.int(int64(t.Nanosecond()))
	_, offset := t.Zone()
	d.int(int64(offset))
}

func (d *digester) people(ps []model.Person) {
	d.int(int64(len(ps)))
	for _, p := range ps {
		d.str(p.Name)
		d.str(p.URI)
		d.str(p.Email)
	}
}

func (d *digester) origin(o *model.Origin) {
	if o == nil {
		d.int(0)
		return
	}
	d.int(1)
	d.str(o.ID)
	d.str(o.Title)
	d.str(o.Link)
	d.str(o.Self)
	d.time(o.Updated)
}
