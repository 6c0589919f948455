package parse

import (
	"net/url"
	"strings"
)

// resolveURL makes ref absolute against base and reports false when the URL
// is unusable or its scheme is not http or https (or mailto, when
// allowMailto). With no base a relative ref is returned as it is.
func resolveURL(base *url.URL, ref string, allowMailto bool) (string, bool) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return "", false
	}
	if hasHTTPScheme(ref) {
		return ref, true // the common case, already absolute: skip url.Parse
	}
	u, err := url.Parse(ref)
	if err != nil {
		return "", false
	}
	if u.Scheme != "" {
		if u.Scheme == "http" || u.Scheme == "https" || (allowMailto && u.Scheme == "mailto") {
			return u.String(), true
		}
		return "", false
	}
	if base == nil {
		return ref, true
	}
	return base.ResolveReference(u).String(), true
}

// absLink resolves a post or home-page link against base and returns it,
// parsed and as a string, only when the result is an absolute http(s) URL.
func absLink(base *url.URL, ref string) (*url.URL, string) {
	ref = strings.TrimSpace(cleanString(ref))
	if ref == "" {
		return nil, ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return nil, ""
	}
	if !u.IsAbs() {
		if base == nil {
			return nil, ""
		}
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, ""
	}
	return u, u.String()
}

// hasHTTPScheme reports whether s starts with http:// or https://, in any case.
func hasHTTPScheme(s string) bool {
	return hasPrefixFold(s, "https://") || hasPrefixFold(s, "http://")
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// isHTTPURL reports whether s is an absolute http(s) URL, for ids that may
// double as links.
func isHTTPURL(s string) bool {
	_, link := absLink(nil, s)
	return link != ""
}

// urlString is u as a string, "" for nil.
func urlString(u *url.URL) string {
	if u == nil {
		return ""
	}
	return u.String()
}
