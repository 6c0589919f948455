// Command village-bench prints performance figures for village as people
// run it: it builds the village binary and runs `village fetch` and
// `village serve` as child processes against thousands of synthetic feeds
// served on loopback by a farm (another child process), beside a floor
// program that does only the unavoidable work. It measures cold ingest,
// warm polls, peak memory, HTTP requests per second and latency during
// and after ingest, and render times over large archives. Nothing in it
// fails because a machine is slow; it exits non-zero only on real errors.
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

// Set to "1", these make the program one of the bench's child processes.
const (
	farmEnv  = "VILLAGE_BENCH_FARM"
	floorEnv = "VILLAGE_BENCH_FLOOR"
)

func main() {
	if code, ok := child(); ok {
		os.Exit(code)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(cli(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// child runs the farm or the floor program when the environment asks for
// one; ok is false when this is the bench itself.
func child() (code int, ok bool) {
	var err error
	switch {
	case os.Getenv(farmEnv) == "1":
		err = farm.Serve(os.Stdin, os.Stdout)
	case os.Getenv(floorEnv) == "1":
		err = runFloor(os.Stdin, os.Stdout)
	default:
		return 0, false
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "village-bench child:", err)
		return 1, true
	}
	return 0, true
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
	if err := run(ctx, o, stdout); err != nil {
		fmt.Fprintln(stderr, "village-bench:", err)
		return 1
	}
	return 0
}
