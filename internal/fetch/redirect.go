package fetch

import (
	"fmt"
	"net/http"
)

// redirectLog follows at most maxRedirects hops and remembers whether all of
// them were permanent, which is when feeds.yaml should learn the new URL.
type redirectLog struct {
	hops      int
	temporary bool
}

func (l *redirectLog) check(req *http.Request, via []*http.Request) error {
	if len(via) > maxRedirects {
		return fmt.Errorf("stopped after %d redirects", maxRedirects)
	}
	l.hops++
	if req.Response == nil || !isPermanent(req.Response.StatusCode) {
		l.temporary = true
	}
	return nil
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
