// Package store keeps village's sources and de-duplicated entries in SQLite; all SQL lives here.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ErrNotFound is returned when a source asked for by ID does not exist.
var ErrNotFound = errors.New("store: not found")

// ErrSchemaTooNew is returned by Open when the database was migrated by a
// newer village than this binary: running old code on it could corrupt it.
var ErrSchemaTooNew = errors.New("store: database schema is newer than this binary")

// Store is village's SQLite database. It holds two pools on the same file:
// a single-connection writer, so that every write queues in this process
// instead of failing with "database is locked", and a reader pool, which WAL
// lets run beside the writer. A Store is safe for concurrent use.
type Store struct {
	writer *sql.DB
	reader *sql.DB
	stmts  *statements
	// written and read are the other statements of the writer's and the
	// readers' pools, prepared when the store opens (see queries.go).
	written, read *queries
	readOnly      bool // OpenReadOnly: writer and reader are one read-only pool
	commits       committer
	readings      *readings   // candidates' texts as read, across refreshes
	keys          *searchKeys // the near-duplicate index's keys in memory
	// stopFill ends the goroutine that fills keys (at Open, and again when
	// another process wrote); filling is done when it has ended.
	stopFill context.CancelFunc
	filling  sync.WaitGroup
	trouble  trouble // what fails in the background, for the log

	// afterEntry, when set by a test, runs after each entry SaveRefresh
	// handles; an error from it aborts the refresh.
	afterEntry func(n int) error
	// onQueue, when set by a test, is told how many refreshes wait for the
	// writer each time SaveRefresh queues one.
	onQueue func(waiting int)
}

// Open opens (creating if needed) the database at path, checks that it runs
// in WAL mode and applies any pending migration.
func Open(ctx context.Context, path string) (*Store, error) {
	// The two pools must reach the same file: an in-memory or temporary
	// database would be a different one on every connection.
	if path == "" || strings.HasPrefix(path, ":memory:") {
		return nil, fmt.Errorf("open store: %q is not a file path", path)
	}
	writer, err := sql.Open("sqlite", writerDSN(path))
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	// One connection, kept for the life of the Store: the writer's prepared
	// statements stay valid and writes queue here rather than in SQLite.
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	writer.SetConnMaxIdleTime(0)

	s := &Store{writer: writer, readings: newReadings()}
	if err := s.init(ctx, path); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("open store: %w", err)
	}
	return s, nil
}

func (s *Store) init(ctx context.Context, path string) error {
	if err := checkWAL(ctx, s.writer); err != nil {
		return err
	}
	if err := migrate(ctx, s.writer); err != nil {
		return err
	}
	reader, err := sql.Open("sqlite", readerDSN(path))
	if err != nil {
		return err
	}
	n := max(4, runtime.GOMAXPROCS(0))
	reader.SetMaxOpenConns(n)
	reader.SetMaxIdleConns(n)
	s.reader = reader
	if err := reader.PingContext(ctx); err != nil {
		return err
	}
	if s.stmts, err = prepare(ctx, s.writer); err != nil {
		return err
	}
	if s.written, err = newQueries(ctx, s.writer, writtenSQL...); err != nil {
		return err
	}
	if s.read, err = newQueries(ctx, s.reader, readSQL...); err != nil {
		return err
	}
	return s.openSearchKeys(ctx)
}

// writerDSN asks for WAL (readers never block the writer), a busy timeout
// for other processes such as the CLI, enforced foreign keys, NORMAL sync
// (durable at checkpoints, safe with WAL) and BEGIN IMMEDIATE, so that a
// write transaction takes the lock up front instead of failing on upgrade.
//
// Two settings are for the cost of a refresh. temp_store(MEMORY) keeps
// statement journals in memory: every statement that writes several rows
// (an entry's keys, its search keys through a trigger) saves the pages it
// changes there first, and SQLite's default spills them to a temporary
// file past 64 KiB, a write call per page. cache_size(-8192) gives the
// writer 8 MiB of page cache instead of 2 MiB: a group of refreshes (see
// batch.go) changes a few thousand index pages scattered over the
// near-duplicate and key indexes, which no longer spill to the WAL before
// the commit (to be written again, with their checksums, at commit) or get
// read back from the file by the next group. 16 MiB of cache saved few
// more reads. The readers keep the default; all pages come from one pool
// (see pagecache.go).
//
// wal_autocheckpoint(10000) lets the WAL grow to about 40 MiB, not 4,
// before its pages are copied into the database: the index pages every
// group changes are copied (and synced) once per 10,000 pages written, not
// ten times. A cold ingest of 1,000 feeds x 30 wrote 17% fewer bytes with
// 15% fewer I/O calls and took 2–4% less CPU (four runs each). The WAL
// file keeps its largest size on disk. A crash of the process loses no
// commit (each is in the WAL); a power cut, with synchronous(NORMAL), may
// take back the polls since the last checkpoint, now more of them, whole
// (entries with their validators): they are fetched again.
func writerDSN(path string) string {
	return "file:" + escapePath(path) +
		"?_pragma=busy_timeout(5000)" +
		"&_pragma=journal_mode(WAL)" +
		"&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(NORMAL)" +
		"&_pragma=temp_store(MEMORY)" +
		"&_pragma=cache_size(-8192)" +
		"&_pragma=wal_autocheckpoint(10000)" +
		"&_txlock=immediate"
}

// readerDSN leaves the journal mode alone (WAL is a property of the file,
// set by the writer) and makes the connections query-only.
func readerDSN(path string) string {
	return "file:" + escapePath(path) +
		"?_pragma=busy_timeout(5000)" +
		"&_pragma=foreign_keys(1)" +
		"&_pragma=query_only(1)"
}

// escapePath keeps a file name with '?', '#' or '%' from being read as part
// of the URI that the file: form hands to SQLite.
var escapePath = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace

// checkWAL fails when SQLite silently kept another journal mode, as it does
// on file systems without shared memory: the two-pool design relies on WAL.
func checkWAL(ctx context.Context, db *sql.DB) error {
	var mode string
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return fmt.Errorf("check journal mode: %w", err)
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("check journal mode: got %q, want wal", mode)
	}
	return nil
}

// Close releases both pools. It runs PRAGMA optimize first so that the
// query planner's statistics follow the data.
func (s *Store) Close() error {
	if s.readOnly {
		if err := errors.Join(s.read.close(), s.reader.Close()); err != nil {
			return fmt.Errorf("close store: %w", err)
		}
		return nil
	}
	if s.stopFill != nil {
		s.stopFill()
		s.filling.Wait()
	}
	var errs []error
	if s.stmts != nil {
		errs = append(errs, s.stmts.close())
	}
	errs = append(errs, s.written.close(), s.read.close())
	if s.writer != nil {
		if s.stmts != nil {
			_, err := s.writer.Exec("PRAGMA optimize")
			errs = append(errs, err)
		}
		errs = append(errs, s.writer.Close())
	}
	if s.reader != nil {
		errs = append(errs, s.reader.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close store: %w", err)
	}
	return nil
}

// Ping checks that both pools can reach the database, for health checks.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.writer.PingContext(ctx); err != nil {
		return fmt.Errorf("ping store: %w", err)
	}
	if err := s.reader.PingContext(ctx); err != nil {
		return fmt.Errorf("ping store: %w", err)
	}
	return nil
}
