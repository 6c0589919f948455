// Package output writes published files to a directory so that a plain web
// server can serve them, never exposing a half-written file.
package output

import (
	"fmt"
	"os"
	"path/filepath"
)

// WriteFile writes data to dir/name atomically: it writes a temporary file in
// the same directory, syncs it, and renames it over the old one, so a reader
// (or a crash) sees either the old file or the new one, never a mix.
func WriteFile(dir, name string, data []byte) error {
	dest := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".*.tmp")
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("output %s: %w", dest, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("output %s: %w", dest, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("output %s: %w", dest, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("output %s: %w", dest, err)
	}
	if err := os.Rename(tmp.Name(), dest); err != nil {
		return fmt.Errorf("output %s: %w", dest, err)
	}
	return nil
}
