package dedup

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"
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

// TestSearchKeySchemeIsPinned fails when a change makes other search keys
// for the same text (bands, rows, seeds, shingle widths, the leads): keys
// of two schemes never meet, so every entry an older village keyed would
// go unfound as the original of a new copy. Such a change must come with a
// store migration that has serve read every entry again (as
// 017_rekey_leads_and_sentences.sql does); then update the figures here.
func TestSearchKeySchemeIsPinned(t *testing.T) {
	var text []string
	for i := range 3 {
		var words []string
		for j := range 30 {
			words = append(words, fmt.Sprintf("w%d", (i*31+j*7)%97))
		}
		text = append(text, strings.Join(words, " "))
	}
	pinKeys(t, strings.Join(text, "\n"), 24, 0xdead83d1ea3932f0)
	// Japanese is read as pairs of characters (see appendUnicodeWords).
	pinKeys(t, readProse(t, "sidecar.ja.txt"), 24, 0x8566345c07633727)
	// Words are spelled without accents (see spelling.go).
	pinKeys(t, spelledText, 23, 0xa5424cb7e55e7645)
	// Persian's affixes join their word (see affixes.go).
	pinKeys(t, persianText, 22, 0x2bc670b1b6075ed2)
}

// persianText writes Persian's affixes with the non-joiner, without it
// and with a space.
const persianText = "ما می‌خواهیم کتاب‌های درسی را برای خوانندگان نابینا آماده کنیم. " +
	"این کار بزرگترین پروژه ما در سال گذشته بود و هنوز تمام نشده است. " +
	"داوطلبان ما هر هفته کتاب ها را می خوانند، متن را یکسان سازی می کنند و نسخه‌ای تازه منتشر می‌کنند. " +
	"به زودی فهرست کتابهای آماده را در وبلاگ می‌گذاریم تا همه بتوانند از آنها استفاده کنند."

// spelledText has accents, soft hyphens and the pairs of letters that
// spelling.go reads alike.
const spelledText = "Die Umstiegs\u00adzeit ist die wichtigste Zahl einer Fahrplan\u00adauskunft, " +
	"die niemand sieht. Für Version 2.5 prüft Perron, ob die Wege zwischen den Bahnsteigen " +
	"zur angegebenen Zeit passen. Le café de la gare ouvre à six heures ; l’équipe y prépare " +
	"la réunion. The true value of a queue is that it does not lose an issue when the toe " +
	"of the process stubs itself. ¿Cómo validamos los horarios del año pasado? Ærø, Øresund, œuvre."

// pinKeys fails unless the search keys of text are the pinned ones.
func pinKeys(t *testing.T, text string, keys int, want uint64) {
	t.Helper()
	d := Analyze(Post{Title: "Pinned", Text: text}, Boilerplate{})
	h := fnv.New64a()
	for _, k := range d.Bands {
		binary.Write(h, binary.LittleEndian, k) //nolint:errcheck // a hash does not fail
	}
	if got := h.Sum64(); got != want || len(d.Bands) != keys {
		t.Errorf("the search keys of a fixed text changed: %d keys, digest %#x (pinned: %d, %#x)", len(d.Bands), got, keys, want)
	}
}
