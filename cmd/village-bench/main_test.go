package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary be the bench's child processes, as the
// real program is.
func TestMain(m *testing.M) {
	if code, ok := child(); ok {
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// TestRun runs the whole bench on a tiny planet and a tiny archive, with
// a village built as this test is (with -race under -race), and checks
// that every figure is printed and none is flagged.
func TestRun(t *testing.T) {
	var flags []string
	if raceEnabled {
		flags = append(flags, "-race")
	}
	bin, err := buildVillage(context.Background(), t.TempDir(), flags...)
	if err != nil {
		t.Fatal(err)
	}
	o := options{sizes: []size{{30, 4}}, hosts: 3, concurrency: 4, change: 0.2, clients: 9,
		duration: 50 * time.Millisecond, archives: []int{120}, village: bin}
	var out bytes.Buffer
	if err := run(context.Background(), o, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{
		"planet 30x4", "30 feeds x 4 entries",
		"floor", "120 items",
		"village fetch", "108 new", // 12 of the 120 posts are a syndicator's copies
		"near-duplicates", "search index", "per 10,000 entries",
		"fetch, exact only", "near-duplicates cost",
		"dedup rescan", "120 entries", "12 merged", // the copies fetch, exact only stored
		"village serve", "listening in", "peak RSS",
		"serve, 9 clients", "during ingest /atom.xml", "after ingest /sources/blog-0000/", "etag ",
		"ratios", "fetch/floor", "serve/fetch", "ingest under load",
		"warm poll", "6 x 200, 24 x 304", "6 new", "floor, changed feeds", "24 items",
		"archive of 120", "/ answered", "after a change", "/opml.xml", "page 999999",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "WARNING") || strings.Contains(got, "errors, the first") {
		t.Errorf("output has a warning:\n%s", got)
	}
}

func TestFlags(t *testing.T) {
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"-sizes", "0x3"}, 2},
		{[]string{"-sizes", "1000"}, 2},
		{[]string{"-archives", "ten"}, 2},
		{[]string{"-hosts", "255"}, 2},
		{[]string{"-change", "1.5"}, 2},
		{[]string{"-duration", "0s"}, 2},
		{[]string{"-clients", "0"}, 2},
		{[]string{"-concurrency", "0"}, 2},
		{[]string{"-nosuchflag"}, 2},
		{[]string{"-h"}, 0},
	}
	for _, tt := range tests {
		if code := cli(context.Background(), tt.args, io.Discard, io.Discard); code != tt.code {
			t.Errorf("%q: exit %d, want %d", tt.args, code, tt.code)
		}
	}
	o, err := parseFlags(nil, io.Discard)
	if err != nil || len(o.sizes) != 2 || o.sizes[0] != (size{1000, 30}) || o.sizes[1] != (size{10000, 10}) ||
		len(o.archives) != 3 || o.clients != 100 {
		t.Errorf("defaults: %+v, %v", o, err)
	}
}
