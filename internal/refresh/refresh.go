// Package refresh is the one place where fetching, parsing, de-duplication
// and storage meet: it polls one source and records the outcome.
package refresh

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/villagefeeds/village/internal/dedup"
	"github.com/villagefeeds/village/internal/fetch"
	"github.com/villagefeeds/village/internal/filter"
	"github.com/villagefeeds/village/internal/limit"
	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/parse"
	"github.com/villagefeeds/village/internal/publish"
	"github.com/villagefeeds/village/internal/redact"
	"github.com/villagefeeds/village/internal/schedule"
	"github.com/villagefeeds/village/internal/store"
)

// Fetcher gets a feed's bytes over HTTP.
type Fetcher interface {
	Get(ctx context.Context, r fetch.Request) (*fetch.Response, error)
}

// Store records what a poll found. *store.Store implements it; tests use a fake.
type Store interface {
	SaveRefresh(ctx context.Context, sourceID int64, r store.Refresh) (store.Result, error)
	ReadAhead(ctx context.Context, sourceID int64, r *store.Refresh) error
	MarkNotModified(ctx context.Context, sourceID int64, checkedAt, nextCheck time.Time, etag, lastModified string) error
	MarkUnchanged(ctx context.Context, sourceID int64, u store.Unchanged) (bool, error)
	MarkFailed(ctx context.Context, sourceID int64, f store.Failure) error
	MarkMoved(ctx context.Context, sourceID int64, movedTo string) error
	MarkGone(ctx context.Context, sourceID int64, f store.Failure) error
	Known(ctx context.Context, sourceID int64, bodyDigest []byte, near bool) (*store.KnownItems, error)
}

// Outcome is what one refresh of one source did.
type Outcome struct {
	Source      model.Source
	Status      int // HTTP status, 0 when no answer
	NotModified bool
	// Same is set when the body was the one the source's last refresh
	// stored (see digest.go): nothing was read, as for a 304.
	Same bool
	store.Result
	NextCheck time.Time
	Duration  time.Duration // the whole refresh: fetch, parse and store
	// FetchDuration is the time on the wire, or until the fetch failed.
	FetchDuration time.Duration
	Err           error  // nil on success and on 304; its text has secrets redacted
	Class         string // "" on success, else a short label: fetch.Class's, "not_feed", "parse" or "store"
	Problem       string // Err in plain words for the public page (see Problem)

	// MovedTo is where the feed lives now when every redirect was
	// permanent; a temporary redirect leaves the source's value as it was.
	MovedTo string
	// Gone is set when the feed answered 410 Gone (or already had): it is
	// no longer polled.
	Gone bool
	// Notes are what the parse had to repair or guess in the feed (a wrong
	// charset, items skipped, without ids or titles), in plain words; the
	// store keeps them on the source.
	Notes []string
}

// Changed reports whether the refresh changed what the planet publishes.
func (o Outcome) Changed() bool { return o.New > 0 || o.Updated > 0 || o.Duplicates > 0 }

// The kinds of outcome, counted one way wherever refreshes are counted.
const (
	KindOK        = "ok"        // fetched and stored
	KindUnchanged = "unchanged" // 304 Not Modified, or the body stored last
	KindMoved     = "moved"     // fetched, but every redirect was permanent: feeds.yaml should change
	KindGone      = "gone"      // 410 Gone, now or before: no longer polled
	KindFailed    = "failed"    // any other error
)

// Kinds lists the kinds of outcome in the order totals show them.
var Kinds = []string{KindOK, KindUnchanged, KindMoved, KindGone, KindFailed}

// Kind sums up the outcome in one word. A gone feed is gone, not failed,
// on the run that found the 410 and on every run after it.
func (o Outcome) Kind() string {
	switch {
	case o.Gone:
		return KindGone
	case o.Err != nil:
		return KindFailed
	case o.MovedTo != "":
		return KindMoved
	case o.NotModified || o.Same:
		return KindUnchanged
	}
	return KindOK
}

// Refresher polls sources.
type Refresher struct {
	fetcher  Fetcher
	store    Store
	log      *slog.Logger
	interval time.Duration // the planet's default interval
	now      func() time.Time
	rnd      func() float64
	dedup    dedup.Options
	limits   *limit.Limits         // nil bounds nothing
	redact   *redact.Redactor      // nil hides the default parameters
	creds    map[string]Credential // by feed URL
	// filters are the sources' include/exclude rules, by feed URL.
	filters map[string]filter.Filter
	// started, when set, is told when a source's fetch begins, once it
	// holds its slots (not while it waits for them).
	started func(model.Source)
	// maxArrivals new entries of one poll may enter the newest page of
	// page entries; 0 means no limit (see store.Refresh).
	maxArrivals, page int
}

// Flood makes r let at most maxArrivals new entries of one poll of a
// source onto the merged feed's newest page, page entries long; the store
// lists the others below it. 0 means no limit.
func (r *Refresher) Flood(maxArrivals, page int) *Refresher {
	r.maxArrivals, r.page = maxArrivals, page
	return r
}

// Credential is a source's HTTP basic auth, from feeds.yaml.
type Credential struct{ Username, Password string }

// Limit makes r take its slots from l, which every Refresher of a planet
// shares: a host slot and a connection slot for the fetch, then a work
// slot for parsing and storing (see package limit).
func (r *Refresher) Limit(l *limit.Limits) *Refresher {
	r.limits = l
	return r
}

// Redact makes r hide the secrets rd knows of in its logs and stored errors.
func (r *Refresher) Redact(rd *redact.Redactor) *Refresher {
	r.redact = rd
	return r
}

// Redactor is what r hides secrets with, for the caller's own reports.
func (r *Refresher) Redactor() *redact.Redactor { return r.redact }

// Credentials gives r the basic auth to send, by feed URL.
func (r *Refresher) Credentials(c map[string]Credential) *Refresher {
	r.creds = c
	return r
}

// Dedup sets how r finds cross-posts that are not word for word.
func (r *Refresher) Dedup(o dedup.Options) *Refresher {
	r.dedup = o
	return r
}

// Filter makes r drop, between parse and store, the items that a source's
// filter leaves out; filters maps feed URLs to their filters.
func (r *Refresher) Filter(filters map[string]filter.Filter) *Refresher {
	r.filters = filters
	return r
}

// Watch returns a copy of r that calls started when a source's fetch
// begins, once it holds its slots; `village fetch` shows those in flight.
func (r *Refresher) Watch(started func(model.Source)) *Refresher {
	c := *r
	c.started = started
	return &c
}

// New returns a Refresher. interval is used for sources without their own.
func New(f Fetcher, s Store, interval time.Duration, log *slog.Logger) *Refresher {
	return &Refresher{fetcher: f, store: s, log: log, interval: interval, now: time.Now, rnd: rand.Float64}
}

// Refresh polls src once and stores the outcome. Errors of the source itself
// (HTTP, parse) are recorded in the store and returned in Outcome.Err; the
// caller carries on with the other sources and reports the outcome (see
// Outcome.Log). A gone source is not fetched.
//
// round is when the poll round began that src is part of (see
// store.Refresh.Round): every source of one `village fetch`, or found due
// together by the scheduler, shares it.
func (r *Refresher) Refresh(ctx context.Context, src model.Source, round time.Time) Outcome {
	out := Outcome{Source: src, MovedTo: src.MovedTo, Gone: src.Gone}
	if src.Gone {
		out.Status = src.LastStatus
		return out
	}
	start := r.now()
	resp, err := r.fetch(ctx, src)
	if resp != nil {
		out.Status = resp.Status
		out.FetchDuration = resp.Duration
	}
	var se *fetch.StatusError
	switch {
	case errors.Is(err, fetch.ErrNotModified):
		out.NotModified = true
		out.NextCheck = r.policy(src).Next(start, 0, hints(resp), r.rnd)
		err = r.store.MarkNotModified(withoutCancel(ctx), src.ID, start, out.NextCheck, resp.ETag, resp.LastModified)
	case errors.As(err, &se) && se.Code == http.StatusGone:
		out.Gone = true
	case err != nil:
	default:
		digest := r.bodyDigest(src, resp)
		out.Same, out.NextCheck, err = r.markSame(ctx, src, resp, start, digest)
		if out.Same {
			out.Notes = src.Notes
		} else if err == nil {
			out.Result, out.NextCheck, out.Notes, err = r.save(ctx, src, resp, start, round, digest)
		}
	}
	if err == nil {
		r.recordMove(ctx, &out, resp)
	}
	if err != nil {
		out.Err, out.Class, out.Problem = r.redact.Error(err), Class(err), Problem(err)
	}
	if err != nil && ctx.Err() == nil {
		out.NextCheck = r.fail(ctx, out, start, resp)
	}
	out.Duration = r.now().Sub(start)
	if out.FetchDuration == 0 {
		out.FetchDuration = out.Duration
	}
	return out
}

// fetch gets src's feed once its host has a free slot and a connection slot
// is free, and frees both as soon as the answer is in.
func (r *Refresher) fetch(ctx context.Context, src model.Source) (*fetch.Response, error) {
	release, err := r.limits.Fetch(ctx, limit.HostKey(src.URL))
	if err != nil {
		return nil, fmt.Errorf("wait to fetch %s: %w", src.URL, err)
	}
	defer release()
	if r.started != nil {
		r.started(src)
	}
	c := r.creds[src.URL]
	return r.fetcher.Get(ctx, fetch.Request{
		URL: src.URL, ETag: src.ETag, LastModified: src.LastModified,
		Username: c.Username, Password: c.Password,
	})
}

// logger is the log of one source: every line names it and its feed.
func (r *Refresher) logger(src model.Source) *slog.Logger {
	return SourceLogger(r.log, src, r.redact)
}

// SourceLogger returns log with the keys that name src on every line:
// source (its name) and feed_url, its secrets hidden by rd.
func SourceLogger(log *slog.Logger, src model.Source, rd *redact.Redactor) *slog.Logger {
	return log.With("source", publish.SourceName(src), "feed_url", rd.URL(src.URL))
}

// recordMove keeps the source's moved_to in step with what the redirects
// said: every hop permanent records the new URL, no redirect at all clears
// it (the old URL works again), and a temporary redirect changes nothing.
func (r *Refresher) recordMove(ctx context.Context, out *Outcome, resp *fetch.Response) {
	src := out.Source
	switch {
	case resp.MovedTo != "":
		out.MovedTo = resp.MovedTo
	case resp.URL == src.URL:
		out.MovedTo = ""
	}
	if out.MovedTo == src.MovedTo {
		return
	}
	if err := r.store.MarkMoved(withoutCancel(ctx), src.ID, out.MovedTo); err != nil {
		r.logger(src).Error("record move", "error", r.redact.Error(err))
	}
}

// save parses and stores a fetched feed. Parsing, and reading the posts
// for near-duplicate search, take a work slot; waiting for the writer does
// not, so that the refreshes of a round queue there while others parse, and
// the writer commits them in large groups (see store's batch.go). The
// ingest slot, held throughout, bounds how many parsed feeds wait.
func (r *Refresher) save(ctx context.Context, src model.Source, resp *fetch.Response, start, round time.Time, digest []byte) (store.Result, time.Time, []string, error) {
	release, err := r.limits.Ingest(ctx)
	if err != nil {
		return store.Result{}, time.Time{}, nil, fmt.Errorf("wait to parse %s: %w", src.URL, err)
	}
	defer release()
	rf, notes, err := r.prepare(ctx, src, resp, start, round, true)
	if err != nil {
		return store.Result{}, time.Time{}, notes, err
	}
	rf.BodyDigest = digest
	res, err := r.store.SaveRefresh(withoutCancel(ctx), src.ID, rf)
	if errors.Is(err, store.ErrReadAgain) {
		// What it took as known changed hands meanwhile: read it all.
		if rf, notes, err = r.prepare(ctx, src, resp, start, round, false); err != nil {
			return store.Result{}, time.Time{}, notes, err
		}
		rf.BodyDigest = digest
		res, err = r.store.SaveRefresh(withoutCancel(ctx), src.ID, rf)
	}
	if err != nil {
		return res, rf.NextCheck, notes, &stageError{"store", fmt.Errorf("store %s: %w", src.URL, err)}
	}
	return res, rf.NextCheck, notes, nil
}

// markSame records the poll as unchanged when resp's body is the one src's
// last refresh stored, digest, and reports whether it was; it returns the
// next check it recorded.
func (r *Refresher) markSame(ctx context.Context, src model.Source, resp *fetch.Response, start time.Time, digest []byte) (bool, time.Time, error) {
	if len(src.BodyDigest) == 0 || !bytes.Equal(digest, src.BodyDigest) {
		return false, time.Time{}, nil
	}
	next := r.policy(src).Next(start, 0, hints(resp), r.rnd)
	same, err := r.store.MarkUnchanged(withoutCancel(ctx), src.ID, store.Unchanged{
		CheckedAt: start, NextCheck: next, Status: resp.Status,
		ETag: resp.ETag, LastModified: resp.LastModified, Digest: digest,
	})
	if err != nil {
		return false, next, &stageError{"store", fmt.Errorf("store %s: %w", src.URL, err)}
	}
	return same, next, nil
}

// prepare parses resp and reads its posts ahead, holding a work slot. With
// known, the items the store holds as they read are not read again.
func (r *Refresher) prepare(ctx context.Context, src model.Source, resp *fetch.Response, start, round time.Time, known bool) (store.Refresh, []string, error) {
	release, err := r.limits.Work(ctx)
	if err != nil {
		return store.Refresh{}, nil, fmt.Errorf("wait to parse %s: %w", src.URL, err)
	}
	defer release()
	// Inflated only now, within the work slot: see fetch's body.go.
	body, err := resp.Body()
	if err != nil {
		return store.Refresh{}, nil, err
	}
	digests := r.itemDigests(src, resp)
	var (
		stored *store.KnownItems
		ask    parse.Known
	)
	if known {
		stored = r.known(ctx, src)
	}
	if stored != nil {
		ask = func(key string, d []byte) bool { return stored.Has(key, digests.of(d)) }
	}
	feed, err := parse.ParseKnown(body, resp.URL, resp.ContentType, ask)
	if err != nil {
		class := "parse"
		if errors.Is(err, parse.ErrNotFeed) {
			class = "not_feed"
		}
		return store.Refresh{}, nil, &stageError{class, fmt.Errorf("parse %s: %w", src.URL, err)}
	}
	notes := feed.Report.Notes()
	if f, ok := r.filters[src.URL]; ok {
		feed.Items = Keep(f, feed.Items)
	}
	rf := store.Refresh{
		CheckedAt:    start,
		NextCheck:    r.policy(src).Next(start, 0, hints(resp), r.rnd),
		Round:        round,
		Dedup:        r.dedup,
		Status:       resp.Status,
		ETag:         resp.ETag,
		LastModified: resp.LastModified,
		FeedID:       feed.ID,
		FeedTitle:    feed.Title,
		Entries:      Entries(feed, src),
		Known:        stored,
		Notes:        notes,
		MaxArrivals:  r.maxArrivals,
		PageSize:     r.page,
	}
	for i, it := range feed.Items { // Entries keeps their order
		rf.Entries[i].ItemDigest = digests.of(it.Digest)
	}
	// Without a reading ahead the writer reads the posts itself: slower,
	// never wrong, so a failure here is not the refresh's.
	if err := r.store.ReadAhead(withoutCancel(ctx), src.ID, &rf); err != nil {
		r.logger(src).Warn("read posts ahead", "error", r.redact.Error(err))
	}
	return rf, notes, nil
}

// known returns what tells src's items stored as they read, or nil to
// read every item: on a fresh start (src's body digest was cleared), or
// when the store cannot tell.
func (r *Refresher) known(ctx context.Context, src model.Source) *store.KnownItems {
	if len(src.BodyDigest) == 0 {
		return nil
	}
	k, err := r.store.Known(withoutCancel(ctx), src.ID, src.BodyDigest, !r.dedup.Off)
	if err != nil {
		r.logger(src).Warn("read known items", "error", r.redact.Error(err))
		return nil
	}
	return k
}

// fail records the failed poll out and returns when to try again. A gone
// source is marked so and never tried again.
func (r *Refresher) fail(ctx context.Context, out Outcome, at time.Time, resp *fetch.Response) time.Time {
	src := out.Source
	h := hints(resp)
	var se *fetch.StatusError
	if errors.As(out.Err, &se) {
		h.RetryAfter = se.RetryAfter
		h.Throttled = se.Code == http.StatusTooManyRequests
	}
	next := r.policy(src).Next(at, src.ErrorCount+1, h, r.rnd)
	f := store.Failure{CheckedAt: at, NextCheck: next, Status: out.Status, Err: out.Err.Error(), Problem: out.Problem}
	mark := r.store.MarkFailed
	if out.Gone {
		mark, next = r.store.MarkGone, time.Time{}
	}
	if err := mark(withoutCancel(ctx), src.ID, f); err != nil {
		r.logger(src).Error("record failure", "error", r.redact.Error(err))
	}
	return next
}

func (r *Refresher) policy(src model.Source) schedule.Policy {
	iv := src.Interval
	if iv <= 0 {
		iv = r.interval
	}
	return schedule.Policy{Interval: iv}
}

// Log writes the one line of a refresh to log, as the daemon does for
// every poll (`village fetch` prints its own line instead). The Info line
// has exactly the keys source, feed_url, status, new_entries, duplicates
// and duration_ms, so that log queries can rely on them; failures add error
// and error_class. A move is logged when first seen, with the fix. Secrets
// of the feed's URL are hidden by rd; the error's are already.
func (o Outcome) Log(log *slog.Logger, rd *redact.Redactor) {
	log = SourceLogger(log, o.Source, rd)
	attrs := []any{
		"status", o.Status,
		"new_entries", o.New,
		"duplicates", o.Duplicates,
		"duration_ms", o.Duration.Milliseconds(),
	}
	switch {
	case o.Gone && o.Err == nil:
		// skipped without a request: nothing happened worth a line
	case o.Gone:
		log.Warn("feed gone, no longer polled", append(attrs, "error", o.Err, "fix", GoneFix(rd.URL(o.Source.URL)))...)
	case o.Err != nil:
		log.Warn("refresh failed", append(attrs, "error", o.Err, "error_class", o.Class)...)
	default:
		log.Info("refreshed", attrs...)
	}
	if o.Err == nil && o.MovedTo != "" && o.MovedTo != o.Source.MovedTo {
		log.Warn("feed moved permanently", "moved_to", rd.URL(o.MovedTo), "fix", MoveFix(rd.URL(o.Source.URL), rd.URL(o.MovedTo)))
	}
}

// Entries turns a parsed feed of src into entries ready for the store, with
// their de-duplication keys and the id they will be published under.
func Entries(feed *parse.Feed, src model.Source) []model.Entry {
	out := make([]model.Entry, 0, len(feed.Items))
	for _, it := range feed.Items {
		if it.Known { // stored as it reads: its keys are all it needs
			out = append(out, model.Entry{GUID: it.GUID, Link: it.Link, ItemKey: it.Key, Known: true})
			continue
		}
		published := it.Published
		if published.IsZero() {
			published = it.Updated
		}
		e := model.Entry{
			GUID:         it.GUID,
			Link:         it.Link,
			CanonicalURL: dedup.CanonicalURL(it.Link),
			ContentHash:  dedup.HashText(it.Text),
			Title:        it.Title,
			Author:       it.Author,
			Summary:      it.Summary,
			Content:      it.Content,
			Text:         it.Text,
			Categories:   it.Categories,
			Published:    published,
			Updated:      it.Updated,
			ItemKey:      it.Key,
			Authors:      it.Authors,
			Enclosures:   it.Enclosures,
			Lang:         it.Lang,
			Origin:       it.Origin,
		}
		e.OriginURL = dedup.OriginURL(e.Content, e.Text, e.CanonicalURL)
		// Fixed now, when the entry is first stored: whichever copy later
		// owns it, readers keep one id.
		e.PublicID = publish.EntryID(e, src)
		out = append(out, e)
	}
	return out
}

func hints(resp *fetch.Response) schedule.Hints {
	if resp == nil {
		return schedule.Hints{}
	}
	return schedule.Hints{RetryAfter: resp.RetryAfter, MaxAge: resp.MaxAge}
}

// withoutCancel lets a write that has begun finish on shutdown: a cancelled
// fetch is dropped, but a refresh that reached the store is committed whole.
func withoutCancel(ctx context.Context) context.Context {
	return context.WithoutCancel(ctx)
}
