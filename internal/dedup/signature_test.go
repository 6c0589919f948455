package dedup

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortHashes holds sortHashes to slices.Sort: on even hashes of every
// size around its thresholds, and on hashes made to crowd one bucket.
func TestSortHashes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	sets := map[string][]uint64{}
	for _, n := range []int{0, 1, 2, minBucketSort - 1, minBucketSort, minBucketSort + 1, 1000, 4096, 70000} {
		hs := make([]uint64, n)
		for i := range hs {
			hs[i] = rng.Uint64()
		}
		sets[fmt.Sprint("even/", n)] = hs
	}
	twice := make([]uint64, 1000)
	for i := range twice {
		twice[i] = sets["even/1000"][i%500]
	}
	sets["even, each twice"] = twice
	crowded := make([]uint64, 1000)
	for i := range crowded {
		crowded[i] = rng.Uint64() >> 20 // all in the first bucket
	}
	sets["crowded"] = crowded
	repeats := make([]uint64, 1000)
	for i := range repeats {
		repeats[i] = uint64(i%7) << 61
	}
	sets["repeats"] = repeats
	for name, hs := range sets {
		want := slices.Clone(hs)
		slices.Sort(want)
		got := slices.Clone(hs)
		sortHashes(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: sortHashes differs from slices.Sort", name)
		}
	}
}
