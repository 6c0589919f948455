package daemon

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// maxLinks bounds a chain of symbolic links, as the kernel does (40 on Linux).
const maxLinks = 40

// linkChain is what a config path names through its symbolic links: the
// file itself, and every link passed on the way to it.
type linkChain struct {
	target string   // the file, with no link left in its path
	links  []string // each symbolic link followed, as a path without links before it
}

// dirs are the directories to watch: each link's, and the target's. A
// change in any of them can change what the path names: an edit of the
// target, a link repointed, or a Kubernetes ConfigMap's "..data" link
// renamed over by a new one.
func (c linkChain) dirs() []string {
	out := []string{filepath.Dir(c.target)}
	for _, l := range c.links {
		if d := filepath.Dir(l); !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}

// concerns reports whether an event on name may change what the chain
// reads: the target itself or one of its links.
func (c linkChain) concerns(name string) bool {
	return name == c.target || slices.Contains(c.links, name)
}

// resolveLinks follows path through every symbolic link, component by
// component as the kernel does, and records the links it passes.
// filepath.EvalSymlinks would give the target alone. When a component is
// missing, the chain returned with the error has that missing name as its
// target: the place to watch for it to appear.
func resolveLinks(path string) (linkChain, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return linkChain{}, err
	}
	var c linkChain
	vol := filepath.VolumeName(abs)
	root := vol + string(filepath.Separator)
	done, todo := root, split(abs[len(vol):])
	for len(todo) > 0 {
		next := filepath.Join(done, todo[0])
		todo = todo[1:]
		fi, err := os.Lstat(next)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				c.target = next
			}
			return c, err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			done = next
			continue
		}
		if len(c.links) == maxLinks {
			return c, errors.New(path + ": too many levels of symbolic links")
		}
		c.links = append(c.links, next)
		dest, err := os.Readlink(next)
		if err != nil {
			return c, err
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(done, dest)
		}
		// done has no link in it, so ".." in dest may be resolved lexically.
		dest = filepath.Clean(dest)
		v := filepath.VolumeName(dest)
		done, todo = v+string(filepath.Separator), append(split(dest[len(v):]), todo...)
	}
	c.target = done
	return c, nil
}

func split(p string) []string {
	return strings.FieldsFunc(p, func(r rune) bool { return r == filepath.Separator || r == '/' })
}
