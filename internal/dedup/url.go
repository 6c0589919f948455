package dedup

import (
	"net/url"
	"strings"

	"golang.org/x/net/idna"
)

// CanonicalURL returns the form of raw used to match the same post across
// sources, or "" when raw is not an absolute http(s) URL.
//
// Two links that a browser would open as the same page compare equal: scheme
// and host case, http versus https, default ports, fragments, userinfo,
// tracking parameters, query order, percent-encoding, dot segments, a trailing
// slash and a trailing index.html are all ignored. The result is itself
// canonical, so it can be stored and compared again later.
func CanonicalURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Opaque != "" || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	host, ok := canonicalHost(u)
	if !ok {
		return ""
	}
	var b strings.Builder
	b.Grow(len(raw) + 8)
	b.WriteString("https://")
	b.WriteString(host)
	p := canonicalPath(u.EscapedPath())
	if p == "" {
		p = "/"
	}
	b.WriteString(p)
	if q := canonicalQuery(u.RawQuery); q != "" {
		b.WriteByte('?')
		b.WriteString(q)
	}
	return b.String()
}

// canonicalHost returns the lower-case host of u, in its ASCII (punycode)
// form, with a default port dropped. It reports false for hosts that cannot
// name a web page: empty ones, empty labels, IPv6 zones and invalid IDNs.
func canonicalHost(u *url.URL) (string, bool) {
	name := strings.TrimSuffix(u.Hostname(), ".") // "a.org." is a.org, fully qualified
	if name == "" || name[0] == '.' || name[len(name)-1] == '.' ||
		strings.Contains(name, "..") || strings.Contains(name, "%") {
		return "", false
	}
	if isASCII(name) {
		name = strings.ToLower(name)
	} else {
		var err error
		if name, err = idna.Lookup.ToASCII(name); err != nil || name == "" {
			return "", false
		}
	}
	if strings.Contains(name, ":") {
		name = "[" + name + "]"
	}
	port := strings.TrimLeft(u.Port(), "0")
	switch {
	case port == "" && u.Port() != "":
		return "", false // port 0
	case port == "", port == "80", port == "443":
		return name, true
	case len(port) > 5 || (len(port) == 5 && port > "65535"):
		return "", false
	}
	return name + ":" + port, true
}

// canonicalPath normalises an escaped path: percent-encoding first, then dot
// segments, then the trailing "/" and "index.html" that servers add or omit.
func canonicalPath(escaped string) string {
	p := removeDotSegments(normaliseEscapes(escaped, isPathByte))
	for {
		p = strings.TrimRight(p, "/")
		switch {
		case strings.HasSuffix(p, "/index.html"):
			p = p[:len(p)-len("index.html")]
		case strings.HasSuffix(p, "/index.htm"):
			p = p[:len(p)-len("index.htm")]
		default:
			return p
		}
	}
}

// removeDotSegments resolves "." and ".." segments as RFC 3986 section 5.2.4
// does. Unlike path.Clean it keeps empty segments ("a//b"), which servers may
// treat as distinct.
func removeDotSegments(p string) string {
	if !strings.Contains(p, ".") {
		return p
	}
	segs := strings.Split(p, "/")
	out := make([]string, 0, len(segs))
	last := len(segs) - 1
	for i, s := range segs {
		switch s {
		case ".":
			if i == last {
				out = append(out, "")
			}
		case "..":
			if len(out) > 1 {
				out = out[:len(out)-1]
			}
			if i == last {
				out = append(out, "")
			}
		default:
			out = append(out, s)
		}
	}
	return strings.Join(out, "/")
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
