package site

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/villagefeeds/village/internal/output"
)

// manifest lists, one per line, the files a Dir wrote, so that a later run
// (even after a restart) removes the ones the site no longer has.
const manifest = ".village-files"

// Dir keeps a static copy of the site in a directory: each file written
// atomically, only when its bytes changed, and files of pages that are gone
// removed. A Dir is not safe for concurrent use.
type Dir struct {
	path string
	sums map[string][sha256.Size]byte // file -> sum of what is on disk; nil until the first Write
}

// NewDir returns a Dir writing under path.
func NewDir(path string) *Dir { return &Dir{path: path} }

// Write brings the directory in line with docs and returns how many files
// it wrote or removed.
func (d *Dir) Write(docs []Doc) (int, error) {
	if d.sums == nil {
		d.sums = d.readManifest()
	}
	changed := 0
	next := make(map[string][sha256.Size]byte, len(docs))
	for _, doc := range docs {
		name := doc.File()
		sum := sha256.Sum256(doc.Body)
		next[name] = sum
		if old, ok := d.sums[name]; ok && old == sum {
			continue
		}
		if d.onDisk(name, doc.Body) {
			continue
		}
		if err := output.WriteFile(d.path, filepath.FromSlash(name), doc.Body); err != nil {
			return changed, err
		}
		changed++
	}
	for name := range d.sums {
		if _, ok := next[name]; ok {
			continue
		}
		err := os.Remove(filepath.Join(d.path, filepath.FromSlash(name)))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return changed, fmt.Errorf("output: %w", err)
		}
		changed++
	}
	d.sums = next
	if changed == 0 {
		return 0, nil
	}
	return changed, d.writeManifest()
}

// onDisk reports whether the file already holds body, as after a restart.
func (d *Dir) onDisk(name string, body []byte) bool {
	old, err := os.ReadFile(filepath.Join(d.path, filepath.FromSlash(name)))
	return err == nil && bytes.Equal(old, body)
}

// readManifest returns the files an earlier run wrote, with unknown sums.
func (d *Dir) readManifest() map[string][sha256.Size]byte {
	sums := map[string][sha256.Size]byte{}
	f, err := os.Open(filepath.Join(d.path, manifest))
	if err != nil {
		return sums
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name := sc.Text()
		// Only names this package could have written: never a path that
		// climbs out of the directory, whatever the file says.
		if name != "" && filepath.IsLocal(filepath.FromSlash(name)) {
			sums[name] = [sha256.Size]byte{}
		}
	}
	return sums
}

func (d *Dir) writeManifest() error {
	names := make([]string, 0, len(d.sums))
	for n := range d.sums {
		names = append(names, n)
	}
	slices.Sort(names)
	return output.WriteFile(d.path, manifest, []byte(strings.Join(names, "\n")+"\n"))
}
