package farm

import "testing"

// BenchmarkGenerate measures making one feed of 30 posts, gzip included:
// Start does this once per feed.
func BenchmarkGenerate(b *testing.B) {
	w := newWorker()
	var n int64
	for i := 0; b.Loop(); i++ {
		d := w.first(newBlog(1, i, "http://127.0.0.1:1"), DefaultEntries)
		n += int64(len(d.body))
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds()/(1<<20), "MiB/s")
}
