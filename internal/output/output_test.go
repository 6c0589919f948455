package output

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFileReplacesAtomically(t *testing.T) {
	dir := t.TempDir()
	if err := WriteFile(dir, "atom.xml", []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(dir, "atom.xml", []byte("two")); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "atom.xml"))
	if err != nil || string(got) != "two" {
		t.Fatalf("atom.xml = %q, %v; want two", got, err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp"))
	if len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestWriteFileCreatesSubdirectories(t *testing.T) {
	dir := t.TempDir()
	if err := WriteFile(dir, "tags/k8s/atom.xml", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "tags", "k8s", "atom.xml")); err != nil {
		t.Fatal(err)
	}
}

func TestWriteFileReportsUnwritableDirectory(t *testing.T) {
	file := filepath.Join(t.TempDir(), "plain-file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(file, "atom.xml", []byte("x")); err == nil {
		t.Fatal("writing below a regular file succeeded")
	}
}
