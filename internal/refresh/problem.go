package refresh

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"

	"github.com/villagefeeds/village/internal/fetch"
	"github.com/villagefeeds/village/internal/parse"
)

// Problem words a refresh error for the public page and /sources.json: what
// a blog's author needs to fix, in a few plain words, without the planet's
// internal addresses (its resolver, a private IP), file paths or Go's chain
// of errors. The full error stays in the logs and `village feeds`. It
// returns "" for nil.
func Problem(err error) string {
	if err == nil {
		return ""
	}
	var (
		se *fetch.StatusError
		pe *fetch.PrivateAddressError
		te *fetch.TimeoutError
		tl *fetch.TooLargeError
		de *net.DNSError
	)
	switch class := Class(err); {
	case errors.As(err, &se):
		return statusText(se.Code)
	case errors.As(err, &pe):
		return "the feed's address is on a private network, which this planet does not fetch from"
	case errors.Is(err, context.Canceled):
		return "the poll was interrupted"
	case errors.As(err, &de):
		return "the server's name could not be resolved"
	case errors.As(err, &te) && te.Connect:
		return "no connection within " + seconds(te.Limit)
	case errors.As(err, &te):
		return "no answer within " + seconds(te.Limit)
	case class == "timeout":
		return "no answer in time"
	case errors.As(err, &tl):
		return "the feed is larger than " + fetch.ByteSize(tl.Limit)
	case class == "redirects":
		return "too many redirects"
	case class == "tls":
		return tlsProblem(err)
	case class == "connection":
		return connectionProblem(err)
	case class == "not_feed":
		return notFeed(err)
	case class == "parse":
		return parseProblem(err)
	case class == "store":
		return "the planet could not store the feed (a fault on the planet's side)"
	}
	return "the feed could not be fetched"
}

func statusText(code int) string {
	if text := http.StatusText(code); text != "" {
		return fmt.Sprintf("HTTP %d %s", code, text)
	}
	return fmt.Sprintf("HTTP %d", code)
}

// seconds writes a limit as people do: "30 s", "2 min", "1.5 s".
func seconds(d time.Duration) string {
	switch {
	case d >= time.Minute && d%time.Minute == 0:
		return fmt.Sprintf("%d min", d/time.Minute)
	case d%time.Second == 0:
		return fmt.Sprintf("%d s", d/time.Second)
	}
	return fmt.Sprintf("%g s", d.Seconds())
}

func tlsProblem(err error) string {
	var (
		ua  x509.UnknownAuthorityError
		he  x509.HostnameError
		inv x509.CertificateInvalidError
	)
	switch {
	case errors.As(err, &ua):
		return "TLS error: the certificate is not signed by a trusted authority"
	case errors.As(err, &he):
		return "TLS error: the certificate is for another name"
	case errors.As(err, &inv) && inv.Reason == x509.Expired:
		return "TLS error: the certificate has expired or is not valid yet"
	}
	var ae tls.AlertError
	if errors.As(err, &ae) {
		return "TLS error: the server refused the secure connection"
	}
	return "TLS error: the secure connection failed"
}

func connectionProblem(err error) string {
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "the connection was reset"
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return "the server could not be reached"
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "the server closed the connection before the feed was complete"
	}
	return "the server could not be reached"
}

// notFeed keeps what parse says the document was ("the document is an
// HTML page"): parse words it for people already.
func notFeed(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, parse.ErrNotFeed.Error()+": "); i >= 0 {
		what := msg[i+len(parse.ErrNotFeed.Error())+2:]
		what = strings.TrimPrefix(what, "the document is ")
		return "not a feed: " + what
	}
	return "not a feed"
}

func parseProblem(err error) string {
	var (
		xe *xml.SyntaxError
		je *json.SyntaxError
	)
	switch {
	case errors.As(err, &xe):
		return fmt.Sprintf("the feed is not well-formed XML (line %d: %s)", xe.Line, xe.Msg)
	case errors.As(err, &je):
		return fmt.Sprintf("the feed is not valid JSON (at byte %d)", je.Offset)
	}
	return "the feed could not be read"
}
