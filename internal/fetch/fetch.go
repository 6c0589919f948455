// Package fetch is a polite HTTP client for feeds: conditional GETs, size and
// time caps, per-host concurrency limits and error classes for the scheduler.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
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
	defaultMaxConcurrent  = 8
	defaultMaxPerHost     = 2
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
	MaxConcurrent  int           // fetches at once; default 8
	MaxPerHost     int           // fetches at once per host:port; default 2
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
	if o.MaxConcurrent <= 0 {
		o.MaxConcurrent = defaultMaxConcurrent
	}
	if o.MaxPerHost <= 0 {
		o.MaxPerHost = defaultMaxPerHost
	}
	return o
}

// Client fetches feeds. It is safe for concurrent use; create one per process
// so that every fetch shares its connection pool and concurrency limits.
type Client struct {
	opts  Options
	tr    *http.Transport
	slots *limiter
}

// New returns a Client with one shared transport configured from opts.
func New(opts Options) *Client {
	opts = opts.withDefaults()
	return &Client{
		opts:  opts,
		tr:    newTransport(opts),
		slots: newLimiter(opts.MaxConcurrent, opts.MaxPerHost),
	}
}

func newTransport(o Options) *http.Transport {
	dialer := &net.Dialer{Timeout: o.ConnectTimeout, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:       http.ProxyFromEnvironment,
		DialContext: dialer.DialContext,
		// A custom DialContext turns HTTP/2 off unless asked for again.
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    o.ConnectTimeout,
		ResponseHeaderTimeout:  o.Timeout,
		ExpectContinueTimeout:  time.Second,
		MaxResponseHeaderBytes: maxHeaderBytes,
		// Feeds are polled minutes apart on thousands of hosts, so idle
		// connections rarely get reused; keep the pool small.
		MaxIdleConns:        4 * o.MaxConcurrent,
		MaxIdleConnsPerHost: o.MaxPerHost,
		IdleConnTimeout:     30 * time.Second,
	}
}

// Request is one conditional GET. ETag and LastModified are the validators
// stored from the previous poll; empty ones are not sent.
type Request struct {
	URL, ETag, LastModified string
	// Admit, when set, is called once the host's slot is held and before
	// the overall one. The caller takes a slot of its own there (to bound
	// the work that follows the fetch) without holding it while the host
	// is busy with other requests; the caller releases it. An error ends Get.
	Admit func(ctx context.Context) error
}

// Response is what the server answered. Get returns it whenever a status line
// arrived, also alongside ErrNotModified, *StatusError and ErrTooLarge, so the
// caller can record the status and honour the hints even on failure.
type Response struct {
	URL    string // final URL after redirects
	Status int
	Body   []byte // nil unless the status was 2xx and the body fit the cap
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

// Get fetches r.URL once. It waits for a per-host slot and then a global slot,
// so a slow host queues without starving others; both waits and the request
// itself end as soon as ctx is done.
func (c *Client) Get(ctx context.Context, r Request) (*Response, error) {
	req, err := c.newRequest(r)
	if err != nil {
		return nil, err
	}
	release, err := c.slots.acquire(ctx, hostKey(req.URL), r.Admit)
	if err != nil {
		return nil, fmt.Errorf("fetch: wait for slot: %w", err)
	}
	defer release()

	// The timeout starts once a slot is held: queueing is not the server's fault.
	ctx, cancel := context.WithTimeoutCause(ctx, c.opts.Timeout, &timeoutError{c.opts.Timeout})
	defer cancel()
	return c.do(ctx, req.WithContext(ctx), r)
}

func (c *Client) newRequest(r Request) (*http.Request, error) {
	u, err := url.Parse(r.URL)
	if err != nil {
		return nil, fmt.Errorf("fetch: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("fetch: not an absolute http(s) URL: %q", r.URL)
	}
	req, err := http.NewRequest(http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("fetch: %w", err)
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	req.Header.Set("Accept", acceptFeeds)
	// Accept-Encoding is left to the transport: it then asks for gzip and
	// inflates transparently, so the body cap counts decompressed bytes.
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
	var redirects redirectLog
	hc := &http.Client{Transport: c.tr, CheckRedirect: redirects.check}
	hr, err := hc.Do(req)
	if err != nil {
		return nil, wrap(ctx, err)
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

	body, err := readCapped(hr.Body, c.opts.MaxBodyBytes)
	resp.Duration = time.Since(start)
	if err != nil {
		if errors.Is(err, ErrTooLarge) {
			return resp, fmt.Errorf("fetch: %w", err)
		}
		return resp, wrap(ctx, err)
	}
	resp.Body = body
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
func readCapped(r io.Reader, limit int64) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if int64(len(body)) > limit {
		return nil, &tooLargeError{limit: limit}
	}
	return body, nil
}

// wrap drops the *url.Error layer (the caller knows the URL) and, when the
// context ended, reports why instead of the transport's side effect of it.
func wrap(ctx context.Context, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if cause := context.Cause(ctx); cause != nil && !errors.Is(err, cause) {
		err = cause
	}
	return fmt.Errorf("fetch: %w", err)
}
