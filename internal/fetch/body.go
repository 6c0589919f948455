package fetch

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"net/http"
	"strings"
	"sync"
)

// A fetched feed waits, between its fetch and its parse, for a work slot;
// on a cold start hundreds wait at once. It waits as the server sent it:
// a gzipped feed is about a quarter of its inflated size, so the bodies
// waiting cost a quarter of the memory. Body inflates it when the parser
// is ready for it.

// acceptEncoding asks for gzip ourselves, which turns off the transport's
// transparent inflating: Body does it, later.
const acceptEncoding = "gzip"

// isGzip reports whether an answer's body is gzipped.
func isGzip(h http.Header) bool {
	switch strings.ToLower(strings.TrimSpace(h.Get("Content-Encoding"))) {
	case "gzip", "x-gzip":
		return true
	}
	return false
}

// Body returns the feed's bytes, inflated when the server gzipped them,
// and fails with a *TooLargeError (matching ErrTooLarge) when they inflate
// past Options.MaxBodyBytes. It inflates again on every call. A body
// labelled gzip that is not (a misconfigured server) is returned as it
// came, as browsers and feed readers read it.
func (r *Response) Body() ([]byte, error) {
	if !r.gzipped || !hasGzipMagic(r.body) {
		return r.body, nil
	}
	zr := gzipReaders.Get().(*gzip.Reader)
	defer gzipReaders.Put(zr)
	if err := zr.Reset(bytes.NewReader(r.body)); err != nil {
		return nil, &Error{URL: r.URL, Err: fmt.Errorf("inflate body: %w", err)}
	}
	body, err := readCapped(zr, r.limit, inflatedSizeHint(r.body))
	if err != nil {
		return nil, &Error{URL: r.URL, Err: fmt.Errorf("inflate body: %w", err)}
	}
	return body, nil
}

// WireBody is the body as it came over the network: gzipped when
// ContentEncoding says so. It must not be modified.
func (r *Response) WireBody() []byte { return r.body }

// WireSize is the body's size as it came over the network.
func (r *Response) WireSize() int { return len(r.body) }

// ContentEncoding is "gzip" when the body came gzipped, else "".
func (r *Response) ContentEncoding() string {
	if r.gzipped {
		return "gzip"
	}
	return ""
}

var gzipReaders = sync.Pool{New: func() any { return new(gzip.Reader) }}

func hasGzipMagic(b []byte) bool { return len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b }

// inflatedSizeHint reads a gzip stream's trailer, which holds its last
// member's inflated size modulo 2^32: right for every feed, so the buffer
// is allocated once. A wrong hint (several members, a liar) only costs a
// regrowth; the cap is enforced on what is read, not on the hint.
func inflatedSizeHint(b []byte) int64 {
	if len(b) < 18 {
		return 0
	}
	return int64(binary.LittleEndian.Uint32(b[len(b)-4:]))
}
