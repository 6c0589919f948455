package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/villagefeeds/village/internal/model"
)

const sourceColumns = `id, url, name, homepage, tags, interval_ns, feed_id,
	feed_title, etag, last_modified, last_status, last_error, error_count,
	last_check, last_success, next_check, active, moved_to, gone, failing_since, face, canonical, slug, notes, last_problem, body_digest`

const activeSourcesSQL = `SELECT ` + sourceColumns + ` FROM sources
 WHERE active = 1 ORDER BY name, url`

// upsertSourceSQL keeps the polling state of a source that is already
// known: editing feeds.yaml must not reset validators or error counts.
const upsertSourceSQL = `
INSERT INTO sources (url, name, homepage, tags, interval_ns, face, canonical, active)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1)
    ON CONFLICT (url) DO UPDATE
   SET name = excluded.name, homepage = excluded.homepage, tags = excluded.tags,
       interval_ns = excluded.interval_ns, face = excluded.face, canonical = excluded.canonical, active = 1,
       -- Listing a removed source again asks for a fresh start.
       moved_to = iif(active = 0, '', moved_to), gone = iif(active = 0, 0, gone),
       -- Its items are read again, as are a source's that became, or
       -- stopped being, the canonical one: it may take over its copies.
       body_digest = iif(active = 0 OR canonical <> excluded.canonical, X'', body_digest),
       -- A shorter interval takes effect now, not after the old wait;
       -- back to the planet's default (0) checks once at once.
       next_check = CASE
           WHEN active = 0 AND gone = 1 THEN 0
           WHEN excluded.interval_ns <> interval_ns THEN min(next_check, last_check + excluded.interval_ns)
           ELSE next_check END`

// SyncSources makes the active sources exactly srcs, matched by URL, in one
// transaction: new ones are inserted and due at once, known ones get the
// configured name, homepage, tags, interval and face and are re-activated with
// their polling state, and the rest are deactivated (their entries are kept
// but hidden). Every active source has a slug afterwards (assignSlugs). It
// returns the active sources as stored.
func (s *Store) SyncSources(ctx context.Context, srcs []model.Source) ([]model.Source, error) {
	out, err := s.syncSources(ctx, srcs)
	if err != nil {
		return nil, fmt.Errorf("sync sources: %w", err)
	}
	return out, nil
}

func (s *Store) syncSources(ctx context.Context, srcs []model.Source) ([]model.Source, error) {
	urls := make([]string, len(srcs))
	for i, src := range srcs {
		if src.URL == "" {
			return nil, fmt.Errorf("source %d (%q): empty url", i, src.Name)
		}
		urls[i] = src.URL
	}
	urlList, err := json.Marshal(urls)
	if err != nil {
		return nil, err
	}

	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit

	upsert, err := tx.PrepareContext(ctx, upsertSourceSQL)
	if err != nil {
		return nil, err
	}
	defer upsert.Close()
	for _, src := range srcs {
		_, err := upsert.ExecContext(ctx, src.URL, src.Name, src.Homepage,
			encodeList(src.Tags), int64(src.Interval), src.Face, src.Canonical)
		if err != nil {
			return nil, fmt.Errorf("upsert %s: %w", src.URL, err)
		}
	}
	_, err = tx.ExecContext(ctx, `UPDATE sources SET active = 0
		WHERE active = 1 AND url NOT IN (SELECT value FROM json_each(?1))`, string(urlList))
	if err != nil {
		return nil, fmt.Errorf("deactivate: %w", err)
	}
	if err := handOver(ctx, tx); err != nil {
		return nil, fmt.Errorf("hand over entries of removed sources: %w", err)
	}
	if err := assignSlugs(ctx, tx); err != nil {
		return nil, err
	}
	out, err := querySources(ctx, tx, activeSourcesSQL)
	if err != nil {
		return nil, err
	}
	return out, tx.Commit()
}

// orphansSQL lists, for each entry whose source is no longer listed, the
// copies that listed sources carry, oldest recorded first.
const orphansSQL = `
SELECT e.id, a.rowid, a.source_id, a.guid, a.link, a.rule
  FROM sources AS s
  JOIN entries AS e ON e.source_id = s.id
  JOIN alternates AS a ON a.entry_id = e.id
  JOIN sources AS sa ON sa.id = a.source_id AND sa.active = 1
 WHERE s.active = 0
 ORDER BY e.id, a.rowid`

// handOver gives each entry of a removed source that a listed source also
// carries to that source, so that removing the blog a post was first seen on
// does not hide the copies still listed. The removed source's copy becomes
// an alternate (hidden while it is removed); see heir.inherit.
func handOver(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, orphansSQL)
	if err != nil {
		return err
	}
	var heirs []heir
	for rows.Next() {
		var h heir
		if err := rows.Scan(&h.entry, &h.altRow, &h.source, &h.guid, &h.link, &h.rule); err != nil {
			rows.Close()
			return err
		}
		if len(heirs) == 0 || heirs[len(heirs)-1].entry != h.entry {
			heirs = append(heirs, h)
		}
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return err
	}
	rows.Close()
	for _, h := range heirs {
		if err := h.inherit(ctx, tx); err != nil {
			return err
		}
	}
	return nil
}

// heir is a copy of an entry, recorded as its alternate (rowid altRow),
// that is to become the entry.
type heir struct {
	entry, altRow, source int64
	guid, link, rule      string
}

// inherit makes h's copy the entry, and the entry's copy its alternate.
// The entry keeps its public id; its fingerprint is cleared, and the
// heir's body digest, so that the heir's next fetch stores its own version
// of the fields.
func (h heir) inherit(ctx context.Context, tx *sql.Tx) error {
	// The two copies are one post for the reason the heir's was recorded;
	// the demoted copy keeps it.
	if _, err := tx.ExecContext(ctx, demoteOwnerSQL, h.entry, h.rule); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM alternates WHERE rowid = ?1`, h.altRow); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE entries SET source_id = ?2, guid = ?3, link = ?4, fingerprint = X''
		WHERE id = ?1`, h.entry, h.source, h.guid, h.link)
	if err != nil {
		return err
	}
	// The heir's next body is read whole, even if it is the same.
	_, err = tx.ExecContext(ctx, `UPDATE sources SET body_digest = X'' WHERE id = ?1`, h.source)
	return err
}

// Sources returns the active sources ordered by name, then URL.
func (s *Store) Sources(ctx context.Context) ([]model.Source, error) {
	out, err := querySources(ctx, s.reader, activeSourcesSQL)
	if err != nil {
		return nil, fmt.Errorf("list sources: %w", err)
	}
	return out, nil
}

// Source returns one source, active or not, or ErrNotFound.
func (s *Store) Source(ctx context.Context, id int64) (model.Source, error) {
	row := s.reader.QueryRowContext(ctx, `SELECT `+sourceColumns+` FROM sources WHERE id = ?1`, id)
	src, err := scanSource(row)
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNotFound
	}
	if err != nil {
		return model.Source{}, fmt.Errorf("get source %d: %w", id, err)
	}
	return src, nil
}

// NextCheck returns the earliest next check of the active sources that
// are not gone and that settled accepts (the scheduler passes by those
// being polled, whose rows are about to change). It reads only ids and
// times, in the order of the due index, and stops at the first accepted:
// the scheduler asks after every round, and reading every source's row
// for one time cost a planet of 10,000 sources 10,000 rows a wake. ok is
// false when no source is accepted.
func (s *Store) NextCheck(ctx context.Context, settled func(id int64) bool) (next time.Time, ok bool, err error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT id, next_check FROM sources
		WHERE active = 1 AND gone = 0 ORDER BY next_check, id`)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next check: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, at int64
		if err := rows.Scan(&id, &at); err != nil {
			return time.Time{}, false, fmt.Errorf("next check: %w", err)
		}
		if settled(id) {
			return fromNanos(at), true, nil
		}
	}
	if err := rows.Err(); err != nil {
		return time.Time{}, false, fmt.Errorf("next check: %w", err)
	}
	return time.Time{}, false, nil
}

// DueSources returns the active sources whose next check is not after now,
// the longest overdue first, so a backlog drains in a fair order. Gone
// sources are never due.
func (s *Store) DueSources(ctx context.Context, now time.Time) ([]model.Source, error) {
	out, err := querySources(ctx, s.reader, `SELECT `+sourceColumns+` FROM sources
		WHERE active = 1 AND gone = 0 AND next_check <= ?1 ORDER BY next_check, id`, toNanos(now))
	if err != nil {
		return nil, fmt.Errorf("list due sources: %w", err)
	}
	return out, nil
}

// MarkNotModified records a 304: the check succeeded and the stored entries
// are current. An empty etag or lastModified keeps the stored one, since a
// 304 need not repeat its validators.
func (s *Store) MarkNotModified(ctx context.Context, sourceID int64, checkedAt, nextCheck time.Time, etag, lastModified string) error {
	_, err := s.MarkUnchanged(ctx, sourceID, Unchanged{CheckedAt: checkedAt, NextCheck: nextCheck,
		Status: http.StatusNotModified, ETag: etag, LastModified: lastModified})
	return err
}

// Unchanged is a poll that found nothing to store: a 304, or a body whose
// digest is the one the source's last refresh stored (Digest).
type Unchanged struct {
	CheckedAt, NextCheck time.Time
	Status               int
	ETag, LastModified   string // empty ones keep the stored ones
	Digest               []byte // nil for a 304
}

// MarkUnchanged records a successful check that changed nothing. Given a
// Digest, it records nothing and returns false when the source's stored
// digest is no longer that one (a removed source's entries passed to it
// since it was read, say): the body must then be read whole.
func (s *Store) MarkUnchanged(ctx context.Context, sourceID int64, u Unchanged) (bool, error) {
	var marked bool
	_, err := s.inGroup(ctx, func(ctx context.Context, tx *sql.Tx) (Result, error) {
		var err error
		marked, err = s.markUnchanged(ctx, tx, sourceID, u)
		return Result{}, err
	})
	return marked, err
}

// markUnchangedSQL records a check of source ?1 that changed nothing; with
// a body digest ?7, only when it is still the stored one.
const markUnchangedSQL = `
UPDATE sources
   SET etag = iif(?4 = '', etag, ?4),
       last_modified = iif(?5 = '', last_modified, ?5),
       last_status = ?6, last_error = '', last_problem = '', error_count = 0,
       last_check = ?2, last_success = ?2, next_check = ?3
 WHERE id = ?1 AND (?7 IS NULL OR body_digest = ?7)`

// markUnchanged is MarkUnchanged inside tx.
func (s *Store) markUnchanged(ctx context.Context, tx *sql.Tx, sourceID int64, u Unchanged) (bool, error) {
	var digest any // NULL for a 304
	if u.Digest != nil {
		digest = u.Digest
	}
	update, err := s.written.in(ctx, tx, markUnchangedSQL)
	if err != nil {
		return false, fmt.Errorf("mark source %d unchanged: %w", sourceID, err)
	}
	res, err := update.ExecContext(ctx,
		sourceID, toNanos(u.CheckedAt), toNanos(u.NextCheck), u.ETag, u.LastModified, u.Status, digest)
	if err != nil {
		return false, fmt.Errorf("mark source %d unchanged: %w", sourceID, err)
	}
	if u.Digest != nil {
		n, err := res.RowsAffected()
		return n == 1, err
	}
	if err := mustAffect(res); err != nil {
		return false, fmt.Errorf("mark source %d unchanged: %w", sourceID, err)
	}
	return true, nil
}

// Failure is one failed poll of a source.
type Failure struct {
	CheckedAt, NextCheck time.Time
	Status               int    // HTTP status, 0 when no server answered
	Err                  string // the full error, secrets already redacted
	Problem              string // the error in plain words, for the public page
}

// failingSinceSQL starts a run of failures at this check, or keeps the
// start of the run under way. A success sets error_count to 0, which ends
// the run; scanSource hides the stale start until the next failure.
const failingSinceSQL = `failing_since = iif(error_count = 0 OR failing_since = 0, ?4, failing_since)`

// MarkFailed records a failed poll: the error and status for the status
// page, one more consecutive failure, when the run of failures began, and
// when to try again. Validators and entries are kept.
func (s *Store) MarkFailed(ctx context.Context, sourceID int64, f Failure) error {
	err := s.execInGroup(ctx, `UPDATE sources
		   SET last_status = ?2, last_error = ?3, error_count = error_count + 1,
		       last_check = ?4, next_check = ?5, last_problem = ?6, `+failingSinceSQL+`
		 WHERE id = ?1`,
		sourceID, f.Status, f.Err, toNanos(f.CheckedAt), toNanos(f.NextCheck), f.Problem)
	if err != nil {
		return fmt.Errorf("mark source %d failed: %w", sourceID, err)
	}
	return nil
}

// execInGroup runs query, which must change a row, in the next group
// commit (see batch.go): the outcome of a poll is one row of sources, and
// a commit of its own cost more than the change. A host that is down fails
// the polls of all its sources at once.
func (s *Store) execInGroup(ctx context.Context, query string, args ...any) error {
	_, err := s.inGroup(ctx, func(ctx context.Context, tx *sql.Tx) (Result, error) {
		res, err := tx.ExecContext(ctx, query, args...)
		if err != nil {
			return Result{}, err
		}
		return Result{}, mustAffect(res)
	})
	return err
}

// mustAffect turns an UPDATE that matched no row into ErrNotFound.
func mustAffect(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func querySources(ctx context.Context, q queryer, query string, args ...any) ([]model.Source, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Source
	for rows.Next() {
		src, err := scanSource(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, src)
	}
	return out, rows.Err()
}

type scanner interface{ Scan(dest ...any) error }

func scanSource(sc scanner) (model.Source, error) {
	var (
		src                                       model.Source
		tags, notes                               string
		interval, lastCheck, lastSuccess, nextChk int64
		failingSince                              int64
	)
	err := sc.Scan(&src.ID, &src.URL, &src.Name, &src.Homepage, &tags, &interval,
		&src.FeedID, &src.FeedTitle, &src.ETag, &src.LastModified, &src.LastStatus,
		&src.LastError, &src.ErrorCount, &lastCheck, &lastSuccess, &nextChk, &src.Active,
		&src.MovedTo, &src.Gone, &failingSince, &src.Face, &src.Canonical, &src.Slug, &notes, &src.LastProblem, &src.BodyDigest)
	if err != nil {
		return model.Source{}, err
	}
	if src.Tags, err = decodeList(tags); err != nil {
		return model.Source{}, err
	}
	if src.Notes, err = decodeList(notes); err != nil {
		return model.Source{}, err
	}
	src.Interval = time.Duration(interval)
	src.LastCheck, src.LastSuccess, src.NextCheck = fromNanos(lastCheck), fromNanos(lastSuccess), fromNanos(nextChk)
	if src.ErrorCount > 0 {
		src.FailingSince = fromNanos(failingSince)
	}
	return src, nil
}
