// Package ingestbench measures what a cold `village fetch` costs against
// the floor of issue 8: a bare program that only fetches every feed
// concurrently, parses it with gofeed's default parser and inserts the
// items into SQLite, one transaction per feed. Its benchmarks run both on
// one loopback farm in the same run and report CPU and allocations per
// entry and their ratio; the package holds no code of its own.
package ingestbench
