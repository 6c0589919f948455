package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Backup writes a consistent copy of the database to path with VACUUM INTO.
// It runs on a reader connection, as one read transaction, so the daemon
// keeps writing meanwhile and the copy is the database as of its start. It
// refuses to overwrite anything at path (the error wraps fs.ErrExist).
func (s *Store) Backup(ctx context.Context, path string) error {
	if err := s.backup(ctx, path); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

func (s *Store) backup(ctx context.Context, path string) error {
	if path == "" {
		return errors.New("empty path")
	}
	if _, err := os.Lstat(path); err == nil {
		return fs.ErrExist
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	// SQLite reads a "file:" name as a URI when URIs are on, as they are
	// here: a relative "file:x" path is not worth the surprise.
	if len(path) >= 5 && path[:5] == "file:" {
		return errors.New(`a path starting with "file:" is ambiguous; write ./file:...`)
	}
	// The reader pool is query-only, which SQLite takes to forbid VACUUM
	// INTO as well; a connection of its own reads the same WAL snapshot
	// rules without that flag and is gone afterwards.
	file, err := s.fileName(ctx)
	if err != nil {
		return err
	}
	// mode=ro: a backup only reads, also beside a running daemon.
	db, err := sql.Open("sqlite", "file:"+escapePath(file)+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	_, err = db.ExecContext(ctx, `VACUUM INTO ?1`, path)
	return err
}

// fileName asks SQLite for the main database's file, as it opened it.
func (s *Store) fileName(ctx context.Context) (string, error) {
	var file string
	err := s.reader.QueryRowContext(ctx, `SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&file)
	if err != nil {
		return "", fmt.Errorf("database file: %w", err)
	}
	return file, nil
}
