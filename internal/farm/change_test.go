package farm

import (
	"net/http"
	"slices"
	"testing"
)

func etags(t *testing.T, f *Farm) []string {
	t.Helper()
	var out []string
	for _, u := range f.URLs() {
		out = append(out, get(t, u).Header.Get("ETag"))
	}
	return out
}

func TestChange(t *testing.T) {
	tests := []struct {
		fraction float64
		want     int
	}{
		{0.25, 5},
		{0.1, 2},
		{0, 0},
		{-1, 0},
		{1, 20},
		{3, 20},
	}
	for _, tt := range tests {
		f := start(t, Options{Feeds: 20, Entries: 3, Hosts: 2})
		before := etags(t, f)
		urls := f.Change(tt.fraction)
		if len(urls) != tt.want {
			t.Errorf("Change(%v) changed %d feeds, want %d", tt.fraction, len(urls), tt.want)
		}
		f.ResetStats()
		var changed []string
		for i, u := range f.URLs() {
			resp := get(t, u, "If-None-Match", before[i])
			if resp.StatusCode == http.StatusOK {
				changed = append(changed, u)
			}
		}
		if !slices.Equal(changed, urls) {
			t.Errorf("Change(%v) = %q, but these feeds answer 200 to their old ETag: %q", tt.fraction, urls, changed)
		}
		if ok, nm := f.Stats(); ok != tt.want || nm != 20-tt.want {
			t.Errorf("Change(%v): Stats() = %d, %d; want %d, %d", tt.fraction, ok, nm, tt.want, 20-tt.want)
		}
	}
}

// TestChangeShiftsEntries checks that each Change puts a new entry on top,
// drops the oldest and keeps the document whole.
func TestChangeShiftsEntries(t *testing.T) {
	const entries = 4
	f := start(t, Options{Feeds: 6, Entries: entries, Hosts: 1})
	var before [][]string
	for _, u := range f.URLs() {
		p, _ := readFeed(t, u)
		ids, _ := p.ids()
		before = append(before, ids)
	}
	for range 3 {
		f.Change(1)
	}
	for i, u := range f.URLs() {
		p, _ := readFeed(t, u)
		ids, html := p.ids()
		if len(ids) != entries {
			t.Fatalf("%s: %d entries after Change, want %d", u, len(ids), entries)
		}
		if !slices.Equal(ids[3:], before[i][:1]) {
			t.Errorf("%s: ids %q, want the old newest %q last", u, ids, before[i][0])
		}
		for _, id := range ids[:3] {
			if slices.Contains(before[i], id) {
				t.Errorf("%s: new entry id %q was there before", u, id)
			}
		}
		for j, h := range html {
			if len(h) < minBody {
				t.Errorf("%s: entry %d has %d bytes of HTML", u, j, len(h))
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	entriesOf := func(seed uint64) [][]byte {
		f := start(t, Options{Feeds: 5, Entries: 3, Hosts: 1, Seed: seed})
		f.Change(0.4)
		var out [][]byte
		for _, fd := range f.feeds {
			d := fd.cur.Load()
			// The header names the farm's port; the entries do not.
			out = append(out, d.body[d.marks[0]:])
		}
		return out
	}
	a, b, c := entriesOf(7), entriesOf(7), entriesOf(8)
	if !slices.EqualFunc(a, b, slices.Equal) {
		t.Error("two farms with the same seed differ")
	}
	if slices.EqualFunc(a, c, slices.Equal) {
		t.Error("two farms with different seeds are the same")
	}
}

func TestPostSizes(t *testing.T) {
	w := newWorker()
	for i := range 50 {
		b := newBlog(1, i, "http://127.0.0.1:1")
		for seq := range 40 {
			w.post(b, seq, 30)
			if n := len(w.gen.b); n < minBody || n > maxBody {
				t.Errorf("blog %d post %d: %d bytes of HTML, want %d..%d", i, seq, n, minBody, maxBody)
			}
		}
	}
}
