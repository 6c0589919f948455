package refresh

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/fetch"
	"github.com/villagefeeds/village/internal/parse"
)

// fetchErr is how fetch.Get returns err: under a *fetch.Error naming the URL.
func fetchErr(err error) error {
	return &fetch.Error{URL: "https://user:pw@blog.example/feed?token=t", Err: err}
}

func parseErr(body string) error {
	_, err := parse.Parse([]byte(body), "https://blog.example/feed")
	if err == nil {
		panic("parsed: " + body)
	}
	return &stageError{"parse", fmt.Errorf("parse https://blog.example/feed: %w", err)}
}

func notFeedErr(body string) error {
	_, err := parse.Parse([]byte(body), "https://blog.example/feed")
	return &stageError{"not_feed", fmt.Errorf("parse https://blog.example/feed: %w", err)}
}

func TestProblem(t *testing.T) {
	dial := func(err error) error {
		return fetchErr(&net.OpError{Op: "dial", Net: "tcp", Addr: &net.TCPAddr{IP: net.IPv4(10, 1, 2, 3), Port: 443},
			Err: os.NewSyscallError("connect", err)})
	}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"dns", fetchErr(&net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{
			Err: "no such host", Name: "www.cncf.io", Server: "10.96.0.10:53", IsNotFound: true}}),
			"the server's name could not be resolved"},
		{"refused", dial(syscall.ECONNREFUSED), "connection refused"},
		{"reset", dial(syscall.ECONNRESET), "the connection was reset"},
		{"unreachable", dial(syscall.EHOSTUNREACH), "the server could not be reached"},
		{"eof", fetchErr(io.ErrUnexpectedEOF), "the server closed the connection before the feed was complete"},
		{"timeout", fetchErr(&fetch.TimeoutError{Limit: 30 * time.Second}), "no answer within 30 s"},
		{"timeout fraction", fetchErr(&fetch.TimeoutError{Limit: 1500 * time.Millisecond}), "no answer within 1.5 s"},
		{"timeout minutes", fetchErr(&fetch.TimeoutError{Limit: 2 * time.Minute}), "no answer within 2 min"},
		{"connect timeout", fetchErr(&fetch.TimeoutError{Limit: 10 * time.Second, Connect: true}), "no connection within 10 s"},
		{"other timeout", fetchErr(context.DeadlineExceeded), "no answer in time"},
		{"503", fetchErr(&fetch.StatusError{Code: 503}), "HTTP 503 Service Unavailable"},
		{"404", fetchErr(&fetch.StatusError{Code: 404}), "HTTP 404 Not Found"},
		{"429", fetchErr(&fetch.StatusError{Code: 429, RetryAfter: time.Minute}), "HTTP 429 Too Many Requests"},
		{"unknown status", fetchErr(&fetch.StatusError{Code: 599}), "HTTP 599"},
		{"too large", fetchErr(&fetch.TooLargeError{Limit: 10 << 20}), "the feed is larger than 10 MiB"},
		{"private", dial(&fetch.PrivateAddressError{Addr: netip.MustParseAddr("169.254.169.254"), What: "link-local"}),
			"the feed's address is on a private network, which this planet does not fetch from"},
		{"tls authority", fetchErr(&tls509{x509.UnknownAuthorityError{}}), "TLS error: the certificate is not signed by a trusted authority"},
		{"tls name", fetchErr(x509.HostnameError{Certificate: &x509.Certificate{}, Host: "a"}), "TLS error: the certificate is for another name"},
		{"tls expired", fetchErr(x509.CertificateInvalidError{Reason: x509.Expired}), "TLS error: the certificate has expired or is not valid yet"},
		{"html", notFeedErr("<!doctype html><html><body>blog</body></html>"), "not a feed: an HTML page"},
		{"not a feed", notFeedErr("hello"), "not a feed: no RSS, Atom or JSON Feed root"},
		{"broken xml", parseErr("<rss version=\"2.0\">\n<channel><title>x</title><item><title>a</ti"),
			"the feed is not well-formed XML (line 2: unexpected EOF)"},
		{"broken json", parseErr(`{"version":"https://jsonfeed.org/version/1.1", "items": [`), "the feed is not valid JSON (at byte 57)"},
		{"store", &stageError{"store", errors.New("store https://blog.example/feed: disk I/O error at /var/lib/village/village.db")},
			"the planet could not store the feed (a fault on the planet's side)"},
		{"anything else", fetchErr(errors.New("net/http: something odd at 10.0.0.1")), "the feed could not be fetched"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Problem(tt.err)
			if got != tt.want {
				t.Errorf("Problem = %q, want %q", got, tt.want)
			}
			for _, leak := range []string{"10.", ":53", "user", "pw", "token", "/var/", "dial ", "fetch http", "parse http"} {
				if strings.Contains(got, leak) {
					t.Errorf("Problem %q shows %q", got, leak)
				}
			}
		})
	}
}

// tls509 wraps an x509 error as crypto/tls does, behind another layer.
type tls509 struct{ err error }

func (e *tls509) Error() string { return "tls: failed to verify certificate: " + e.err.Error() }
func (e *tls509) Unwrap() error { return e.err }
