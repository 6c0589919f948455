package store

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/villagefeeds/village/internal/model"
)

// Times are stored as unix nanoseconds so that they sort as integers and
// read back Equal to what was written. 0 stands for the zero time; a date
// outside what int64 nanoseconds can hold (before 1678, after 2262) is
// clamped to the nearest one rather than wrapping around.
var (
	minTime = time.Unix(0, math.MinInt64+1)
	maxTime = time.Unix(0, math.MaxInt64)
)

func toNanos(t time.Time) int64 {
	switch {
	case t.IsZero():
		return 0
	case t.Before(minTime):
		return minTime.UnixNano()
	case t.After(maxTime):
		return maxTime.UnixNano()
	}
	return t.UnixNano()
}

// fromNanos reads toNanos back in UTC; the Unix epoch itself reads back as
// the zero time, a price paid for "0 means never" in the schema.
func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// encodeList stores tags and categories as a JSON array ("[]" for none),
// which SQLite's json_each can search.
func encodeList(l []string) string {
	if len(l) == 0 {
		return "[]"
	}
	return mustJSON(l)
}

func decodeList(s string) ([]string, error) {
	if s == "" || s == "[]" {
		return nil, nil
	}
	var l []string
	if err := json.Unmarshal([]byte(s), &l); err != nil {
		return nil, fmt.Errorf("decode list %.40q: %w", s, err)
	}
	return l, nil
}

// fingerprint digests what a source sent for one item: the visible fields
// and its dates as sent, before any fallback. Two polls that got the same
// item get the same fingerprint, so "unchanged" costs no content read-back.
// The GUID is left out: it is the item's identity, not its content.
// scratch is reused between calls to spare an allocation per entry.
func fingerprint(scratch *[]byte, e *model.Entry) []byte {
	b := (*scratch)[:0]
	field := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	field(e.Link)
	field(e.Title)
	field(e.Author)
	field(e.Summary)
	field(e.Content)
	b = binary.AppendUvarint(b, uint64(len(e.Categories)))
	for _, c := range e.Categories {
		field(c)
	}
	b = binary.AppendVarint(b, toNanos(e.Published))
	b = binary.AppendVarint(b, toNanos(e.Updated))
	// What fingerprints left out before authors' addresses, enclosures
	// and origins were kept counts only when present, so an upgrade does
	// not find every stored entry changed. The language is left out: it
	// is not worth an update.
	if x := encodeExtras(e); x.addresses || x.enclosures != "[]" || x.origin != "" {
		b = append(b, 0xFF)
		if x.addresses {
			field(x.authors)
		}
		field(x.enclosures)
		field(x.origin)
	}
	*scratch = b
	sum := sha256.Sum256(b)
	return sum[:16]
}

// extras are an entry's authors, enclosures and origin as stored: JSON.
type extras struct {
	authors, enclosures, origin string
	addresses                   bool // an author has a URI or e-mail address
}

func encodeExtras(e *model.Entry) extras {
	x := extras{authors: "[]", enclosures: "[]"}
	if len(e.Authors) > 0 {
		x.authors = mustJSON(e.Authors)
		for _, p := range e.Authors {
			x.addresses = x.addresses || p.URI != "" || p.Email != ""
		}
	}
	if len(e.Enclosures) > 0 {
		x.enclosures = mustJSON(e.Enclosures)
	}
	if e.Origin != nil {
		x.origin = mustJSON(e.Origin)
	}
	return x
}

// decodeExtras reads back what encodeExtras wrote into e.
func decodeExtras(e *model.Entry, authors, enclosures, origin string) error {
	if authors != "" && authors != "[]" {
		if err := json.Unmarshal([]byte(authors), &e.Authors); err != nil {
			return fmt.Errorf("decode authors of entry %d: %w", e.ID, err)
		}
	}
	if enclosures != "" && enclosures != "[]" {
		if err := json.Unmarshal([]byte(enclosures), &e.Enclosures); err != nil {
			return fmt.Errorf("decode enclosures of entry %d: %w", e.ID, err)
		}
	}
	if origin != "" {
		e.Origin = new(model.Origin)
		if err := json.Unmarshal([]byte(origin), e.Origin); err != nil {
			return fmt.Errorf("decode origin of entry %d: %w", e.ID, err)
		}
	}
	return nil
}

// mustJSON marshals plain values, which cannot fail.
func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
