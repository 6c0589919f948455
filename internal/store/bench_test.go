package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/model"
)

const benchSources, benchEntries = 1000, 30

// benchRefreshes builds one refresh per source with 1-8 KB bodies, cut at
// varying offsets from one text so that building them costs little memory.
func benchRefreshes() []Refresh {
	var text strings.Builder
	for i := 0; text.Len() < 24<<10; i++ {
		fmt.Fprintf(&text, "<p>word%d lorem ipsum dolor sit amet, village %d.</p>\n", i, i*31)
	}
	body := text.String()
	rs := make([]Refresh, benchSources)
	for i := range rs {
		r := refresh(t0)
		for j := range benchEntries {
			n := i*benchEntries + j
			size := 1<<10 + (n*7919)%(7<<10)
			off := (n * 104729) % (len(body) - size)
			e := post(fmt.Sprintf("tag:s%d.example,2025:%d", i, j), fmt.Sprintf("https://s%d.example/posts/%d", i, j),
				fmt.Sprintf("%032x", n), t0.Add(-time.Duration(n)*time.Minute))
			e.Content = body[off : off+size]
			e.Summary = body[off : off+200]
			r.Entries = append(r.Entries, e)
		}
		rs[i] = r
	}
	return rs
}

func benchStore(b *testing.B) (*Store, []int64) {
	b.Helper()
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	in := make([]model.Source, benchSources)
	for i := range in {
		in[i] = model.Source{Name: fmt.Sprint("s", i), URL: fmt.Sprintf("https://s%d.example/feed", i)}
	}
	srcs, err := s.SyncSources(context.Background(), in)
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]int64, len(srcs))
	for i, src := range srcs {
		ids[i] = src.ID
	}
	return s, ids
}

// saveAll saves rs[i] for ids[i] from the given number of goroutines, as the
// daemon's workers would, and checks what was counted.
func saveAll(b *testing.B, s *Store, ids []int64, rs []Refresh, workers int, want Result) {
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var total Result
	for range workers {
		wg.Go(func() {
			for i := range next {
				res, err := s.SaveRefresh(context.Background(), ids[i], rs[i])
				if err != nil {
					b.Error(err)
				}
				mu.Lock()
				total.New += res.New
				total.Unchanged += res.Unchanged
				mu.Unlock()
			}
		})
	}
	for i := range ids {
		next <- i
	}
	close(next)
	wg.Wait()
	if total != want {
		b.Fatalf("saved %+v, want %+v", total, want)
	}
}

// BenchmarkSaveRefresh measures a cold ingest of 1,000 sources x 30 entries
// into a new database, and a re-poll where every entry is unchanged.
func BenchmarkSaveRefresh(b *testing.B) {
	rs := benchRefreshes()
	all := benchSources * benchEntries
	for _, workers := range []int{1, 8} {
		b.Run(fmt.Sprintf("cold/workers=%d", workers), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				s, ids := benchStore(b)
				b.StartTimer()
				saveAll(b, s, ids, rs, workers, Result{New: all})
				b.StopTimer()
				s.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(all*b.N)/b.Elapsed().Seconds(), "entries/s")
		})
	}
	b.Run("unchanged/workers=8", func(b *testing.B) {
		s, ids := benchStore(b)
		defer s.Close()
		saveAll(b, s, ids, rs, 8, Result{New: all})
		for b.Loop() {
			saveAll(b, s, ids, rs, 8, Result{Unchanged: all})
		}
		b.ReportMetric(float64(all*b.N)/b.Elapsed().Seconds(), "entries/s")
	})
}
