package main

import (
	"context"
	"database/sql"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"time"

	_ "modernc.org/sqlite" // the database of the planet fetched
)

// dedup prints what finding cross-posts that are not word for word costs
// on the planet `village fetch` just stored in db: the size of its search
// index and of the texts it keeps, per 10,000 entries; a `village dedup
// rescan` of every stored entry; and a cold `village fetch` with
// near-duplicate detection off, beside the one with it (with).
func (b *bench) dedup(ctx context.Context, urls []string, config, db string, with cost, stored int) error {
	index, texts, err := dedupSizes(ctx, db)
	if err != nil {
		return err
	}
	per := func(n int64) string { return bytesize(n * 10000 / int64(max(stored, 1))) }
	b.row("  near-duplicates", "search index "+per(index)+" and texts "+per(texts)+" per 10,000 entries")

	c, out, err := measure(exec.CommandContext(ctx, b.village, "dedup", "rescan", "--config", config))
	if err != nil {
		return err
	}
	m := regexp.MustCompile(`rescanned (\d+) entries: (\d+) merged`).FindSubmatch(out)
	if m == nil {
		return fmt.Errorf("village dedup rescan printed no total:\n%s", out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	b.row("  dedup rescan", c.String(), fmt.Sprintf("%d entries, %.0f entries/s, %s merged", n, float64(n)/c.wall.Seconds(), m[2]))
	if string(m[2]) != "0" {
		b.warn("a rescan merged %s entries that ingest kept apart", m[2])
	}

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
