// Package fetch is a polite HTTP client for feeds: conditional GETs, size and
// time caps, a guard against private addresses, and error classes for the
// scheduler. It fetches when asked: how many fetches run at once is the
// caller's business (see package limit).
package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"time"
)

// acceptFeeds prefers the feed media types but still takes anything, because
// many servers label feeds text/xml, text/plain or text/html.
const acceptFeeds = "application/atom+xml, application/rss+xml, application/feed+json, " +
	"application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"

const (
	defaultUserAgent      = "village"
	defaultConnectTimeout = 10 * time.Second
	defaultTimeout        = 30 * time.Second
	defaultMaxBodyBytes   = 10 << 20
	maxRedirects          = 10
	maxHeaderBytes        = 256 << 10
	maxDrainBytes         = 64 << 10
)

// Options configures a Client. Zero fields take the documented defaults.
type Options struct {
	UserAgent      string        // e.g. "village/1.0 (+https://planet.example.org/)"; "village" when empty
	ConnectTimeout time.Duration // dial plus TLS handshake; default 10s
	Timeout        time.Duration // whole request including the body; default 30s
	MaxBodyBytes   int64         // cap on the decompressed body; default 10 MiB
	// AllowPrivate lets the client connect to loopback, private, link-local
	// and other non-public addresses (see CheckAddr). Off, every connection,
	// redirects included, is checked once the name is resolved.
	AllowPrivate bool

	exempt func(netip.AddrPort) bool // see guard; tests only
}

func (o Options) withDefaults() Options {
	if o.UserAgent == "" {
		o.UserAgent = defaultUserAgent
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = defaultConnectTimeout
	}
	if o.Timeout <= 0 {
		o.Timeout = defaultTimeout
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = defaultMaxBodyBytes
	}
	return o
}

// Client fetches feeds. It is safe for concurrent use; create one per process
// so that every fetch shares its connection pool.
type Client struct {
	opts Options
	tr   *http.Transport
}

// New returns a Client with one shared transport configured from opts.
func New(opts Options) *Client {
	opts = opts.withDefaults()
	return &Client{opts: opts, tr: newTransport(opts)}
}

func newTransport(o Options) *http.Transport {
	dialer := &net.Dialer{Timeout: o.ConnectTimeout, KeepAlive: 30 * time.Second}
	dial, proxy := dialer.DialContext, http.ProxyFromEnvironment
	if !o.AllowPrivate {
		dial, proxy = guard{exempt: o.exempt}.dialer(dialer)
	}
	return &http.Transport{
		Proxy:       proxy,
		DialContext: dial,
		// A custom DialContext turns HTTP/2 off unless asked for again.
		ForceAttemptHTTP2:   true,
		TLSHandshakeTimeout: o.ConnectTimeout,
		// No ResponseHeaderTimeout: the request's deadline (Options.Timeout)
		// covers the headers, and a second timer of the same length would
		// race it and report the limit in other words.
		ExpectContinueTimeout:  time.Second,
		MaxResponseHeaderBytes: maxHeaderBytes,
		// Feeds are polled minutes apart on thousands of hosts, so idle
		// connections rarely get reused; keep the pool small.
		MaxIdleConns:        32,
		MaxIdleConnsPerHost: 2,
		IdleConnTimeout:     30 * time.Second,
	}
}

// HTTPClient returns a client for village's other requests to the outside
// (WebSub pings): it shares the feeds' transport, so the private-address
// guard and the connect timeout hold for them as well, and it gives up
// after the same Timeout.
func (c *Client) HTTPClient() *http.Client {
	return &http.Client{Transport: c.tr, Timeout: c.opts.Timeout}
}

// Request is one conditional GET. ETag and LastModified are the validators
// stored from the previous poll; empty ones are not sent.
type Request struct {
	URL, ETag, LastModified string
	// Username and Password, when Username is set, are sent as HTTP basic
	// auth to the URL's host only: a redirect elsewhere goes without them.
	Username, Password string
}

// Response is what the server answered. Get returns it whenever a status line
// arrived, also alongside ErrNotModified, *StatusError and ErrTooLarge, so the
// caller can record the status and honour the hints even on failure.
type Response struct {
	URL    string // final URL after redirects
	Status int
	// body is nil unless the status was 2xx and the body fit the cap; it
	// is as it came over the wire, gzipped when gzipped is set (see Body).
	body    []byte
	gzipped bool
	limit   int64 // Options.MaxBodyBytes, for Body
	// ContentType is the Content-Type header, whose charset the parser
	// honours when the document does not name its encoding.
	ContentType string

	// ETag and LastModified are the validators to store for the next poll.
	// On 304 they keep the request's values when the server sent none.
	ETag, LastModified string

	RetryAfter time.Duration // from Retry-After (seconds or HTTP-date); 0 when absent
	MaxAge     time.Duration // from Cache-Control max-age or Expires; 0 when absent

	// MovedTo is the final URL when every redirect hop was permanent
	// (301/308) and the answer was 2xx or 304: the URL to put in feeds.yaml.
	// It is empty when any hop was temporary or there was no redirect.
	MovedTo string

	Duration time.Duration // time on the wire, excluding the wait for a slot
}

// Get fetches r.URL once, at once: the timeout starts now, so a caller that
// bounds how many fetches run waits for its slot before calling. The
// request ends as soon as ctx is done. Its errors are *Error, which names
// the URL once; the Response comes with some of them (see Response).
func (c *Client) Get(ctx context.Context, r Request) (*Response, error) {
	resp, err := c.get(ctx, r)
	if err != nil {
		err = &Error{URL: r.URL, Err: err}
	}
	return resp, err
}

func (c *Client) get(ctx context.Context, r Request) (*Response, error) {
	req, err := c.newRequest(r)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeoutCause(ctx, c.opts.Timeout, &TimeoutError{Limit: c.opts.Timeout})
	defer cancel()
	return c.do(ctx, req.WithContext(ctx), r)
}

func (c *Client) newRequest(r Request) (*http.Request, error) {
	u, err := url.Parse(r.URL)
	if err != nil {
		return nil, errors.Unwrap(err) // the *url.Error would repeat the URL
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, errors.New("not an absolute http(s) URL")
	}
	req, err := http.NewRequest(http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	if r.Username != "" {
		req.SetBasicAuth(r.Username, r.Password)
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	req.Header.Set("Accept", acceptFeeds)
	// Asking for gzip ourselves keeps the transport from inflating the
	// body: Response.Body does, when the parser is ready (see body.go).
	req.Header.Set("Accept-Encoding", acceptEncoding)
	if r.ETag != "" {
		req.Header.Set("If-None-Match", r.ETag)
	}
	if r.LastModified != "" {
		req.Header.Set("If-Modified-Since", r.LastModified)
	}
	return req, nil
}

func (c *Client) do(ctx context.Context, req *http.Request, r Request) (*Response, error) {
	start := time.Now()
	redirects := redirectLog{origin: req.URL}
	hc := &http.Client{Transport: c.tr, CheckRedirect: redirects.check}
	hr, err := hc.Do(req)
	if err != nil {
		return nil, c.wrap(ctx, err)
	}
	defer hr.Body.Close()

	resp := newResponse(hr, r, start)
	if !isSuccess(hr.StatusCode) {
		// Read a little so the connection can be reused, but never much.
		_, _ = io.Copy(io.Discard, io.LimitReader(hr.Body, maxDrainBytes))
		resp.Duration = time.Since(start)
		if hr.StatusCode == http.StatusNotModified {
			resp.MovedTo = redirects.movedTo(resp.URL)
			return resp, ErrNotModified
		}
		return resp, &StatusError{Code: hr.StatusCode, RetryAfter: resp.RetryAfter}
	}

	body, err := readCapped(hr.Body, c.opts.MaxBodyBytes, hr.ContentLength)
	resp.Duration = time.Since(start)
	if err != nil {
		if errors.Is(err, ErrTooLarge) {
			return resp, err
		}
		return resp, c.wrap(ctx, err)
	}
	resp.body, resp.gzipped, resp.limit = body, isGzip(hr.Header), c.opts.MaxBodyBytes
	resp.MovedTo = redirects.movedTo(resp.URL)
	return resp, nil
}

func isSuccess(code int) bool { return code >= 200 && code < 300 }

// newResponse copies status, validators and hints; the body is read later.
func newResponse(hr *http.Response, r Request, start time.Time) *Response {
	now := serverNow(hr.Header, start)
	resp := &Response{
		URL:          hr.Request.URL.String(),
		Status:       hr.StatusCode,
		ETag:         hr.Header.Get("ETag"),
		LastModified: hr.Header.Get("Last-Modified"),
		ContentType:  hr.Header.Get("Content-Type"),
		RetryAfter:   retryAfter(hr.Header, now),
		MaxAge:       maxAge(hr.Header, now),
	}
	if hr.StatusCode == http.StatusNotModified {
		if resp.ETag == "" {
			resp.ETag = r.ETag
		}
		if resp.LastModified == "" {
			resp.LastModified = r.LastModified
		}
	}
	return resp
}

// readCapped reads at most limit bytes and fails with ErrTooLarge beyond that.
// Reading one byte past the limit tells "exactly at the cap" from "over it"
// without trusting Content-Length, which a gzip body or a liar won't have right.
//
// The body may wait long for a parse slot, so it holds no more memory than
// its bytes: it is read into a buffer of its announced size (sizeHint, 0
// for none), or trimmed to its size when the hint was wrong.
func readCapped(r io.Reader, limit, sizeHint int64) ([]byte, error) {
	r = io.LimitReader(r, limit+1)
	b := make([]byte, 0, max(min(sizeHint, limit), 0)+1)
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if int64(len(b)) > limit {
			return nil, &TooLargeError{Limit: limit}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read body: %w", err)
		}
	}
	if cap(b)-len(b) > len(b)/8+512 {
		b = bytes.Clone(b)
	}
	return b, nil
}

// wrap drops the *url.Error layer (Error names the URL) and, when the
// context ended, reports why instead of the transport's side effect of it.
// A dial that timed out says so with the connect timeout, so that nobody
// has to tell "i/o timeout" of a connection from one of a slow body.
func (c *Client) wrap(ctx context.Context, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if cause := context.Cause(ctx); cause != nil && !errors.Is(err, cause) {
		return cause
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Op == "dial" && oe.Timeout() || isHandshakeTimeout(err) {
		return &TimeoutError{Limit: c.opts.ConnectTimeout, Connect: true}
	}
	if isTimeout(err) {
		// The deadline's timer and the transport's notice of it race; the
		// limit that ran out is the request's either way.
		return &TimeoutError{Limit: c.opts.Timeout}
	}
	return err
}
