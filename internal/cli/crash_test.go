//go:build unix

package cli

import (
	"bufio"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/farm"
)

// child starts this test binary as `village args...` with its stderr (the
// log) on a pipe.
func child(t *testing.T, args ...string) (*exec.Cmd, *bufio.Scanner) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, bufio.NewScanner(stderr)
}

// farmPlanet serves a loopback farm of o for the test and writes a
// feeds.yaml that lists its feeds, polled hourly; it returns the config's
// path and the database's.
func farmPlanet(t *testing.T, o farm.Options) (cfg, db string) {
	t.Helper()
	fm, err := farm.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fm.Close() })
	dir := t.TempDir()
	cfg, db = filepath.Join(dir, "feeds.yaml"), filepath.Join(dir, "village.db")
	var b strings.Builder
	b.WriteString("title: Farm\nlink: https://planet.example.org/\ninterval: 1h\n")
	b.WriteString("allow_private_networks: true # the farm listens on loopback\nfeeds:\n")
	for _, u := range fm.URLs() {
		fmt.Fprintf(&b, "  - url: %s\n", u)
	}
	writeFile(t, cfg, b.String())
	return cfg, db
}

// item is one post of one source, as stored: as an entry or an alternate,
// known by its guid, or by its link when it has none.
type item struct{ source, key string }

// storedItems reads every stored post by source, and fails the test when
// one is stored twice.
func storedItems(t *testing.T, db *sql.DB) map[item]bool {
	t.Helper()
	rows, err := db.Query(`SELECT s.url, iif(e.guid = '', e.link, e.guid) FROM entries e JOIN sources s ON s.id = e.source_id
		UNION ALL SELECT s.url, iif(a.guid = '', a.link, a.guid) FROM alternates a JOIN sources s ON s.id = a.source_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[item]bool{}
	for rows.Next() {
		var it item
		if err := rows.Scan(&it.source, &it.key); err != nil {
			t.Fatal(err)
		}
		if out[it] {
			t.Errorf("stored twice: %+v", it)
		}
		out[it] = true
	}
	return out
}

// checkDatabase runs PRAGMA integrity_check, and checks that no post known
// before is gone and that each source has all of its posts or none: a
// refresh is one transaction.
func checkDatabase(t *testing.T, path string, before map[item]bool, perFeed int) map[item]bool {
	t.Helper()
	if _, err := os.Stat(path); os.IsNotExist(err) && len(before) == 0 {
		return nil // killed before it created the database
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var check string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q, %v", check, err)
	}
	now := storedItems(t, db)
	for it := range before {
		if !now[it] {
			t.Errorf("lost after a crash: %+v", it)
		}
	}
	bySource := map[string]int{}
	for it := range now {
		bySource[it.source]++
	}
	for src, n := range bySource {
		if n != perFeed {
			t.Errorf("%s has %d of its %d posts: a refresh was stored in part", src, n, perFeed)
		}
	}
	return now
}

// TestCrashDuringIngest SIGKILLs `village serve` at random points of an
// ingest from a loopback farm, at least ten times, restarting it each time
// on the same database; then lets one last run finish. After every kill
// the database must pass integrity_check, keep every post it had, hold
// each source's posts all or none, and never one twice.
func TestCrashDuringIngest(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a daemon a dozen times")
	}
	const feeds, perFeed, kills = 60, 6, 10
	cfg, db := farmPlanet(t, farm.Options{Feeds: feeds, Entries: perFeed, Hosts: 4})

	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	var stored map[item]bool
	for i := range kills {
		remaining := feeds - len(stored)/perFeed
		// -1 kills before the daemon says it serves (while it opens,
		// migrates or syncs); n kills after the n-th stored source, with
		// other refreshes in flight.
		at := rng.IntN(max(2, remaining/6)+1) - 1
		cmd, log := child(t, "serve", "--config", cfg, "--listen", "127.0.0.1:0")
		waitLines(t, log, at)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		for log.Scan() { // the rest of the log, up to the kill
		}
		cmd.Wait()
		stored = checkDatabase(t, db, stored, perFeed)
		t.Logf("kill %d after %d refreshes: %d of %d sources stored", i+1, at, len(stored)/perFeed, feeds)
	}

	// A last poll of every source stores what the kills interrupted.
	if code, _, stderr := run(t, "fetch", "--config", cfg); code != 0 {
		t.Fatalf("fetch after the crashes: exit %d: %s", code, stderr)
	}
	stored = checkDatabase(t, db, stored, perFeed)
	if len(stored) != feeds*perFeed {
		t.Errorf("%d posts stored, want all %d", len(stored), feeds*perFeed)
	}
}

// waitLines reads the log until the n-th "refreshed" line, or until the
// daemon says it serves when n is 0; it returns at once for n < 0.
func waitLines(t *testing.T, log *bufio.Scanner, n int) {
	t.Helper()
	if n < 0 {
		return
	}
	seen := 0
	for log.Scan() {
		line := log.Text()
		switch {
		case n == 0 && strings.Contains(line, "msg=serving"):
			return
		case strings.Contains(line, "msg=refreshed"):
			if seen++; seen == n {
				return
			}
		case strings.Contains(line, "level=ERROR"):
			t.Errorf("daemon: %s", line)
		}
	}
	t.Fatalf("the daemon's log ended after %d of %d refreshes: %v", seen, n, log.Err())
}
