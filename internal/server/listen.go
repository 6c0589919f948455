package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"golang.org/x/net/netutil"
)

// Limits bound what one client can hold of the server. The zero value
// takes the defaults.
type Limits struct {
	// MaxConns caps the connections open at once; more wait in the
	// kernel's accept queue. Default 1024.
	MaxConns int
	// ReadHeader bounds the time to read a request's headers (slowloris),
	// Read the whole request, Write the answer (a client that stops
	// reading), Idle a keep-alive connection between requests. Defaults
	// 10s, 30s, 60s and 2m.
	ReadHeader, Read, Write, Idle time.Duration
}

func (l Limits) withDefaults() Limits {
	if l.MaxConns <= 0 {
		l.MaxConns = 1024
	}
	if l.ReadHeader <= 0 {
		l.ReadHeader = 10 * time.Second
	}
	if l.Read <= 0 {
		l.Read = 30 * time.Second
	}
	if l.Write <= 0 {
		l.Write = time.Minute
	}
	if l.Idle <= 0 {
		l.Idle = 2 * time.Minute
	}
	return l
}

// shutdownGrace is how long Serve lets requests in flight finish after ctx
// is done.
const shutdownGrace = 5 * time.Second

// Serve answers HTTP on ln with h until ctx is done, then stops accepting,
// lets the requests in flight finish (for a few seconds at most) and
// returns nil. It returns earlier only when ln fails.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, lim Limits, log *slog.Logger) error {
	lim = lim.withDefaults()
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: lim.ReadHeader,
		ReadTimeout:       lim.Read,
		WriteTimeout:      lim.Write,
		IdleTimeout:       lim.Idle,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelDebug),
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(netutil.LimitListener(ln, lim.MaxConns)) }()
	select {
	case err := <-served:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if err := hs.Shutdown(shut); err != nil {
		log.Warn("http shutdown", "error", err)
		hs.Close()
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("http server: %w", err)
	}
	return nil
}
