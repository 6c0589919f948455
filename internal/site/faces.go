package site

import (
	"fmt"
	"io"
	"mime"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// maxFace bounds a face file read into memory; feeds.yaml's check refuses
// larger ones already, this guards against a file that grew since.
const maxFace = 1 << 20

// face returns where a page finds a source's face: an http(s) URL as it
// is, or for an image file the root-relative path the site serves it at
// ("faces/slug.png") and the file to serve there. Anything else (another
// scheme, a relative path, a file that is no image) gives no face: the
// face is treated like a post's image URL.
func face(f, slug string) (href, file string) {
	if f == "" {
		return "", ""
	}
	if u, err := url.Parse(f); err == nil && u.Scheme != "" {
		scheme := strings.ToLower(u.Scheme)
		if (scheme == "http" || scheme == "https") && u.Host != "" {
			return u.String(), ""
		}
		return "", ""
	}
	ext := strings.ToLower(filepath.Ext(f))
	if !filepath.IsAbs(f) || ext == ".svg" || !strings.HasPrefix(mime.TypeByExtension(ext), "image/") {
		return "", ""
	}
	return "faces/" + slug + ext, f
}

// at returns s as a page whose root is root shows it: a face the site
// serves itself is linked relative to that page.
func (s Source) at(root string) Source {
	if s.faceFile != "" {
		s.Face = root + s.Face
	}
	return s
}

// sourcesAt returns copies of srcs for a page whose root is root.
func sourcesAt(root string, srcs []Source) []Source {
	if len(srcs) == 0 {
		return nil
	}
	out := make([]Source, len(srcs))
	for i, s := range srcs {
		out[i] = s.at(root)
	}
	return out
}

// faceDocs are the image files of the local faces, each at its source's
// face path. A file that cannot be read is left out, and its source shows
// no face, rather than failing the whole site.
func (bd *build) faceDocs() []Doc {
	var docs []Doc
	for _, s := range bd.list {
		if d, ok := faceDocOf(s); ok {
			docs = append(docs, d)
		}
	}
	return docs
}

// faceDoc is the image file of the local face served at k.
func (bd *build) faceDoc(k Key) (Doc, error) {
	for _, s := range bd.list {
		if d, ok := faceDocOf(s); ok && k.Page == 1 && d.Path == k.Path {
			return d, nil
		}
	}
	return Doc{}, ErrNoPage
}

// faceDocOf is s's local face, if it has one that can be read.
func faceDocOf(s Source) (Doc, bool) {
	if s.faceFile == "" {
		return Doc{}, false
	}
	body, err := readFace(s.faceFile)
	if err != nil {
		return Doc{}, false
	}
	return Doc{Path: "/" + s.Face, Page: 1, ContentType: mime.TypeByExtension(filepath.Ext(s.Face)), Body: body}, true
}

func readFace(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, maxFace+1))
	if err == nil && len(body) > maxFace {
		err = fmt.Errorf("face %s: larger than %d bytes", path, maxFace)
	}
	return body, err
}
