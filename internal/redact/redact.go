// Package redact hides the secrets a feed URL may carry (user:password@,
// ?token=..., a token as a path segment) from everything village publishes or logs: one rule, used by
// every output, so that no page, feed, log line or stored error shows what
// only the fetcher needs.
package redact

import (
	"net/url"
	"strings"
)

// Mask stands in for every hidden value.
const Mask = "***"

// DefaultParams are the query parameters hidden whatever feeds.yaml says.
// A parameter is also hidden when one of the words of its name (split on
// '_', '-' and '.') is one of these, so "feed_token" and "x-api-key" are
// hidden too, while "monkey" is not.
var DefaultParams = []string{
	"token", "key", "apikey", "api_key", "access_token", "auth", "sig",
	"signature", "password", "passwd", "secret", "client_secret",
}

// Redactor hides userinfo and secret query parameters. The nil *Redactor
// is usable and hides DefaultParams, so that a caller without a
// configuration is safe by default.
type Redactor struct {
	params map[string]bool
}

var defaults = New(nil)

// New returns a Redactor hiding DefaultParams and extra, compared without
// regard to case.
func New(extra []string) *Redactor {
	r := &Redactor{params: make(map[string]bool, len(DefaultParams)+len(extra))}
	for _, p := range append(DefaultParams[:len(DefaultParams):len(DefaultParams)], extra...) {
		if p = strings.ToLower(strings.TrimSpace(p)); p != "" {
			r.params[p] = true
		}
	}
	return r
}

func (r *Redactor) orDefault() *Redactor {
	if r == nil {
		return defaults
	}
	return r
}

// IsSecret reports whether a query parameter of that name is hidden.
func (r *Redactor) IsSecret(name string) bool {
	r = r.orDefault()
	name = strings.ToLower(name)
	if r.params[name] {
		return true
	}
	for _, word := range strings.FieldsFunc(name, isSeparator) {
		if r.params[word] {
			return true
		}
	}
	return false
}

func isSeparator(c rune) bool { return c == '_' || c == '-' || c == '.' }

// URL returns raw with its userinfo and the values of secret query (and
// fragment) parameters replaced by Mask; every other byte stays as written,
// so the result still says which feed it is. It works on the text rather
// than through url.URL.String, which would re-escape the mask and change
// the spelling of what it keeps.
func (r *Redactor) URL(raw string) string {
	r = r.orDefault()
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return raw
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	host, tail := rest[:end], rest[end:]
	if at := strings.LastIndexByte(host, '@'); at >= 0 {
		host = Mask + host[at:]
	}
	tail, frag, hasFrag := strings.Cut(tail, "#")
	path, query, hasQuery := strings.Cut(tail, "?")
	out := scheme + "://" + host + maskTokens(path)
	if hasQuery {
		out += "?" + r.maskPairs(query)
	}
	if hasFrag {
		out += "#" + r.maskPairs(frag)
	}
	return out
}

// Private feeds often carry their token in the path instead of the query:
// a calendar's /private-<32 hex>/basic.ics, Pinboard's /secret:<hex>/,
// a reader's /feeds/<uuid>.xml. A path segment is hidden when it holds a
// token: a UUID, or a run of letters and digits between separators at
// least minTokenRun long with at least two of each, which words, dates,
// slugs ("kubernetes-1-30-release") and numeric ids (a Blogger blog's)
// are not.
const minTokenRun = 16

// maskTokens replaces the path segments of path that hold a token by Mask,
// keeping the others and every '/' as written.
func maskTokens(path string) string {
	segs := strings.Split(path, "/")
	masked := false
	for i, seg := range segs {
		if holdsToken(seg) {
			segs[i], masked = Mask, true
		}
	}
	if !masked {
		return path
	}
	return strings.Join(segs, "/")
}

func holdsToken(seg string) bool {
	if isUUID(seg) {
		return true
	}
	run, letters, digits := 0, 0, 0
	for i := 0; i <= len(seg); i++ {
		if i < len(seg) && isAlnum(seg[i]) {
			run++
			if seg[i] >= '0' && seg[i] <= '9' {
				digits++
			} else {
				letters++
			}
			continue
		}
		if run >= minTokenRun && letters >= 2 && digits >= 2 {
			return true
		}
		run, letters, digits = 0, 0, 0
	}
	return false
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// isUUID reports whether s, less a file extension, is a UUID written with
// dashes (8-4-4-4-12 hex digits).
func isUUID(s string) bool {
	if dot := strings.IndexByte(s, '.'); dot >= 0 {
		s = s[:dot]
	}
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if s[i] != '-' {
				return false
			}
		case !(s[i] >= '0' && s[i] <= '9' || s[i] >= 'a' && s[i] <= 'f' || s[i] >= 'A' && s[i] <= 'F'):
			return false
		}
	}
	return true
}

// maskPairs masks the secret values of an '&'-separated list of
// name=value pairs, keeping their order and spelling.
func (r *Redactor) maskPairs(raw string) string {
	if !strings.Contains(raw, "=") {
		return raw
	}
	pairs := strings.Split(raw, "&")
	for i, p := range pairs {
		name, value, hasValue := strings.Cut(p, "=")
		if !hasValue || value == "" || value == Mask {
			continue
		}
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		if r.IsSecret(name) {
			pairs[i] = p[:strings.IndexByte(p, '=')+1] + Mask
		}
	}
	return strings.Join(pairs, "&")
}

// Text returns s with every http(s) URL in it redacted, for messages that
// quote a URL, such as Go's `Get "https://user:pw@host/": ...` errors.
func (r *Redactor) Text(s string) string {
	r = r.orDefault()
	var b strings.Builder
	rest := s
	for {
		i := indexURL(rest)
		if i < 0 {
			break
		}
		end := i + urlEnd(rest[i:])
		b.WriteString(rest[:i])
		b.WriteString(r.URL(rest[i:end]))
		rest = rest[end:]
	}
	if b.Len() == 0 {
		return s
	}
	b.WriteString(rest)
	return b.String()
}

// indexURL finds the next "http://" or "https://", in any case. It
// compares bytes, since lower-casing invalid UTF-8 would move offsets.
func indexURL(s string) int {
	for i := 0; i+7 <= len(s); i++ {
		if c := s[i]; c != 'h' && c != 'H' {
			continue
		}
		if hasPrefixFold(s[i:], "http://") || hasPrefixFold(s[i:], "https://") {
			return i
		}
	}
	return -1
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// urlEnd is where a URL quoted in text stops: at white space, a quote or
// an angle bracket, which no URL holds unescaped.
func urlEnd(s string) int {
	if i := strings.IndexAny(s, " \t\r\n\"'<>`"); i >= 0 {
		return i
	}
	return len(s)
}

// Error returns err with a redacted message; errors.Is and errors.As still
// see err itself. nil stays nil.
func (r *Redactor) Error(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	red := r.Text(msg)
	if red == msg {
		return err
	}
	return &redacted{msg: red, err: err}
}

type redacted struct {
	msg string
	err error
}

func (e *redacted) Error() string { return e.msg }
func (e *redacted) Unwrap() error { return e.err }

// URL redacts raw with the default parameters.
func URL(raw string) string { return defaults.URL(raw) }

// Text redacts s with the default parameters.
func Text(s string) string { return defaults.Text(s) }
