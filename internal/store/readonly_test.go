package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// TestOpenReadOnlyLeavesTheFileAlone reads a closed database and one that a
// writer holds open, and checks that nothing was written.
func TestOpenReadOnlyLeavesTheFileAlone(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "village.db")
	w, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	src := sources(t, w, 2)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	before := fileSum(t, path)

	r, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatalf("OpenReadOnly of a closed database: %v", err)
	}
	got, err := r.Sources(ctx)
	if err != nil || len(got) != 2 {
		t.Fatalf("Sources = %d, %v", len(got), err)
	}
	if err := r.MarkFailed(ctx, src[0].ID, Failure{Err: "x"}); err == nil {
		t.Error("MarkFailed on a read-only store succeeded")
	}
	if _, err := r.SaveRefresh(ctx, src[0].ID, Refresh{}); !errors.Is(err, ErrReadOnly) {
		t.Errorf("SaveRefresh: %v, want ErrReadOnly", err)
	}
	if err := r.MarkNotModified(ctx, src[0].ID, t0, t0, "", ""); !errors.Is(err, ErrReadOnly) {
		t.Errorf("MarkNotModified: %v, want ErrReadOnly", err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if fileSum(t, path) != before {
		t.Error("a read-only open changed the database file")
	}

	// Beside a writer, it sees what the writer committed.
	w, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	sources(t, w, 3)
	r, err = OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatalf("OpenReadOnly beside a writer: %v", err)
	}
	defer r.Close()
	if got, err := r.Sources(ctx); err != nil || len(got) != 3 {
		t.Errorf("Sources beside a writer = %d, %v; want 3", len(got), err)
	}
}

func TestOpenReadOnlyRefusesAnOlderSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "village.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA user_version = 2"); err != nil {
		t.Fatal(err)
	}
	db.Close()

	_, err = OpenReadOnly(ctx, path)
	if !errors.Is(err, ErrSchemaOld) || !strings.Contains(err.Error(), "run `village serve` or `village fetch` once") {
		t.Fatalf("err = %v, want ErrSchemaOld saying how to upgrade", err)
	}
	db, _ = sql.Open("sqlite", "file:"+path)
	defer db.Close()
	if v, _ := userVersion(ctx, db); v != 2 {
		t.Errorf("user_version = %d after a read-only open, want 2 (no migration)", v)
	}
}

func TestOpenReadOnlyNeedsTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing.db")
	if _, err := OpenReadOnly(context.Background(), path); err == nil {
		t.Fatal("OpenReadOnly of a missing file succeeded")
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("OpenReadOnly created %s", path)
	}
}

func TestBackupFromReadOnly(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	sources(t, s, 2)
	r, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	dst := filepath.Join(t.TempDir(), "copy.db")
	if err := r.Backup(ctx, dst); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	c, err := OpenReadOnly(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got, _ := c.Sources(ctx); len(got) != 2 {
		t.Errorf("the copy has %d sources, want 2", len(got))
	}
}

func TestLockExcludesASecondHolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "village.db")
	first, err := Lock(path, "serve")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Lock(path, "serve")
	var inUse *InUseError
	if !errors.As(err, &inUse) || inUse.PID != os.Getpid() {
		t.Fatalf("second Lock: %v, want *InUseError naming pid %d", err, os.Getpid())
	}
	want := path + " is in use by village serve (pid "
	if !strings.HasPrefix(err.Error(), want) {
		t.Errorf("message %q, want it to start with %q", err, want)
	}
	if err := first.Release(); err != nil {
		t.Fatal(err)
	}
	again, err := Lock(path, "fetch")
	if err != nil {
		t.Fatalf("Lock after Release: %v", err)
	}
	_, err = Lock(path, "serve")
	if want := path + " is in use by village fetch (pid "; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Lock beside a fetch: %v, want a message starting with %q", err, want)
	}
	again.Release()
}
