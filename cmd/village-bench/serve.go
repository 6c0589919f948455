package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/villagefeeds/village/internal/server"
)

const atomType = "application/atom+xml; charset=utf-8"

// render renders the merged feed and prepares it for serving, as the daemon
// does after every poll that changed something.
func (b *bench) render(ctx context.Context) (*server.Document, error) {
	t0 := time.Now()
	body, err := b.planet.RenderAtom(ctx)
	if err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	doc := server.NewDocument(atomType, body, time.Now())
	b.row("render atom", seconds(time.Since(t0)),
		fmt.Sprintf("%d entries", bytes.Count(body, []byte("</entry>"))),
		fmt.Sprintf("%s, %s gzipped", size(int64(len(body))), size(int64(len(doc.Gzipped())))))
	return doc, nil
}

func (b *bench) printMemory() {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.row("peak memory", "RSS "+size(getUsage().maxRSS), "heap "+size(int64(ms.HeapSys)),
		size(int64(ms.TotalAlloc))+" allocated in all")
}

// serveAtom measures /atom.xml through the daemon's own handler, with
// keep-alive clients that ask for gzip as feed readers do.
func (b *bench) serveAtom(ctx context.Context, doc *server.Document) error {
	srv := server.New(slog.New(slog.DiscardHandler), nil)
	srv.Publish("/atom.xml", doc)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	defer hs.Close()

	url := "http://" + ln.Addr().String() + "/atom.xml"
	plain, err := hammer(ctx, url, "", http.StatusOK, b.o.clients, b.o.duration)
	if err != nil {
		return err
	}
	cond, err := hammer(ctx, url, doc.ETag, http.StatusNotModified, b.o.clients, b.o.duration)
	if err != nil {
		return err
	}
	b.row("/atom.xml", fmt.Sprintf("%.0f req/s plain", plain), fmt.Sprintf("%.0f req/s If-None-Match", cond),
		fmt.Sprintf("(%d clients, %s each)", b.o.clients, b.o.duration))
	return nil
}

// hammer has clients request url until d has passed and returns the
// requests per second. Every answer must have status want.
func hammer(ctx context.Context, url, etag string, want, clients int, d time.Duration) (float64, error) {
	tr := &http.Transport{MaxIdleConnsPerHost: clients, DisableCompression: true}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	var done atomic.Int64
	errs := make([]error, clients)
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				if errs[i] = get(ctx, hc, url, etag, want); errs[i] != nil {
					return
				}
				done.Add(1)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if err := errors.Join(errs...); err != nil {
		return 0, err
	}
	return float64(done.Load()) / elapsed.Seconds(), nil
}

func get(ctx context.Context, hc *http.Client, url, etag string, want int) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept-Encoding", "gzip")
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("get /atom.xml: %w", err)
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return fmt.Errorf("get /atom.xml: %w", err)
	}
	if resp.StatusCode != want {
		return fmt.Errorf("get /atom.xml: status %d, want %d", resp.StatusCode, want)
	}
	return nil
}
