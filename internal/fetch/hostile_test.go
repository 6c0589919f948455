package fetch

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestBodyCap(t *testing.T) {
	const limit = 1 << 10
	zeros := gzipped(t, make([]byte, 1<<20))
	tests := []struct {
		name    string
		handler http.HandlerFunc
		wantErr bool
	}{
		{"exactly at the cap", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write(make([]byte, limit))
		}, false},
		{"one byte over", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write(make([]byte, limit+1))
		}, true},
		{"endless plain body", func(w http.ResponseWriter, r *http.Request) {
			writeForever(w, make([]byte, 4096))
		}, true},
		{"gzip that inflates past the cap", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = w.Write(zeros)
		}, true},
		{"endless gzip bomb", func(w http.ResponseWriter, r *http.Request) {
			// Concatenated gzip members are one valid stream of endless zeros.
			w.Header().Set("Content-Encoding", "gzip")
			writeForever(w, zeros)
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, tt.handler)
			// A gzipped body is capped twice: as it comes over the wire
			// (Get) and as it inflates (Body).
			resp, err := New(Options{AllowPrivate: true, MaxBodyBytes: limit, Timeout: backstop}).Get(context.Background(), Request{URL: srv.URL})
			var body []byte
			if err == nil {
				body, err = resp.Body()
			}
			if !tt.wantErr {
				if err != nil || len(body) != limit {
					t.Fatalf("err = %v, want a %d byte body", err, limit)
				}
				return
			}
			if !errors.Is(err, ErrTooLarge) || Class(err) != "too_large" {
				t.Fatalf("err = %v (class %q), want ErrTooLarge", err, Class(err))
			}
			if !strings.Contains(err.Error(), "body exceeds 1 KiB") {
				t.Errorf("message %q does not name the limit", err)
			}
			if resp == nil || resp.Status != http.StatusOK || body != nil {
				t.Errorf("response = %+v, want status 200 and no body", resp)
			}
		})
	}
}

func writeForever(w http.ResponseWriter, chunk []byte) {
	for {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

// TestHostileServers speaks raw bytes so the server can break HTTP in ways
// net/http's server never would.
func TestHostileServers(t *testing.T) {
	tests := []struct {
		name      string
		raw       string
		wantClass string
	}{
		{"huge header", "HTTP/1.1 200 OK\r\nX-Big: " + strings.Repeat("a", 1<<20) + "\r\n\r\n", "other"},
		{"body shorter than Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n<feed>", "connection"},
		{"absurd Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999\r\n\r\n<feed>", "connection"},
		{"negative Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n<feed>", "other"},
		{"truncated gzip", "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff\xb2", "connection"},
		{"garbage status line", "HELLO\r\n\r\n", "other"},
		{"silent close", "", "connection"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := rawServer(t, tt.raw)
			resp, err := New(Options{AllowPrivate: true, MaxBodyBytes: 1 << 10, Timeout: backstop}).Get(context.Background(), Request{URL: "http://" + addr + "/feed"})
			if err == nil {
				_, err = resp.Body() // a gzipped body is inflated only now
			}
			if err == nil {
				t.Fatal("no error")
			}
			if got := Class(err); got != tt.wantClass {
				t.Errorf("Class(%v) = %q, want %q", err, got, tt.wantClass)
			}
		})
	}
}

// TestGzipLabelOnPlainBody reads a body labelled gzip that is not, as
// browsers and feed readers do, instead of failing the feed.
func TestGzipLabelOnPlainBody(t *testing.T) {
	const feed = "<feed>not gzip at all</feed>"
	addr := rawServer(t, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 28\r\n\r\n"+feed)
	resp, err := New(Options{AllowPrivate: true, Timeout: backstop}).Get(context.Background(), Request{URL: "http://" + addr + "/feed"})
	if err != nil {
		t.Fatal(err)
	}
	if body, err := resp.Body(); err != nil || string(body) != feed {
		t.Errorf("Body() = %q, %v; want the body as it came", body, err)
	}
}

// rawServer answers every connection on 127.0.0.1 with raw, then closes it.
func rawServer(t *testing.T, raw string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				br := bufio.NewReader(conn)
				for {
					line, err := br.ReadString('\n')
					if err != nil || line == "\r\n" {
						break
					}
				}
				_, _ = io.Copy(conn, strings.NewReader(raw))
			}()
		}
	}()
	return ln.Addr().String()
}

func TestTLSAndConnectionErrors(t *testing.T) {
	// The client does not trust the test server's self-signed certificate.
	tlsSrv := httptest.NewUnstartedServer(http.NotFoundHandler())
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0)
	tlsSrv.StartTLS()
	t.Cleanup(tlsSrv.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String() + "/feed"
	ln.Close()

	tests := []struct{ url, want string }{
		{tlsSrv.URL, "tls"},
		{refused, "connection"},
	}
	for _, tt := range tests {
		_, err := New(Options{AllowPrivate: true}).Get(context.Background(), Request{URL: tt.url})
		if got := Class(err); got != tt.want {
			t.Errorf("%s: Class(%v) = %q, want %q", tt.url, err, got, tt.want)
		}
	}
}

func TestClass(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{nil, ""},
		{ErrNotModified, "not_modified"},
		{&TooLargeError{Limit: 1}, "too_large"},
		{&StatusError{Code: 429}, "http_429"},
		{&StatusError{Code: 404}, "http_4xx"},
		{&StatusError{Code: 503}, "http_5xx"},
		{&StatusError{Code: 300}, "other"},
		{context.Canceled, "canceled"},
		{context.DeadlineExceeded, "timeout"},
		{&TimeoutError{Limit: time.Second}, "timeout"},
		{&net.DNSError{Err: "no such host", Name: "example.invalid"}, "dns"},
		{&net.OpError{Op: "dial", Err: errors.New("connection refused")}, "connection"},
		{io.ErrUnexpectedEOF, "connection"},
		{&net.OpError{Op: "dial", Err: &PrivateAddressError{Addr: netip.MustParseAddr("10.0.0.1"), What: "private"}}, "private"},
		{&redirectError{hops: 10}, "redirects"},
		{errors.New("something else"), "other"},
	}
	for _, tt := range tests {
		wrapped := New(Options{}).wrap(context.Background(), tt.err)
		if tt.err == nil {
			wrapped = nil
		}
		if got := Class(wrapped); got != tt.want {
			t.Errorf("Class(%v) = %q, want %q", wrapped, got, tt.want)
		}
	}
}

func TestByteSize(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{1000, "1000 bytes"},
		{1 << 10, "1 KiB"},
		{1536, "1536 bytes"},
		{10 << 20, "10 MiB"},
		{3 << 30, "3 GiB"},
		{5 << 40, "5120 GiB"},
	}
	for _, tt := range tests {
		if got := byteSize(tt.n); got != tt.want {
			t.Errorf("byteSize(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
