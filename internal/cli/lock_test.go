//go:build unix

package cli

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/farm"
)

// fileState is what a write to the database would change.
func fileState(t *testing.T, db string) string {
	t.Helper()
	var b strings.Builder
	for _, f := range []string{db, db + "-wal"} {
		if fi, err := os.Stat(f); err == nil {
			fmt.Fprintf(&b, "%s %d %v; ", filepath.Base(f), fi.Size(), fi.ModTime().UnixNano())
		}
	}
	return b.String()
}

// TestOneDaemonPerDatabase runs `village serve` in a second process; a
// serve or a fetch beside it exits 1 at once naming the database and the
// first one's pid, while the commands that only read work beside it and
// write nothing.
func TestOneDaemonPerDatabase(t *testing.T) {
	const feeds = 3
	cfg, db := farmPlanet(t, farm.Options{Feeds: feeds, Entries: 3, Hosts: 1})
	dir := filepath.Dir(db)

	daemon, log := child(t, "serve", "--config", cfg, "--listen", "127.0.0.1:0")
	t.Cleanup(func() {
		daemon.Process.Signal(syscall.SIGTERM)
		for log.Scan() {
		}
		if err := daemon.Wait(); err != nil {
			t.Errorf("the daemon did not stop cleanly: %v", err)
		}
	})
	waitLines(t, log, feeds) // every source stored; the daemon is idle for an hour

	start := time.Now()
	code, _, stderr := run(t, "serve", "--config", cfg, "--listen", "127.0.0.1:0")
	want := fmt.Sprintf("%s is in use by village serve (pid %d)", db, daemon.Process.Pid)
	if code != 1 || !strings.Contains(stderr, want) {
		t.Errorf("second serve: exit %d, stderr %q; want 1 and %q", code, stderr, want)
	}
	t.Logf("the second serve gave up after %v", time.Since(start))

	before := fileState(t, db)
	code, stdout, stderr := run(t, "fetch", "--config", cfg)
	hint := fmt.Sprintf("kill -USR1 %d makes it poll them all now", daemon.Process.Pid)
	if code != 1 || !strings.Contains(stderr, want) || !strings.Contains(stderr, hint) || stdout != "" {
		t.Errorf("fetch beside the daemon: exit %d, stdout %q, stderr %q; want 1 and %q, %q", code, stdout, stderr, want, hint)
	}
	for _, args := range [][]string{
		{"feeds"},
		{"feeds", "--json"},
		{"check", "--fetch"},
		{"build", "--out", filepath.Join(dir, "public")},
		{"backup", filepath.Join(dir, "backup.db")},
		{"export"},
	} {
		if code, _, stderr := run(t, append(args, "--config", cfg)...); code != 0 {
			t.Errorf("village %s beside the daemon: exit %d: %s", strings.Join(args, " "), code, stderr)
		}
	}
	if after := fileState(t, db); after != before {
		t.Errorf("fetch or the read-only commands wrote to the database:\nbefore %s\nafter  %s", before, after)
	}
}

// TestReadOnlyCommandsDoNotMigrate gives `village feeds` and `village
// build` a database of an older schema: they say so and leave it as it is.
func TestReadOnlyCommandsDoNotMigrate(t *testing.T) {
	dir := t.TempDir()
	cfg, db := filepath.Join(dir, "feeds.yaml"), filepath.Join(dir, "village.db")
	writeFile(t, cfg, "feeds:\n  - url: https://a.example/feed\n")
	if code, _, stderr := run(t, "prune", "--max-age", "365d", "--config", cfg); code != 0 { // creates the database
		t.Fatalf("prune: %d %s", code, stderr)
	}
	conn, err := sql.Open("sqlite", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Exec("PRAGMA user_version = 2"); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"feeds"}, {"build", "--out", filepath.Join(dir, "public")}, {"backup", filepath.Join(dir, "b.db")}} {
		code, _, stderr := run(t, append(args, "--config", cfg)...)
		if code != 1 || !strings.Contains(stderr, "schema version 2, this village needs") || !strings.Contains(stderr, "to upgrade it") {
			t.Errorf("village %s: exit %d, stderr %q; want a clear refusal", args[0], code, stderr)
		}
	}
	var v int
	if err := conn.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != 2 {
		t.Errorf("user_version = %d (%v); a read-only command migrated the database", v, err)
	}
}
