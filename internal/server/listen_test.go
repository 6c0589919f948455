package server

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// pipeListener hands out in-memory connections, so that a server under
// testing/synctest runs on the bubble's fake clock.
type pipeListener struct {
	conns  chan net.Conn
	closed chan struct{}
	once   sync.Once
}

func newPipeListener() *pipeListener {
	return &pipeListener{conns: make(chan net.Conn), closed: make(chan struct{})}
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.closed:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return nil
}

func (l *pipeListener) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)} }

// dial connects a client; the server side waits in the accept queue (a
// goroutine here) until the server accepts it.
func (l *pipeListener) dial() net.Conn {
	client, server := net.Pipe()
	go func() {
		select {
		case l.conns <- server:
		case <-l.closed:
			server.Close()
		}
	}()
	return client
}

var quiet = slog.New(slog.DiscardHandler)

// serve runs Serve on a pipe listener until the test ends.
func serve(t *testing.T, h http.Handler, lim Limits) *pipeListener {
	ln := newPipeListener()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln, h, lim, quiet) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return ln
}

// TestServeCapsConnections: with MaxConns 2, a third client is accepted
// only when one of the first two has gone.
func TestServeCapsConnections(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		entered := make(chan string, 3)
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			entered <- r.URL.Path
			<-r.Context().Done() // held until its client goes
		})
		ln := serve(t, h, Limits{MaxConns: 2})
		var conns []net.Conn
		for _, path := range []string{"/1", "/2", "/3"} {
			c := ln.dial()
			conns = append(conns, c)
			go io.WriteString(c, "GET "+path+" HTTP/1.1\r\nHost: planet\r\n\r\n")
			synctest.Wait()
		}
		if len(entered) != 2 {
			t.Fatalf("%d requests in the handler with MaxConns 2", len(entered))
		}
		<-entered
		<-entered
		conns[0].Close()
		synctest.Wait()
		if len(entered) != 1 || <-entered != "/3" {
			t.Fatal("the third client was not served once the first left")
		}
		for _, c := range conns[1:] {
			c.Close()
		}
	})
}

// TestServeTimeouts: a client that sends no request is dropped after
// ReadHeader, and a keep-alive connection after Idle.
func TestServeTimeouts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
		ln := serve(t, h, Limits{ReadHeader: 3 * time.Second, Idle: 7 * time.Second})

		silent := ln.dial()
		start := time.Now()
		if _, err := silent.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
			t.Errorf("silent client: read %v, want EOF", err)
		}
		if d := time.Since(start); d != 3*time.Second {
			t.Errorf("silent client dropped after %v, want the 3s header timeout", d)
		}

		idle := ln.dial()
		go io.WriteString(idle, "GET / HTTP/1.1\r\nHost: planet\r\n\r\n")
		br := bufio.NewReader(idle)
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		start = time.Now()
		if _, err := br.ReadByte(); !errors.Is(err, io.EOF) {
			t.Errorf("idle client: read %v, want EOF", err)
		}
		if d := time.Since(start); d != 7*time.Second {
			t.Errorf("idle connection closed after %v, want the 7s idle timeout", d)
		}
	})
}
