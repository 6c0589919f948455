// Package refresh is the one place where fetching, parsing, de-duplication
// and storage meet: it polls one source and records the outcome.
package refresh

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/villagefeeds/village/internal/dedup"
	"github.com/villagefeeds/village/internal/fetch"
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
	MarkNotModified(ctx context.Context, sourceID int64, checkedAt, nextCheck time.Time, etag, lastModified string) error
	MarkFailed(ctx context.Context, sourceID int64, f store.Failure) error
	MarkMoved(ctx context.Context, sourceID int64, movedTo string) error
	MarkGone(ctx context.Context, sourceID int64, f store.Failure) error
}

// Outcome is what one refresh of one source did.
type Outcome struct {
	Source      model.Source
	Status      int // HTTP status, 0 when no answer
	NotModified bool
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
}

// Changed reports whether the refresh changed what the planet publishes.
func (o Outcome) Changed() bool { return o.New > 0 || o.Updated > 0 || o.Duplicates > 0 }

// Refresher polls sources.
type Refresher struct {
	fetcher  Fetcher
	store    Store
	log      *slog.Logger
	interval time.Duration // the planet's default interval
	now      func() time.Time
	rnd      func() float64
	limits   *limit.Limits         // nil bounds nothing
	redact   *redact.Redactor      // nil hides the default parameters
	creds    map[string]Credential // by feed URL
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

// Credentials gives r the basic auth to send, by feed URL.
func (r *Refresher) Credentials(c map[string]Credential) *Refresher {
	r.creds = c
	return r
}

// New returns a Refresher. interval is used for sources without their own.
func New(f Fetcher, s Store, interval time.Duration, log *slog.Logger) *Refresher {
	return &Refresher{fetcher: f, store: s, log: log, interval: interval, now: time.Now, rnd: rand.Float64}
}

// Refresh polls src once and stores the outcome. Errors of the source itself
// (HTTP, parse) are recorded in the store and returned in Outcome.Err; the
// caller carries on with the other sources. A gone source is not fetched.
func (r *Refresher) Refresh(ctx context.Context, src model.Source) Outcome {
	out := Outcome{Source: src, MovedTo: src.MovedTo, Gone: src.Gone}
	if src.Gone {
		out.Status = src.LastStatus
		return out
	}
	log := r.log.With("feed_url", r.redact.URL(src.URL))
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
		out.Result, out.NextCheck, err = r.save(ctx, src, resp, start)
	}
	if err == nil {
		r.recordMove(ctx, log, &out, resp)
	}
	if err != nil {
		out.Err, out.Class, out.Problem = r.redact.Error(err), Class(err), Problem(err)
	}
	if err != nil && ctx.Err() == nil {
		out.NextCheck = r.fail(ctx, log, out, start, resp)
	}
	out.Duration = r.now().Sub(start)
	if out.FetchDuration == 0 {
		out.FetchDuration = out.Duration
	}
	r.logOutcome(log, out)
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
	c := r.creds[src.URL]
	return r.fetcher.Get(ctx, fetch.Request{
		URL: src.URL, ETag: src.ETag, LastModified: src.LastModified,
		Username: c.Username, Password: c.Password,
	})
}

// recordMove keeps the source's moved_to in step with what the redirects
// said: every hop permanent records the new URL, no redirect at all clears
// it (the old URL works again), and a temporary redirect changes nothing.
func (r *Refresher) recordMove(ctx context.Context, log *slog.Logger, out *Outcome, resp *fetch.Response) {
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
		log.Error("record move", "error", r.redact.Error(err))
		return
	}
	if out.MovedTo != "" {
		log.Warn("feed moved permanently", "moved_to", r.redact.URL(out.MovedTo),
			"fix", MoveFix(r.redact.URL(src.URL), r.redact.URL(out.MovedTo)))
	}
}

func (r *Refresher) save(ctx context.Context, src model.Source, resp *fetch.Response, start time.Time) (store.Result, time.Time, error) {
	release, err := r.limits.Work(ctx)
	if err != nil {
		return store.Result{}, time.Time{}, fmt.Errorf("wait to parse %s: %w", src.URL, err)
	}
	defer release()
	feed, err := parse.Parse(resp.Body, resp.URL)
	if err != nil {
		class := "parse"
		if errors.Is(err, parse.ErrNotFeed) {
			class = "not_feed"
		}
		return store.Result{}, time.Time{}, &stageError{class, fmt.Errorf("parse %s: %w", src.URL, err)}
	}
	next := r.policy(src).Next(start, 0, hints(resp), r.rnd)
	res, err := r.store.SaveRefresh(withoutCancel(ctx), src.ID, store.Refresh{
		CheckedAt:    start,
		NextCheck:    next,
		Status:       resp.Status,
		ETag:         resp.ETag,
		LastModified: resp.LastModified,
		FeedID:       feed.ID,
		FeedTitle:    feed.Title,
		Entries:      Entries(feed, src),
	})
	if err != nil {
		return res, next, &stageError{"store", fmt.Errorf("store %s: %w", src.URL, err)}
	}
	return res, next, nil
}

// fail records the failed poll out and returns when to try again. A gone
// source is marked so and never tried again.
func (r *Refresher) fail(ctx context.Context, log *slog.Logger, out Outcome, at time.Time, resp *fetch.Response) time.Time {
	src := out.Source
	h := hints(resp)
	var se *fetch.StatusError
	if errors.As(out.Err, &se) {
		h.RetryAfter = se.RetryAfter
	}
	next := r.policy(src).Next(at, src.ErrorCount+1, h, r.rnd)
	f := store.Failure{CheckedAt: at, NextCheck: next, Status: out.Status, Err: out.Err.Error(), Problem: out.Problem}
	mark := r.store.MarkFailed
	if out.Gone {
		mark, next = r.store.MarkGone, time.Time{}
	}
	if err := mark(withoutCancel(ctx), src.ID, f); err != nil {
		log.Error("record failure", "error", r.redact.Error(err))
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

// logOutcome writes the one line per refresh. The Info line has exactly the
// keys feed_url, status, new_entries, duplicates and duration_ms, so that
// log queries can rely on them; failures add error and error_class.
func (r *Refresher) logOutcome(log *slog.Logger, o Outcome) {
	attrs := []any{
		"status", o.Status,
		"new_entries", o.New,
		"duplicates", o.Duplicates,
		"duration_ms", o.Duration.Milliseconds(),
	}
	switch {
	case o.Gone:
		log.Warn("feed gone, no longer polled", append(attrs, "error", o.Err, "fix", GoneFix(r.redact.URL(o.Source.URL)))...)
	case o.Err != nil:
		log.Warn("refresh failed", append(attrs, "error", o.Err, "error_class", o.Class)...)
	default:
		log.Info("refreshed", attrs...)
	}
}

// Entries turns a parsed feed of src into entries ready for the store, with
// their de-duplication keys and the id they will be published under.
func Entries(feed *parse.Feed, src model.Source) []model.Entry {
	out := make([]model.Entry, 0, len(feed.Items))
	for _, it := range feed.Items {
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
			Categories:   it.Categories,
			Published:    published,
			Updated:      it.Updated,
		}
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
