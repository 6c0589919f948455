package farm

import (
	"net/http"
	"strconv"
	"strings"
)

var contentTypes = [...][]string{
	atomFormat: {"application/atom+xml; charset=utf-8"},
	rssFormat:  {"application/rss+xml; charset=utf-8"},
}

// fileName is the last element of a feed's path.
func (b *blog) fileName() string {
	if b.format == atomFormat {
		return "atom.xml"
	}
	return "rss.xml"
}

// path is where the farm serves b: /blog/NNNN/atom.xml or /blog/NNNN/rss.xml.
func (b *blog) path() string {
	return "/blog/" + pad4(b.index) + "/" + b.fileName()
}

func pad4(i int) string {
	s := strconv.Itoa(i)
	if len(s) < 4 {
		s = "0000"[len(s):] + s
	}
	return s
}

// ServeHTTP answers GET and HEAD for the feeds, with 304 to a conditional
// request whose validators still match.
func (f *Farm) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fd := f.lookup(r.URL.Path)
	if fd == nil {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	d := fd.cur.Load()
	h := w.Header()
	h["Content-Type"] = contentTypes[fd.format]
	h.Set("ETag", d.etag)
	h.Set("Last-Modified", d.lastMod)
	h.Set("Vary", "Accept-Encoding")
	if isNotModified(r, d) {
		f.notModified.Add(1)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := d.body
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		h.Set("Content-Encoding", "gzip")
		body = d.gz
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	f.ok200.Add(1)
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		w.Write(body)
	}
}

// lookup returns the feed served at path, or nil.
func (f *Farm) lookup(path string) *feed {
	rest, ok := strings.CutPrefix(path, "/blog/")
	if !ok {
		return nil
	}
	num, name, _ := strings.Cut(rest, "/")
	i, err := strconv.Atoi(num)
	if err != nil || i < 0 || i >= len(f.feeds) || name != f.feeds[i].fileName() {
		return nil
	}
	return f.feeds[i]
}

// isNotModified follows RFC 9110: If-None-Match, when sent, decides alone.
func isNotModified(r *http.Request, d *doc) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for tag := range strings.SplitSeq(inm, ",") {
			tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
			if tag == d.etag || tag == "*" {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" {
		t, err := http.ParseTime(ims)
		return err == nil && !d.modified.After(t)
	}
	return false
}

// acceptsGzip reports whether an Accept-Encoding value admits gzip.
func acceptsGzip(accept string) bool {
	for part := range strings.SplitSeq(accept, ",") {
		name, params, _ := strings.Cut(part, ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		q, ok := strings.CutPrefix(strings.TrimSpace(params), "q=")
		if !ok {
			return true
		}
		v, err := strconv.ParseFloat(q, 64)
		return err == nil && v > 0
	}
	return false
}
