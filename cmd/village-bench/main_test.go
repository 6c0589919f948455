package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/farm"
)

// TestMain lets the test binary be the farm's child process, as the real
// program is.
func TestMain(m *testing.M) {
	if os.Getenv(farmEnv) == "1" {
		if err := farm.Serve(os.Stdin, os.Stdout); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestRun(t *testing.T) {
	o := options{feeds: 30, entries: 4, hosts: 3, concurrency: 4, change: 0.2, clients: 2, duration: 50 * time.Millisecond}
	var out bytes.Buffer
	if err := run(context.Background(), o, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{
		"village bench: 30 feeds x 4 entries on 3 loopback hosts",
		"108 stored", // 120 posts, 12 of them a syndicator's copies
		"6 x 200, 24 x 304",
		"6 new",
		"50 entries",
		"peak memory",
		"req/s If-None-Match",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "WARNING") {
		t.Errorf("output has a warning:\n%s", got)
	}
}

func TestFlags(t *testing.T) {
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"-feeds", "0"}, 2},
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
	if err != nil || o.feeds != 1000 || o.entries != 30 || o.hosts != 16 || o.duration != 2*time.Second {
		t.Errorf("defaults: %+v, %v", o, err)
	}
}
