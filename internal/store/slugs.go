package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/villagefeeds/village/internal/model"
)

// assignSlugs gives every active source without a slug one, inside the
// sync's transaction: model.SlugBase, made unique against every slug in
// use. A slug, once given, stays with its source, also while the source is
// removed and its entries are kept (it comes back with them); only a
// removed source with no entry left gives its slug up. Sources get theirs
// in ID order, which for a database from before slugs were stored gives
// every source the slug it already had.
func assignSlugs(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE sources SET slug = ''
		 WHERE active = 0 AND slug <> ''
		   AND NOT EXISTS (SELECT 1 FROM entries WHERE entries.source_id = sources.id)`)
	if err != nil {
		return fmt.Errorf("release slugs: %w", err)
	}
	taken, err := takenSlugs(ctx, tx)
	if err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, name, url FROM sources WHERE active = 1 AND slug = '' ORDER BY id`)
	if err != nil {
		return fmt.Errorf("sources without slug: %w", err)
	}
	type unnamed struct {
		id        int64
		name, url string
	}
	var todo []unnamed
	for rows.Next() {
		var u unnamed
		if err := rows.Scan(&u.id, &u.name, &u.url); err != nil {
			rows.Close()
			return fmt.Errorf("sources without slug: %w", err)
		}
		todo = append(todo, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sources without slug: %w", err)
	}
	for _, u := range todo {
		slug := model.UniqueSlug(model.SlugBase(u.name, u.url), taken)
		if _, err := tx.ExecContext(ctx, `UPDATE sources SET slug = ?2 WHERE id = ?1`, u.id, slug); err != nil {
			return fmt.Errorf("give source %d slug %q: %w", u.id, slug, err)
		}
	}
	return nil
}

func takenSlugs(ctx context.Context, tx *sql.Tx) (map[string]bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT slug FROM sources WHERE slug <> ''`)
	if err != nil {
		return nil, fmt.Errorf("slugs in use: %w", err)
	}
	defer rows.Close()
	taken := map[string]bool{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("slugs in use: %w", err)
		}
		taken[s] = true
	}
	return taken, rows.Err()
}
