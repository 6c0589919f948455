package publish

import (
	"crypto/sha1"
	"encoding/hex"
	"net/url"
	"strconv"
	"strings"

	"github.com/villagefeeds/village/internal/model"
)

// EntryID returns the stable atom:id of e: e.PublicID when the store fixed
// one (an entry keeps its first id even when another copy takes it over),
// else e.GUID when it is an absolute IRI
// (it has a scheme: https:, tag:, urn:, ...), else e.CanonicalURL, else a
// name-based (version 5) UUID URN derived from the source URL and the GUID,
// the link or, as a last resort, the store's row id. It never invents a
// random id: readers use atom:id to tell new posts from seen ones, so it must
// survive re-renders and restarts.
func EntryID(e model.Entry, src model.Source) string {
	if e.PublicID != "" {
		return e.PublicID
	}
	if isAbsIRI(e.GUID) {
		return e.GUID
	}
	if e.CanonicalURL != "" {
		return e.CanonicalURL
	}
	var key string
	switch {
	case e.GUID != "":
		key = "guid:" + e.GUID
	case e.Link != "":
		key = "link:" + e.Link
	default:
		key = "entry:" + strconv.FormatInt(e.ID, 10)
	}
	return uuidURN(src.URL + "\n" + key)
}

// SourceName returns the name to show for src: src.Name, else src.FeedTitle,
// else the feed URL's host (else the feed URL itself).
func SourceName(src model.Source) string {
	if n := strings.TrimSpace(src.Name); n != "" {
		return n
	}
	if n := strings.TrimSpace(src.FeedTitle); n != "" {
		return n
	}
	if u, err := url.Parse(src.URL); err == nil && u.Host != "" {
		return u.Host
	}
	return src.URL
}

// isAbsIRI reports whether s has a URI scheme (RFC 3986 section 3.1) followed
// by something, and no character that an IRI cannot hold.
func isAbsIRI(s string) bool {
	colon := strings.IndexByte(s, ':')
	if colon < 1 || colon == len(s)-1 || !isAlpha(s[0]) {
		return false
	}
	for i := 1; i < colon; i++ {
		c := s[i]
		if !isAlpha(c) && !('0' <= c && c <= '9') && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	for i := colon + 1; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c == 0x7f || strings.IndexByte(`<>"{}|\^`+"`", c) >= 0 {
			return false
		}
	}
	return true
}

func isAlpha(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// nsURL is the RFC 9562 namespace ID for URLs.
var nsURL = [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}

// uuidURN returns "urn:uuid:" and the version 5 UUID of name in the URL
// namespace (RFC 9562 section 5.5).
func uuidURN(name string) string {
	h := sha1.New()
	h.Write(nsURL[:])
	h.Write([]byte(name))
	var sum [sha1.Size]byte
	h.Sum(sum[:0])
	sum[6] = sum[6]&0x0f | 0x50
	sum[8] = sum[8]&0x3f | 0x80

	var b [36]byte
	hex.Encode(b[0:8], sum[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], sum[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], sum[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], sum[8:10])
	b[23] = '-'
	hex.Encode(b[24:36], sum[10:16])
	return "urn:uuid:" + string(b[:])
}
