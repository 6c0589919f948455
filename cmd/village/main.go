// Command village is a planet: it polls the blogs of a community and
// republishes them as one merged feed.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/villagefeeds/village/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(cli.Main(ctx, os.Args[1:], os.Stdout, os.Stderr))
}
