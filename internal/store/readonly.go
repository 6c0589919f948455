package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
)

// ErrReadOnly is returned by the writing methods of a Store opened with
// OpenReadOnly.
var ErrReadOnly = errors.New("store: opened read-only")

// ErrSchemaOld is returned by OpenReadOnly when the database was last
// migrated by an older village: a read-only command must not migrate it
// behind the daemon's back, nor read a schema it does not know.
var ErrSchemaOld = errors.New("store: database schema is older than this binary")

// OpenReadOnly opens the database at path for commands that only read
// (feeds, check --fetch, build, backup): SQLite's mode=ro, queries only, no
// migration and no PRAGMA optimize on Close, so that they run beside a
// daemon and never change the file. The schema must be exactly the one
// this binary knows.
func OpenReadOnly(ctx context.Context, path string) (*Store, error) {
	if path == "" || strings.HasPrefix(path, ":memory:") {
		return nil, fmt.Errorf("open store: %q is not a file path", path)
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	db, err := sql.Open("sqlite", readOnlyDSN(path))
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	s := &Store{reader: db, readOnly: true}
	s.read, _ = newQueries(ctx, db) // none: a read-only store does not refresh
	if err := s.checkSchema(ctx, path); err != nil {
		_ = db.Close()
		return nil, err
	}
	// The writing methods run on the same read-only pool and fail there
	// with SQLite's own "readonly database" error rather than a nil pointer.
	s.writer = db
	return s, nil
}

// readOnlyDSN opens without creating the file (mode=ro), and query_only
// keeps even a statement that would write from trying.
func readOnlyDSN(path string) string {
	return "file:" + escapePath(path) +
		"?mode=ro" +
		"&_pragma=busy_timeout(5000)" +
		"&_pragma=query_only(1)"
}

func (s *Store) checkSchema(ctx context.Context, path string) error {
	ms, err := loadMigrations(migrationFS)
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	v, err := userVersion(ctx, s.reader)
	if err != nil {
		return fmt.Errorf("open store %s: %w", path, err)
	}
	switch {
	case v < len(ms):
		return fmt.Errorf("open store %s: schema version %d, this village needs %d; run `village serve` or `village fetch` once to upgrade it: %w",
			path, v, len(ms), ErrSchemaOld)
	case v > len(ms):
		return fmt.Errorf("open store %s: schema version %d, this village knows %d: %w", path, v, len(ms), ErrSchemaTooNew)
	}
	return nil
}
