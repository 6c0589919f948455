package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"time"

	_ "modernc.org/sqlite" // the database of the planet fetched
)

// dedup prints what finding cross-posts that are not word for word costs
// on the planet `village fetch` just stored in db: the size of its search
// index and of the texts it keeps, per 10,000 entries; a cold `village
// fetch` with near-duplicate detection off, beside the one with it (with);
// and a `village dedup rescan` of what that one stored, as after an upgrade
// from a village that compared exact keys only: every entry is read again
// and the farm's cross-posts, stored as entries of their own, must become
// alternates, as ingest makes them.
func (b *bench) dedup(ctx context.Context, urls []string, db string, with cost, stored int) error {
	index, texts, err := dedupSizes(ctx, db)
	if err != nil {
		return err
	}
	per := func(n int64) string { return bytesize(n * 10000 / int64(max(stored, 1))) }
	b.row("  near-duplicates", "search index "+per(index)+" and texts "+per(texts)+" per 10,000 entries")

	offConfig, offDB, err := b.writeConfig("fetch-exact", urls, "dedup:\n  near_duplicates: false\n")
	if err != nil {
		return err
	}
	defer removeDB(offDB)
	// The farm's cross-posts add lines around the copied post: without
	// near-duplicates they are stored as entries of their own.
	without, err := b.fetchWith(ctx, "  fetch, exact only", offConfig, -1)
	if err != nil {
		return err
	}
	extra := with.cpu - without.cpu
	b.row("  near-duplicates cost", fmt.Sprintf("%+.1f%% CPU of a cold fetch, %s CPU per entry",
		100*float64(extra)/float64(without.cpu), time.Duration(int64(extra)/int64(max(stored, 1)))))
	return b.rescan(ctx, urls, offDB, stored)
}

// rescan runs `village dedup rescan`, near-duplicates on, over the database
// at exactDB, stored with them off, and prints its row: it must leave as
// many entries as a fetch with them on stored (want).
func (b *bench) rescan(ctx context.Context, urls []string, exactDB string, want int) error {
	config, db, err := b.writeConfig("rescan", urls)
	if err != nil {
		return err
	}
	defer removeDB(db)
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Rename(exactDB+suffix, db+suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	c, out, err := measure(exec.CommandContext(ctx, b.village, "dedup", "rescan", "--config", config))
	if err != nil {
		return err
	}
	m := regexp.MustCompile(`rescanned (\d+) entries: (\d+) merged`).FindSubmatch(out)
	if m == nil {
		return fmt.Errorf("village dedup rescan printed no total:\n%s", out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	merged, _ := strconv.Atoi(string(m[2]))
	b.row("  dedup rescan", c.String(), fmt.Sprintf("%d entries, %.0f entries/s, %d merged", n, float64(n)/c.wall.Seconds(), merged))
	if n-merged != want {
		b.warn("a rescan of the %d entries stored without near-duplicates left %d, not %d as a fetch with them", n, n-merged, want)
	}
	return nil
}

// dedupSizes reads the bytes the near-duplicate search index and the kept
// texts take in the database at path.
func dedupSizes(ctx context.Context, path string) (index, texts int64, err error) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return 0, 0, err
	}
	defer db.Close()
	const q = `SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = ?1`
	if err := db.QueryRowContext(ctx, `SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN (?1, ?2)`, "entry_bands", "entry_bands_new").Scan(&index); err != nil {
		return 0, 0, fmt.Errorf("size of the search index: %w", err)
	}
	if err := db.QueryRowContext(ctx, q, "entry_texts").Scan(&texts); err != nil {
		return 0, 0, fmt.Errorf("size of the texts: %w", err)
	}
	return index, texts, nil
}
