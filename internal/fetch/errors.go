package fetch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"
)

// ErrNotModified is matched (errors.Is) by the error returned with a non-nil
// *Response when the server answered 304: the feed is unchanged and the
// caller keeps what it has.
var ErrNotModified = errors.New("not modified")

// ErrTooLarge is matched (errors.Is) by the error for a body over
// Options.MaxBodyBytes; the error's own message names the limit.
var ErrTooLarge = errors.New("body too large")

// Error is every error of Get: "fetch URL: cause", so that a caller adds
// nothing and the log shows "fetch" and the URL once. The URL is as given,
// credentials included: redact before showing it to anyone.
type Error struct {
	URL string
	Err error
}

func (e *Error) Error() string { return "fetch " + e.URL + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// StatusError is a final answer other than 2xx or 304. Callers branch on Code
// (410 Gone, 429) and wait at least RetryAfter before asking again.
type StatusError struct {
	Code       int
	RetryAfter time.Duration
}

// Error reads like "http 503 Service Unavailable".
func (e *StatusError) Error() string {
	if text := http.StatusText(e.Code); text != "" {
		return fmt.Sprintf("http %d %s", e.Code, text)
	}
	return fmt.Sprintf("http %d", e.Code)
}

// TooLargeError is the error for a body over Options.MaxBodyBytes; it
// matches ErrTooLarge.
type TooLargeError struct{ Limit int64 }

func (e *TooLargeError) Error() string        { return "body exceeds " + byteSize(e.Limit) }
func (e *TooLargeError) Is(target error) bool { return target == ErrTooLarge }

// TimeoutError says which limit ran out: the whole request's
// (Options.Timeout) or, with Connect, the connection's. It is the cause set
// on the request's deadline, and classifies as a timeout.
type TimeoutError struct {
	Limit   time.Duration
	Connect bool
}

func (e *TimeoutError) Error() string {
	if e.Connect {
		return "no connection after " + e.Limit.String()
	}
	return "timeout after " + e.Limit.String()
}
func (e *TimeoutError) Timeout() bool { return true }
func (e *TimeoutError) Is(target error) bool {
	return target == context.DeadlineExceeded
}

// ByteSize formats a limit for people: "10 MiB", "512 KiB", "1000 bytes".
func ByteSize(n int64) string { return byteSize(n) }

// Class reduces an error from Get to a short, stable label for logs and
// metrics: "not_modified", "private", "timeout", "dns", "connection",
// "tls", "too_large", "redirects", "http_4xx", "http_5xx", "http_429",
// "canceled" or "other". It returns "" for a nil error.
func Class(err error) string {
	if err == nil {
		return ""
	}
	var se *StatusError
	var pe *PrivateAddressError
	var re *redirectError
	switch {
	case errors.Is(err, ErrNotModified):
		return "not_modified"
	case errors.As(err, &pe):
		return "private"
	case errors.As(err, &re):
		return "redirects"
	case errors.Is(err, ErrTooLarge):
		return "too_large"
	case errors.As(err, &se):
		return statusClass(se.Code)
	case errors.Is(err, context.Canceled):
		return "canceled"
	case isDNS(err):
		return "dns"
	case isTimeout(err):
		return "timeout"
	case isTLS(err):
		return "tls"
	case isConnection(err):
		return "connection"
	}
	return "other"
}

func statusClass(code int) string {
	switch {
	case code == http.StatusTooManyRequests:
		return "http_429"
	case code >= 400 && code < 500:
		return "http_4xx"
	case code >= 500 && code < 600:
		return "http_5xx"
	}
	return "other"
}

func isDNS(err error) bool {
	var de *net.DNSError
	return errors.As(err, &de)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}

// isHandshakeTimeout recognises the transport's TLSHandshakeTimeout, which
// net/http reports with an unexported type.
func isHandshakeTimeout(err error) bool {
	return isTimeout(err) && strings.Contains(err.Error(), "TLS handshake timeout")
}

func isTLS(err error) bool {
	var (
		rh  tls.RecordHeaderError
		ae  tls.AlertError
		cv  *tls.CertificateVerificationError
		ua  x509.UnknownAuthorityError
		he  x509.HostnameError
		inv x509.CertificateInvalidError
	)
	return errors.As(err, &rh) || errors.As(err, &ae) || errors.As(err, &cv) ||
		errors.As(err, &ua) || errors.As(err, &he) || errors.As(err, &inv)
}

func isConnection(err error) bool {
	var oe *net.OpError
	return errors.As(err, &oe) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}
