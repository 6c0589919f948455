package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// ErrChanged is returned by Edit.Save when the file changed on disk since
// OpenEdit: writing would undo someone else's edit.
var ErrChanged = errors.New("changed on disk while editing; try again")

// Edit is a change to feeds.yaml in the making. Add and Remove edit the
// text in memory, each checked with Parse; Save writes the result over the
// file atomically. Comments, order and formatting outside the edited lines
// are kept byte for byte.
type Edit struct {
	given string // the path as given: messages name it, relative paths resolve against it
	path  string // the file written, symbolic links resolved
	orig  []byte
	data  []byte
	cfg   *Config // nil while the file lists no feeds
}

// OpenEdit reads the file at path for editing. The file must be valid; it
// may list no feeds yet.
func OpenEdit(path string) (*Edit, error) {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return nil, readError(path, err)
	}
	data, err := os.ReadFile(real)
	if err != nil {
		return nil, readError(path, err)
	}
	e := &Edit{given: path, path: real, orig: data, data: data}
	if e.cfg, err = Parse(data, path); err != nil {
		return nil, err
	}
	return e, nil
}

// Feeds returns the feeds as the edited text lists them.
func (e *Edit) Feeds() []Feed { return slices.Clone(e.cfg.Feeds) }

// Add appends feeds to the list (see AppendFeeds).
func (e *Edit) Add(feeds ...Feed) error {
	out, c, err := appendFeeds(e.data, e.given, feeds)
	if err != nil {
		return err
	}
	e.data, e.cfg = out, c
	return nil
}

// Remove deletes item i of the list (see RemoveFeed).
func (e *Edit) Remove(i int) error {
	out, c, err := removeFeed(e.data, e.given, i)
	if err != nil {
		return err
	}
	e.data, e.cfg = out, c
	return nil
}

// Bytes returns the edited text.
func (e *Edit) Bytes() []byte { return e.data }

// Save writes the edited text over the file: to a temporary file in the
// same directory, synced, then renamed, so the daemon watching the file
// only ever reads the old or the new version. It keeps the file's mode and
// fails with ErrChanged when the file changed since OpenEdit.
func (e *Edit) Save() (*Config, error) {
	now, err := os.ReadFile(e.path)
	if err != nil {
		return nil, fmt.Errorf("save config: %w", err)
	}
	if !bytes.Equal(now, e.orig) {
		return nil, fmt.Errorf("save config %s: %w", e.path, ErrChanged)
	}
	if bytes.Equal(e.data, e.orig) {
		return e.cfg, nil
	}
	if err := writeAtomic(e.path, e.data); err != nil {
		return nil, err
	}
	e.orig = e.data
	return e.cfg, nil
}

func writeAtomic(path string, data []byte) error {
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("save config: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("save config: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), info.Mode().Perm())
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("save config %s: %w", path, err)
	}
	return nil
}

// Config returns the configuration the edited text gives.
func (e *Edit) Config() *Config { return e.cfg }

// Path returns the path of the file as given to OpenEdit, for messages.
func (e *Edit) Path() string { return e.given }

// Create writes a new config file at path. It fails with an error
// wrapping fs.ErrExist when the file exists, unless overwrite is set; then
// it replaces it atomically, as Save does, so a daemon watching it reads
// the old or the new version.
func Create(path string, data []byte, overwrite bool) error {
	if overwrite {
		if real, err := filepath.EvalSymlinks(path); err == nil {
			return writeAtomic(real, data) // a linked file is replaced, not the link
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("create config: %w", err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("create config %s: %w", path, err)
	}
	return nil
}
