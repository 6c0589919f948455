package fetch

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/villagefeeds/village/internal/limit"
)

// redirectLog follows at most maxRedirects hops and remembers whether all of
// them were permanent, which is when feeds.yaml should learn the new URL.
type redirectLog struct {
	origin    *url.URL // the URL asked for: credentials go to its host only
	hops      int
	temporary bool
}

// redirectError ends a chain of redirects that is too long or loops.
type redirectError struct{ hops int }

func (e *redirectError) Error() string { return fmt.Sprintf("stopped after %d redirects", e.hops) }

func (l *redirectLog) check(req *http.Request, via []*http.Request) error {
	if len(via) > maxRedirects {
		return &redirectError{hops: maxRedirects}
	}
	l.hops++
	if req.Response == nil || !isPermanent(req.Response.StatusCode) {
		l.temporary = true
	}
	// net/http keeps Authorization on a redirect to a subdomain, and to
	// plain http; the feed's credentials are for its own host, over the
	// scheme it was listed with, and nobody else.
	if !sameOrigin(l.origin, req.URL) {
		req.Header.Del("Authorization")
	}
	return nil
}

func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && limit.HostKey(a.String()) == limit.HostKey(b.String())
}

func (l *redirectLog) movedTo(final string) string {
	if l.hops == 0 || l.temporary {
		return ""
	}
	return final
}

func isPermanent(code int) bool {
	return code == http.StatusMovedPermanently || code == http.StatusPermanentRedirect
}
