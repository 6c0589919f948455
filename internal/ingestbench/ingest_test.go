package ingestbench

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/farm"
)

var (
	benchFeeds   = flag.Int("ingest.feeds", 200, "feeds in the benchmark farm")
	benchEntries = flag.Int("ingest.entries", 30, "entries in every feed of the benchmark farm")
)

// ingester stores every feed of urls in a new database at dbPath and
// returns how many entries it stored.
type ingester func(ctx context.Context, dbPath string, urls []string) (int, error)

// cost is what one ingest took.
type cost struct {
	cpu, wall     time.Duration
	bytes, allocs uint64
	io            ioCount
	stored        int
}

// ioCount is what a process asked of the kernel's I/O.
type ioCount struct {
	written uint64 // bytes passed to write calls
	calls   uint64 // read and write calls
}

func (c ioCount) sub(d ioCount) ioCount { return ioCount{c.written - d.written, c.calls - d.calls} }

// measure runs ing once against f in a new directory and returns its cost.
// The heap is collected first, so that one run's garbage is not billed to
// the next.
func measure(tb testing.TB, f *farm.Remote, ing ingester) cost {
	dir, err := os.MkdirTemp("", "ingestbench-")
	if err != nil {
		tb.Fatal(err)
	}
	defer os.RemoveAll(dir)
	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	io0, cpu0, t0 := ioCounters(), farm.ProcessCPU(), time.Now()
	n, err := ing(context.Background(), filepath.Join(dir, "ingest.db"), f.URLs())
	wall, cpu, io := time.Since(t0), farm.ProcessCPU()-cpu0, ioCounters().sub(io0)
	runtime.ReadMemStats(&m1)
	if err != nil {
		tb.Fatal(err)
	}
	return cost{cpu: cpu, wall: wall, bytes: m1.TotalAlloc - m0.TotalAlloc, allocs: m1.Mallocs - m0.Mallocs, io: io, stored: n}
}

// total adds up the costs of several runs.
type total struct {
	cost
	runs, entries int
}

func (t *total) add(c cost, entries int) {
	t.cpu += c.cpu
	t.wall += c.wall
	t.bytes += c.bytes
	t.allocs += c.allocs
	t.io.written += c.io.written
	t.io.calls += c.io.calls
	t.runs++
	t.entries += entries
}

// perEntry is n per entry served.
func (t *total) perEntry(n float64) float64 { return n / float64(t.entries) }

// report writes t's figures as benchmark metrics, their names prefixed.
func (t *total) report(b *testing.B, prefix string) {
	b.ReportMetric(t.perEntry(float64(t.cpu.Microseconds())), prefix+"cpu-µs/entry")
	b.ReportMetric(t.perEntry(float64(t.bytes)), prefix+"B/entry")
	b.ReportMetric(t.perEntry(float64(t.allocs)), prefix+"allocs/entry")
	b.ReportMetric(t.perEntry(float64(t.io.written)), prefix+"written-B/entry")
	b.ReportMetric(t.perEntry(float64(t.io.calls)), prefix+"syscalls/entry")
	b.ReportMetric(float64(t.wall.Milliseconds())/float64(t.runs), prefix+"wall-ms/run")
}

func benchFarm(b *testing.B) (*farm.Remote, int) {
	opts := farm.Options{Feeds: *benchFeeds, Entries: *benchEntries}
	return remoteFarm(b, opts), opts.Feeds * opts.Entries
}

// BenchmarkIngest runs the floor and a cold village fetch on one farm, one
// after the other in every iteration, and reports CPU time, bytes and
// allocations per entry served, for both, and village's ratio to the floor.
// Issue 8 wants the CPU ratio at most 1.
func BenchmarkIngest(b *testing.B) {
	f, entries := benchFarm(b)
	var fl, vi total
	for b.Loop() {
		fl.add(measure(b, f, floor), entries)
		vi.add(measure(b, f, village), entries)
	}
	fl.report(b, "floor-")
	vi.report(b, "village-")
	b.ReportMetric(float64(vi.cpu)/float64(fl.cpu), "cpu-ratio")
	b.ReportMetric(float64(vi.bytes)/float64(fl.bytes), "bytes-ratio")
}

// BenchmarkVillage is the village half of BenchmarkIngest alone, to profile.
func BenchmarkVillage(b *testing.B) { benchAlone(b, village) }

// BenchmarkFloor is the floor half of BenchmarkIngest alone, to profile.
func BenchmarkFloor(b *testing.B) { benchAlone(b, floor) }

func benchAlone(b *testing.B, ing ingester) {
	f, entries := benchFarm(b)
	var t total
	for b.Loop() {
		t.add(measure(b, f, ing), entries)
	}
	t.report(b, "")
}

// TestIngesters runs both ingesters on a small farm: the floor stores every
// item, village every item but the farm's cross-posts, so the benchmark
// compares two complete ingests.
func TestIngesters(t *testing.T) {
	opts := farm.Options{Feeds: 20, Entries: 5, Hosts: 2}
	f := remoteFarm(t, opts)
	if c := measure(t, f, floor); c.stored != opts.Feeds*opts.Entries {
		t.Errorf("floor stored %d items, want %d", c.stored, opts.Feeds*opts.Entries)
	}
	want := opts.Feeds*opts.Entries - farm.CrossPosts(opts.Feeds, opts.Entries)
	if c := measure(t, f, village); c.stored != want {
		t.Errorf("village stored %d entries, want %d", c.stored, want)
	}
}
