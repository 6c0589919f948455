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
	return d.Sync(nil, func(put func(Doc) error) error {
		for _, doc := range docs {
			if err := put(doc); err != nil {
				return err
			}
		}
		return nil
	})
}

// Sync brings the directory in line with the documents walk hands to put,
// one at a time, and returns how many files it wrote or removed. A file
// is written (atomically) only when its bytes changed, so an unchanged one
// keeps its inode and modification time. A file of an earlier Sync that
// walk does not put is removed, unless keep (when not nil) says it belongs
// to a part of the site this walk left out. When walk fails, the files it
// did not reach stay as they were.
func (d *Dir) Sync(keep func(file string) bool, walk func(put func(Doc) error) error) (int, error) {
	if d.sums == nil {
		d.sums = d.readManifest()
	}
	changed := 0
	next := make(map[string][sha256.Size]byte, len(d.sums))
	err := walk(func(doc Doc) error {
		name := doc.File()
		sum := sha256.Sum256(doc.Body)
		next[name] = sum
		if old, ok := d.sums[name]; (ok && old == sum) || (!ok || old == [sha256.Size]byte{}) && d.onDisk(name, doc.Body) {
			return nil
		}
		if err := output.WriteFile(d.path, filepath.FromSlash(name), doc.Body); err != nil {
			return err
		}
		changed++
		return nil
	})
	for name, sum := range d.sums {
		if _, ok := next[name]; ok {
			continue
		}
		if err != nil || (keep != nil && keep(name)) {
			next[name] = sum
			continue
		}
		rerr := os.Remove(filepath.Join(d.path, filepath.FromSlash(name)))
		if rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
			next[name] = sum
			err = errors.Join(err, fmt.Errorf("output: %w", rerr))
			continue
		}
		changed++
	}
	d.sums = next
	if changed > 0 {
		err = errors.Join(err, d.writeManifest())
	}
	return changed, err
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
