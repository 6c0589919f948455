// Command village-bench prints performance figures for village: it ingests
// thousands of synthetic feeds served on loopback by a farm in a child
// process, polls them again, and load-tests the published /atom.xml.
// Nothing in it fails because a machine is slow; it exits non-zero only on
// real errors.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/villagefeeds/village/internal/farm"
)

// farmEnv set to "1" makes the program the farm's child process.
const farmEnv = "VILLAGE_BENCH_FARM"

func main() {
	if os.Getenv(farmEnv) == "1" {
		if err := farm.Serve(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "village-bench farm:", err)
			os.Exit(1)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(cli(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// cli parses args, runs the benchmark and returns the exit status.
func cli(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		return 2
	}
	stopProfiles, err := startProfiles(o)
	if err == nil {
		err = errors.Join(run(ctx, o, stdout), stopProfiles())
	}
	if err != nil {
		fmt.Fprintln(stderr, "village-bench:", err)
		return 1
	}
	return 0
}
