package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// queries keeps the statements of a pool, by their SQL, prepared once.
// Preparing costs about as much as running a small statement, and a poll
// runs a few for every source besides the refresh path's own
// (statements.go): a warm poll of 1,000 sources, 900 of them 304s, spent
// 6% of its CPU preparing them again.
//
// They are all prepared when the store opens (writtenSQL, readSQL), never
// on first use: the writer has one connection, which the transaction that
// asks for a statement holds, so a statement prepared then would wait for
// it for ever; and a reader that holds a connection while it waits for
// another is how a pool runs dry.
type queries struct {
	m map[string]*sql.Stmt // read-only once made
}

// newQueries prepares the queries given on db.
func newQueries(ctx context.Context, db *sql.DB, all ...string) (*queries, error) {
	q := &queries{m: map[string]*sql.Stmt{}}
	for _, query := range all {
		st, err := db.PrepareContext(ctx, query)
		if err != nil {
			_ = q.close()
			return nil, fmt.Errorf("prepare: %w", err)
		}
		q.m[query] = st
	}
	return q, nil
}

// stmt returns query's statement; a query not prepared when the store
// opened is a mistake of the caller's.
func (q *queries) stmt(_ context.Context, query string) (*sql.Stmt, error) {
	if st, ok := q.m[query]; ok {
		return st, nil
	}
	return nil, fmt.Errorf("statement not prepared when the store opened: %.60q", query)
}

// in returns query's statement bound to tx, which must be of q's pool.
func (q *queries) in(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	st, err := q.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return tx.StmtContext(ctx, st), nil
}

// queryRow runs query in tx (nil: on q's pool) for one row; a failed
// prepare is returned by Scan, as database/sql's own QueryRow does.
func (q *queries) queryRow(ctx context.Context, tx *sql.Tx, query string, args ...any) rowScanner {
	st, err := q.stmt(ctx, query)
	if err != nil {
		return errRow{err}
	}
	if tx != nil {
		st = tx.StmtContext(ctx, st)
	}
	return st.QueryRowContext(ctx, args...)
}

// rowScanner is *sql.Row, or the error that kept a row from being asked for.
type rowScanner interface{ Scan(dest ...any) error }

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// close closes every statement prepared.
func (q *queries) close() error {
	if q == nil {
		return nil
	}
	var errs []error
	for _, st := range q.m {
		errs = append(errs, st.Close()) // a later use says "closed"
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close statements: %w", err)
	}
	return nil
}

// writtenSQL are the statements the writer runs outside the refresh path's
// own, prepared when the store opens (see queries).
var writtenSQL = []string{markUnchangedSQL, bodyDigestSQL, knownKeysSQL, pageCutoffSQL, dataVersionSQL}

// readSQL are the statements the readers run for the refresh path.
var readSQL = []string{edgeWindowSQL, learnedSQL, storedDigestsSQL, ownItemSQL}

const (
	bodyDigestSQL  = `SELECT body_digest FROM sources WHERE id = ?1`
	dataVersionSQL = `PRAGMA data_version`
	edgeWindowSQL  = `SELECT edge_window FROM sources WHERE id = ?1`
	learnedSQL     = `SELECT edge_window, boilerplate FROM sources WHERE id = ?1`
)
