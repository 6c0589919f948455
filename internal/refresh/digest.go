package refresh

import (
	"crypto/sha256"
	"hash"
	"os"
	"runtime/debug"
	"strconv"
	"sync"

	"github.com/villagefeeds/village/internal/fetch"
	"github.com/villagefeeds/village/internal/model"
)

// Many servers ignore conditional GET and send the same feed, byte for
// byte, poll after poll. Reading it again costs what reading it the first
// time did (parse, sanitise and de-duplicate every item) and finds nothing,
// so a source keeps the digest of the body its last refresh stored, and a
// body of the same digest is taken as unchanged, as NetNewsWire does.
//
// The digest covers, besides the bytes, what decides how they are read, so
// that a change of any of it reads them again: the build of village, the
// URL they came from (relative links resolve against it), their declared
// Content-Type and Content-Encoding, the source's filter and canonical
// mark, and the de-duplication settings. The store clears it where a
// source's entries change hands (see store.SyncSources).

// bodyDigest is the digest of resp's body as read for src. It hashes the
// bytes as they came over the wire, so that an unchanged gzipped feed is
// not even inflated; a server that compresses the same feed differently
// each time only costs a full read.
func (r *Refresher) bodyDigest(src model.Source, resp *fetch.Response) []byte {
	h := sha256.New()
	r.writeReading(h, src, resp)
	h.Write(resp.WireBody())
	return h.Sum(nil)[:16]
}

// writeReading writes to h what decides how src's body resp is read.
func (r *Refresher) writeReading(h hash.Hash, src model.Source, resp *fetch.Response) {
	for _, part := range []string{
		buildID(), resp.URL, resp.ContentType, resp.ContentEncoding(),
		r.filters[src.URL].String(), strconv.FormatBool(src.Canonical),
		strconv.FormatBool(r.dedup.Off), r.dedup.WindowOrDefault().String(),
	} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
}

// The items of a feed that changed are known the same way, one by one: an
// item's digest (model.Entry.ItemDigest) is the parser's digest of what
// the feed wrote for it (see parse's known.go) with what decides how it is
// read, the same as the body's. A source whose body digest was cleared (a
// fresh start: see store.SyncSources) has every item read again.

// itemDigests turns the parser's item digests into the source's.
type itemDigests struct{ reading []byte }

func (r *Refresher) itemDigests(src model.Source, resp *fetch.Response) itemDigests {
	h := sha256.New()
	r.writeReading(h, src, resp)
	return itemDigests{reading: h.Sum(nil)}
}

// of returns the item digest of the parser's digest d.
func (d itemDigests) of(parsed []byte) []byte {
	h := sha256.New()
	h.Write(d.reading)
	h.Write(parsed)
	return h.Sum(nil)[:16]
}

// buildID names the build of village that reads the feeds: its version
// and commit, and for a build of a modified tree (a developer's), which
// says no more than its commit, the time of its executable.
var buildID = sync.OnceValue(func() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	id, modified := bi.Main.Version, false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			id += " " + s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if exe, err := os.Executable(); modified && err == nil {
		if fi, err := os.Stat(exe); err == nil {
			id += " " + fi.ModTime().String()
		}
	}
	return id
})
