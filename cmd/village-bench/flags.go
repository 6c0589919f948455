package main

import (
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/villagefeeds/village/internal/config"
	"github.com/villagefeeds/village/internal/farm"
)

type options struct {
	feeds, entries, hosts int
	concurrency           int
	change                float64
	clients               int
	duration              time.Duration
	cpuProfile            string
	memProfile            string
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("village-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.feeds, "feeds", farm.DefaultFeeds, "synthetic feeds to ingest")
	fs.IntVar(&o.entries, "entries", farm.DefaultEntries, "entries in each feed")
	fs.IntVar(&o.hosts, "hosts", farm.DefaultHosts, fmt.Sprintf("loopback addresses the farm listens on, 1..%d", farm.MaxHosts))
	fs.IntVar(&o.concurrency, "concurrency", config.DefaultConcurrency, "fetches at once, as in feeds.yaml")
	fs.Float64Var(&o.change, "change", 0.1, "fraction of the feeds with a new entry at the warm poll")
	fs.IntVar(&o.clients, "clients", 8, "concurrent keep-alive clients requesting /atom.xml")
	fs.DurationVar(&o.duration, "duration", 2*time.Second, "how long each /atom.xml run lasts")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of village (not the farm) to this file")
	fs.StringVar(&o.memProfile, "memprofile", "", "write an allocation profile of village to this file")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if err := o.validate(); err != nil {
		fmt.Fprintln(stderr, "village-bench:", err)
		fs.Usage()
		return o, err
	}
	return o, nil
}

func (o options) validate() error {
	switch {
	case o.feeds < 1 || o.entries < 1:
		return fmt.Errorf("-feeds and -entries must be positive")
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
