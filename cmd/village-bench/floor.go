package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mmcdole/gofeed"
	_ "modernc.org/sqlite" // the driver village uses
)

// The floor is the least work any feed aggregator does: fetch every feed
// concurrently, parse it with gofeed's default parser (translators
// included) and insert its items into SQLite, one transaction per feed,
// with nothing else (no sanitising, URL resolution, hashing or
// de-duplication). village's cold ingest is measured against it.

// floorJob is what the bench sends the floor process.
type floorJob struct {
	URLs        []string `json:"urls"`
	Database    string   `json:"database"`
	Concurrency int      `json:"concurrency"`
}

// floorResult is what the floor process answers.
type floorResult struct {
	Items  int    `json:"items"`
	Failed int    `json:"failed"`
	Error  string `json:"error,omitempty"`
}

const floorSchema = `CREATE TABLE IF NOT EXISTS items (
	id INTEGER PRIMARY KEY, feed TEXT NOT NULL, guid TEXT NOT NULL, link TEXT NOT NULL,
	title TEXT NOT NULL, author TEXT NOT NULL, content TEXT NOT NULL, published INTEGER NOT NULL)`

// runFloor is the floor process: it reads a floorJob from r, runs it and
// writes a floorResult to w.
func runFloor(r io.Reader, w io.Writer) error {
	var job floorJob
	if err := json.NewDecoder(r).Decode(&job); err != nil {
		return fmt.Errorf("floor: read job: %w", err)
	}
	res, err := floor(context.Background(), job)
	if err != nil {
		res.Error = err.Error()
	}
	return json.NewEncoder(w).Encode(res)
}

func floor(ctx context.Context, job floorJob) (floorResult, error) {
	db, err := sql.Open("sqlite", "file:"+job.Database+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=busy_timeout(5000)&_txlock=immediate")
	if err != nil {
		return floorResult{}, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, floorSchema); err != nil {
		return floorResult{}, err
	}
	hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: job.Concurrency}}
	var items, failed atomic.Int64
	urls := make(chan string)
	var wg sync.WaitGroup
	for range job.Concurrency {
		wg.Go(func() {
			parser := gofeed.NewParser()
			for u := range urls {
				n, err := floorFeed(ctx, hc, parser, db, u)
				if err != nil {
					failed.Add(1)
				}
				items.Add(int64(n))
			}
		})
	}
	for _, u := range job.URLs {
		urls <- u
	}
	close(urls)
	wg.Wait()
	return floorResult{Items: int(items.Load()), Failed: int(failed.Load())}, nil
}

// floorFeed fetches, parses and stores one feed.
func floorFeed(ctx context.Context, hc *http.Client, parser *gofeed.Parser, db *sql.DB, url string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := hc.Do(req) // the transport asks for gzip and unzips
	if err != nil {
		return 0, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0, err
	}
	feed, err := parser.Parse(bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO items (feed, guid, link, title, author, content, published) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	for _, it := range feed.Items {
		var author string
		if it.Author != nil {
			author = it.Author.Name
		}
		var published int64
		if it.PublishedParsed != nil {
			published = it.PublishedParsed.UnixNano()
		}
		content := it.Content
		if content == "" {
			content = it.Description
		}
		if _, err := stmt.ExecContext(ctx, url, it.GUID, it.Link, it.Title, author, content, published); err != nil {
			return 0, err
		}
	}
	return len(feed.Items), tx.Commit()
}
