package store

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// A cross-post is found against entries stored before the store was opened:
// the search-key filter is filled from the index, not only from what this
// process wrote.
func TestCrossPostFoundAfterReopen(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "village.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	srcs := sources(t, s, 2)
	body := []string{words("alpha", 120), words("beta", 80)}
	save(t, s, srcs[0].ID, refresh(t0, textPost("orig", "Scheduling in depth", t0, body...)))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if s, err = Open(context.Background(), path); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	<-s.keys.filled
	if !s.keys.filter.ready.Load() {
		t.Fatal("search-key filter not filled")
	}
	copy := syndicated("copy", "Scheduling In Depth", t0.Add(30*time.Hour), body...)
	if got := save(t, s, srcs[1].ID, refresh(t0.Add(48*time.Hour), copy)); got != (Result{Duplicates: 1}) {
		t.Fatalf("copy = %+v, want 1 duplicate", got)
	}
}

func TestBandFilter(t *testing.T) {
	t.Parallel()
	f := newBandFilter(0)
	if !f.mayHave(42) {
		t.Error("a filter not yet filled ruled a key out")
	}
	f.ready.Store(true)
	keys := make([]int64, 20000)
	for i := range keys {
		keys[i] = int64(splitmix(uint64(i)))
		f.add(keys[i])
	}
	for _, k := range keys {
		if !f.mayHave(k) {
			t.Fatalf("key %d added, then ruled out", k)
		}
	}
	falsePositives := 0
	for i := range 100000 {
		if f.mayHave(int64(splitmix(uint64(i) + 1<<40))) {
			falsePositives++
		}
	}
	// 20,000 keys in 2^24 bits with 3 probes: about 1 in 50,000 expected.
	if falsePositives > 50 {
		t.Errorf("%d of 100000 keys never added may be there; the filter rules out almost none", falsePositives)
	}
	if got := f.present([]int64{keys[0], int64(splitmix(1 << 41)), keys[1]}); !reflect.DeepEqual(got, []int64{keys[0], keys[1]}) {
		t.Errorf("present = %v, want the two added keys", got)
	}
}

// splitmix spreads i over 64 bits, as search keys (hashes) are spread.
func splitmix(i uint64) uint64 {
	z := i + 0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}
