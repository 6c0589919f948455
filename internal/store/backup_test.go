package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/model"
)

// TestBackupWhileWriting takes a backup while another goroutine keeps
// saving refreshes of perRefresh entries each; the copy must hold whole
// refreshes only, and the source's validator must name the last of them.
func TestBackupWhileWriting(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	src := sources(t, s, 1)[0]
	const perRefresh = 20
	ctx, stop := context.WithCancel(context.Background())
	committed := make(chan int, 1)
	writerDone := make(chan error, 1)
	go func() {
		for n := 1; ctx.Err() == nil; n++ {
			r := refresh(t0.Add(time.Duration(n)*time.Minute), batch(n, perRefresh)...)
			r.ETag = strconv.Itoa(n)
			if _, err := s.SaveRefresh(context.Background(), src.ID, r); err != nil {
				writerDone <- err
				return
			}
			select {
			case committed <- n:
			default:
			}
		}
		writerDone <- nil
	}()
	for n := 0; n < 3; n = <-committed { // the writer is well under way
	}

	dst := filepath.Join(t.TempDir(), "backup.db")
	err := s.Backup(context.Background(), dst)
	last := <-committed // and still running after the backup
	stop()
	if werr := <-writerDone; werr != nil {
		t.Fatal(werr)
	}
	if err != nil {
		t.Fatal(err)
	}

	b, err := Open(context.Background(), dst)
	if err != nil {
		t.Fatalf("open the backup: %v", err)
	}
	defer b.Close()
	copied := getSource(t, b, src.ID)
	refreshes, err := strconv.Atoi(copied.ETag)
	if err != nil || refreshes < 1 {
		t.Fatalf("backup's etag %q: want the number of a committed refresh", copied.ETag)
	}
	entries, keys := countRows(t, b, "entries"), countRows(t, b, "entry_keys")
	if entries != refreshes*perRefresh || keys != 3*entries {
		t.Errorf("backup has %d entries and %d keys after refresh %d; want %d and %d",
			entries, keys, refreshes, refreshes*perRefresh, 3*refreshes*perRefresh)
	}
	t.Logf("backup after refresh %d; the writer reached %d", refreshes, last)
}

func batch(n, size int) []model.Entry {
	out := make([]model.Entry, size)
	for i := range out {
		id := fmt.Sprintf("%d-%d", n, i)
		out[i] = post(id, "https://a.example/"+id, "hash-"+id, t0)
	}
	return out
}

func TestBackupRefusesExistingFile(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	dir := t.TempDir()
	for _, tc := range []struct {
		name, path string
		want       error
	}{
		{"existing file", filepath.Join(dir, "exists.db"), fs.ErrExist},
		{"empty path", "", nil},
		{"uri-looking path", "file:x.db", nil},
		{"missing directory", filepath.Join(dir, "no", "such.db"), nil},
	} {
		if tc.name == "existing file" {
			if err := os.WriteFile(tc.path, []byte("precious"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		err := s.Backup(context.Background(), tc.path)
		if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
			t.Errorf("%s: Backup = %v; want an error (%v)", tc.name, err, tc.want)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "exists.db")); string(b) != "precious" {
		t.Errorf("the existing file was overwritten: %q", b)
	}
}
