package ingestbench

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mmcdole/gofeed"
	_ "modernc.org/sqlite"

	"github.com/villagefeeds/village/internal/config"
)

// floorSchema is the least a reader stores of an item.
const floorSchema = `
CREATE TABLE items (
	id        INTEGER PRIMARY KEY,
	feed      TEXT    NOT NULL,
	guid      TEXT    NOT NULL,
	link      TEXT    NOT NULL,
	title     TEXT    NOT NULL,
	author    TEXT    NOT NULL,
	content   TEXT    NOT NULL,
	published INTEGER NOT NULL
) STRICT`

const floorInsert = `INSERT INTO items (feed, guid, link, title, author, content, published) VALUES (?, ?, ?, ?, ?, ?, ?)`

// floor is issue 8's floor program: every feed fetched concurrently (as many
// connections and parsers at once as village's defaults allow), parsed with
// gofeed's default parser and its translators, and its items inserted into
// SQLite in one transaction per feed, on one connection with village's
// pragmas. No sanitising, no URL resolution, no de-duplication. It returns
// how many items it stored.
func floor(ctx context.Context, dbPath string, urls []string) (int, error) {
	db, err := sql.Open("sqlite", "file:"+dbPath+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, floorSchema); err != nil {
		return 0, err
	}
	ins, err := db.PrepareContext(ctx, floorInsert)
	if err != nil {
		return 0, err
	}
	defer ins.Close()

	client := &http.Client{Transport: &http.Transport{MaxIdleConns: 32, MaxIdleConnsPerHost: 2}, Timeout: time.Minute}
	defer client.CloseIdleConnections()
	conns := make(chan struct{}, config.DefaultConnections)
	work := make(chan struct{}, config.DefaultConcurrency)
	var (
		stored atomic.Int64
		wg     sync.WaitGroup
		mu     sync.Mutex
		first  error
	)
	for _, u := range urls {
		wg.Go(func() {
			n, err := floorFeed(ctx, client, db, ins, u, conns, work)
			stored.Add(int64(n))
			if err != nil {
				mu.Lock()
				first = cmpErr(first, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return int(stored.Load()), first
}

func cmpErr(first, err error) error {
	if first != nil {
		return first
	}
	return err
}

// floorFeed fetches, parses and stores one feed.
func floorFeed(ctx context.Context, client *http.Client, db *sql.DB, ins *sql.Stmt, u string, conns, work chan struct{}) (int, error) {
	conns <- struct{}{}
	body, err := get(ctx, client, u)
	<-conns
	if err != nil {
		return 0, err
	}
	work <- struct{}{}
	defer func() { <-work }()
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("parse %s: %w", u, err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	st := tx.StmtContext(ctx, ins)
	for _, it := range feed.Items {
		content, author, published := it.Content, "", int64(0)
		if content == "" {
			content = it.Description
		}
		if it.Author != nil {
			author = it.Author.Name
		}
		if it.PublishedParsed != nil {
			published = it.PublishedParsed.UnixNano()
		}
		if _, err := st.ExecContext(ctx, u, it.GUID, it.Link, it.Title, author, content, published); err != nil {
			return 0, fmt.Errorf("insert %s: %w", u, err)
		}
	}
	return len(feed.Items), tx.Commit()
}

func get(ctx context.Context, client *http.Client, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("get %s: %s", u, resp.Status)
	}
	return io.ReadAll(resp.Body)
}
