package main

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/villagefeeds/village/internal/config"
	"github.com/villagefeeds/village/internal/farm"
)

type options struct {
	sizes       []size // planets to ingest
	hosts       int
	concurrency int
	change      float64
	clients     int
	busyRate    int // busy_rate: for serve; below 0, village's default
	duration    time.Duration
	archives    []int  // stored entries to time renders over
	village     string // a village binary; "" builds one
}

// size is a planet: feeds x entries each.
type size struct{ feeds, entries int }

func (s size) String() string { return fmt.Sprintf("%dx%d", s.feeds, s.entries) }

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	var sizes, archives string
	fs := flag.NewFlagSet("village-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&sizes, "sizes", "1000x30,10000x10", "planets to ingest, FEEDSxENTRIES, comma-separated")
	fs.IntVar(&o.hosts, "hosts", farm.DefaultHosts, fmt.Sprintf("loopback addresses the farm listens on, 1..%d", farm.MaxHosts))
	fs.IntVar(&o.concurrency, "concurrency", config.DefaultConcurrency, "fetches at once, as in feeds.yaml")
	fs.Float64Var(&o.change, "change", 0.1, "fraction of the feeds with a new entry at the warm poll")
	fs.IntVar(&o.clients, "clients", 100, "concurrent keep-alive HTTP clients")
	fs.IntVar(&o.busyRate, "busy-rate", -1, "busy_rate: for serve (answers a second while ingesting; 0 unpaced); below 0, village's default")
	fs.DurationVar(&o.duration, "duration", 5*time.Second, "how long the HTTP load lasts after ingest")
	fs.StringVar(&archives, "archives", "10000,100000,1000000", "stored entries to time renders over, comma-separated; empty for none")
	fs.StringVar(&o.village, "village", "", "the village binary to measure (default: go build ./cmd/village)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	var err error
	if o.sizes, err = parseSizes(sizes); err == nil {
		o.archives, err = parseInts(archives)
	}
	if err == nil {
		err = o.validate()
	}
	if err != nil {
		fmt.Fprintln(stderr, "village-bench:", err)
		fs.Usage()
		return o, err
	}
	return o, nil
}

func parseSizes(s string) ([]size, error) {
	var out []size
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		f, e, ok := strings.Cut(part, "x")
		feeds, err1 := strconv.Atoi(f)
		entries, err2 := strconv.Atoi(e)
		if !ok || err1 != nil || err2 != nil || feeds < 1 || entries < 1 {
			return nil, fmt.Errorf("-sizes: %q is not FEEDSxENTRIES", part)
		}
		out = append(out, size{feeds, entries})
	}
	return out, nil
}

func parseInts(s string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		n, err := strconv.Atoi(part)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-archives: %q is not a positive number", part)
		}
		out = append(out, n)
	}
	return out, nil
}

func (o options) validate() error {
	switch {
	case o.hosts < 1 || o.hosts > farm.MaxHosts:
		return fmt.Errorf("-hosts must be 1..%d", farm.MaxHosts)
	case o.concurrency < 1 || o.concurrency > config.MaxConcurrency:
		return fmt.Errorf("-concurrency must be 1..%d", config.MaxConcurrency)
	case !(o.change >= 0 && o.change <= 1):
		return fmt.Errorf("-change must be between 0 and 1")
	case o.clients < 1:
		return fmt.Errorf("-clients must be positive")
	case o.duration <= 0:
		return fmt.Errorf("-duration must be positive")
	}
	return nil
}
