package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/model"
)

func TestSaveRefreshStoresSourceState(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	id := sources(t, s, 1)[0].ID
	if err := s.MarkFailed(ctx, id, Failure{CheckedAt: t0, NextCheck: t0, Status: 502, Err: "bad gateway"}); err != nil {
		t.Fatal(err)
	}
	at := t0.Add(time.Minute)
	r := Refresh{CheckedAt: at, NextCheck: at.Add(time.Hour), Status: 200,
		ETag: `"e1"`, LastModified: "Sat, 01 Mar 2025 12:00:00 GMT", FeedID: "urn:a", FeedTitle: "A",
		Notes: []string{"2 items without a title, titled from their first words"}}
	save(t, s, id, r)
	got := getSource(t, s, id)
	want := model.Source{ID: id, Name: got.Name, URL: got.URL, Tags: got.Tags, Active: true,
		FeedID: "urn:a", FeedTitle: "A", ETag: `"e1"`, LastModified: r.LastModified, LastStatus: 200,
		LastCheck: at, LastSuccess: at, NextCheck: at.Add(time.Hour), Slug: got.Name, Notes: r.Notes}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("source:\n got %+v\nwant %+v", got, want)
	}
}

func TestSaveRefreshUnknownSource(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	_, err := s.SaveRefresh(context.Background(), 7, refresh(t0, post("g", "https://x.example/", "h", t0)))
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
	if n := countRows(t, s, "entries"); n != 0 {
		t.Errorf("%d entries stored for an unknown source", n)
	}
}

func TestSaveRefreshUpdatesInPlace(t *testing.T) {
	t.Parallel()
	first := post("g1", "https://a.example/1", "h1", t0.Add(-time.Hour))
	at := t0.Add(time.Hour) // the second poll
	tests := []struct {
		name        string
		edit        func(e *model.Entry)
		want        Result
		wantUpdated time.Time
	}{
		{"same", func(*model.Entry) {}, Result{Unchanged: 1}, first.Published},
		{"content", func(e *model.Entry) { e.Content = "<p>fixed a typo</p>" }, Result{Updated: 1}, at},
		{"title", func(e *model.Entry) { e.Title = "Better title" }, Result{Updated: 1}, at},
		{"categories", func(e *model.Entry) { e.Categories = []string{"go"} }, Result{Updated: 1}, at},
		{"link", func(e *model.Entry) { e.Link, e.CanonicalURL = "https://a.example/one", "https://a.example/one" }, Result{Updated: 1}, at},
		{"source updated date", func(e *model.Entry) {
			e.Summary, e.Updated = "new summary", t0.Add(30*time.Minute)
		}, Result{Updated: 1}, t0.Add(30 * time.Minute)},
		{"future updated date", func(e *model.Entry) {
			e.Summary, e.Updated = "new summary", at.Add(time.Hour)
		}, Result{Updated: 1}, at},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			id := sources(t, s, 1)[0].ID
			if got := save(t, s, id, refresh(t0, first)); got != (Result{New: 1}) {
				t.Fatalf("first poll = %+v, want 1 new", got)
			}
			second := first
			second.Categories = append([]string(nil), first.Categories...)
			tt.edit(&second)
			if got := save(t, s, id, refresh(at, second)); got != tt.want {
				t.Errorf("second poll = %+v, want %+v", got, tt.want)
			}
			es := allEntries(t, s)
			if len(es) != 1 {
				t.Fatalf("%d entries, want 1", len(es))
			}
			e := es[0]
			if e.Title != second.Title || e.Content != second.Content || e.Link != second.Link || !reflect.DeepEqual(e.Categories, second.Categories) {
				t.Errorf("stored entry not the second version: %+v", e)
			}
			if !e.Updated.Equal(tt.wantUpdated) || !e.Published.Equal(first.Published) || !e.FirstSeen.Equal(t0) {
				t.Errorf("dates: updated %v (want %v), published %v, first seen %v", e.Updated, tt.wantUpdated, e.Published, e.FirstSeen)
			}
			// A third identical poll changes nothing.
			if got := save(t, s, id, refresh(at.Add(time.Hour), second)); got != (Result{Unchanged: 1}) {
				t.Errorf("third poll = %+v, want 1 unchanged", got)
			}
		})
	}
}

func TestSaveRefreshCrossPosts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		a, b model.Entry
	}{
		{"same url", post("a-1", "https://news.example/p", "hashA", t0), post("b-1", "https://news.example/p", "hashB", t0)},
		{"same hash", post("a-1", "https://a.example/p", "hash", t0), post("b-1", "https://b.example/p", "hash", t0)},
		{"same url no hash", post("a-1", "https://news.example/p", "", t0), post("b-1", "https://news.example/p", "", t0)},
	}
	for _, tt := range tests {
		for _, order := range []string{"a first", "b first"} {
			t.Run(tt.name+"/"+order, func(t *testing.T) {
				t.Parallel()
				s := newStore(t)
				srcs := sources(t, s, 2)
				polls := []struct {
					src   int64
					entry model.Entry
				}{{srcs[0].ID, tt.a}, {srcs[1].ID, tt.b}}
				if order == "b first" {
					polls[0], polls[1] = polls[1], polls[0]
				}
				if got := save(t, s, polls[0].src, refresh(t0, polls[0].entry)); got != (Result{New: 1}) {
					t.Errorf("first source = %+v, want 1 new", got)
				}
				if got := save(t, s, polls[1].src, refresh(t0, polls[1].entry)); got != (Result{Duplicates: 1}) {
					t.Errorf("second source = %+v, want 1 duplicate", got)
				}
				for i, p := range polls { // re-fetch of both adds nothing
					if got := save(t, s, p.src, refresh(t0.Add(time.Hour), p.entry)); got != (Result{Unchanged: 1}) {
						t.Errorf("re-fetch %d = %+v, want 1 unchanged", i, got)
					}
				}
				// Equal dates: the source listed first has the entry,
				// whichever was fetched first.
				es := allEntries(t, s)
				if len(es) != 1 {
					t.Fatalf("%d entries, want 1", len(es))
				}
				e := es[0]
				want := []model.Alternate{{SourceID: srcs[1].ID, GUID: tt.b.GUID, Link: tt.b.Link}}
				if e.SourceID != srcs[0].ID || e.GUID != tt.a.GUID || !reflect.DeepEqual(e.Alternates, want) {
					t.Errorf("entry of source %d (%s) with alternates %+v; want source %d (%s) with %+v",
						e.SourceID, e.GUID, e.Alternates, srcs[0].ID, tt.a.GUID, want)
				}
				if n := countRows(t, s, "alternates"); n != 1 {
					t.Errorf("%d alternate rows, want 1", n)
				}
			})
		}
	}
}

func TestSaveRefreshKeepsDistinctPosts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		a, b model.Entry
	}{
		// A short body has no hash: equal titles and text are not enough.
		{"short bodies", post("a-1", "https://a.example/hi", "", t0), post("b-1", "https://b.example/hi", "", t0)},
		{"different hash and url", post("a-1", "https://a.example/1", "h1", t0), post("b-1", "https://b.example/1", "h2", t0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			srcs := sources(t, s, 2)
			tt.b.Title, tt.b.Content = tt.a.Title, tt.a.Content
			save(t, s, srcs[0].ID, refresh(t0, tt.a))
			if got := save(t, s, srcs[1].ID, refresh(t0, tt.b)); got != (Result{New: 1}) {
				t.Errorf("second source = %+v, want 1 new", got)
			}
			if es := allEntries(t, s); len(es) != 2 || len(es[0].Alternates)+len(es[1].Alternates) != 0 {
				t.Errorf("got %d entries %+v, want 2 without alternates", len(es), es)
			}
		})
	}
}

func TestSaveRefreshDuplicatesWithinRefresh(t *testing.T) {
	t.Parallel()
	p := post("g1", "https://a.example/1", "h1", t0)
	edited := p
	edited.Title = "a later copy"
	tests := []struct {
		name    string
		entries []model.Entry
	}{
		{"same item twice", []model.Entry{p, p}},
		{"same guid, other content", []model.Entry{p, edited}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			srcs := sources(t, s, 2)
			if got := save(t, s, srcs[0].ID, refresh(t0, tt.entries...)); got != (Result{New: 1, Duplicates: 1}) {
				t.Errorf("result = %+v, want 1 new, 1 duplicate", got)
			}
			es := allEntries(t, s)
			if len(es) != 1 || es[0].Title != p.Title {
				t.Fatalf("entries = %+v, want only the first copy", es)
			}
			// A second source carrying both copies is one alternate.
			if got := save(t, s, srcs[1].ID, refresh(t0, tt.entries...)); got != (Result{Duplicates: 2}) {
				t.Errorf("other source = %+v, want 2 duplicates", got)
			}
			if n := countRows(t, s, "alternates"); n != 1 {
				t.Errorf("%d alternates, want 1", n)
			}
			if got := save(t, s, srcs[0].ID, refresh(t0.Add(time.Hour), tt.entries...)); got != (Result{Unchanged: 1, Duplicates: 1}) {
				t.Errorf("re-fetch = %+v, want 1 unchanged, 1 duplicate", got)
			}
			if n := countRows(t, s, "entries"); n != 1 {
				t.Errorf("%d entry rows, want 1", n)
			}
		})
	}
}

// Within a source, the source's own id decides: two items it lists under
// different ids are two posts, even with one link or one body.
func TestSaveRefreshSameSourceOtherIDIsAnotherPost(t *testing.T) {
	t.Parallel()
	p := post("g1", "https://a.example/releases", "h1", t0)
	for _, other := range []model.Entry{
		post("g2", "https://a.example/releases", "h2", t0.Add(time.Hour)),
		post("g3", "https://a.example/3", "h1", t0.Add(time.Hour)),
	} {
		s := newStore(t)
		id := sources(t, s, 1)[0].ID
		if got := save(t, s, id, refresh(t0.Add(2*time.Hour), p, other)); got != (Result{New: 2}) {
			t.Errorf("%s: result = %+v, want 2 new", other.GUID, got)
		}
		if got := save(t, s, id, refresh(t0.Add(3*time.Hour), p, other)); got != (Result{Unchanged: 2}) {
			t.Errorf("%s: re-fetch = %+v, want 2 unchanged", other.GUID, got)
		}
		// The next poll listing only the second post must not overwrite the first.
		if got := save(t, s, id, refresh(t0.Add(4*time.Hour), other)); got != (Result{Unchanged: 1}) {
			t.Errorf("%s: poll of the second alone = %+v, want 1 unchanged", other.GUID, got)
		}
		es := allEntries(t, s)
		if len(es) != 2 || es[1].Title != p.Title || es[0].Title != other.Title {
			t.Errorf("%s: entries %+v; want both posts as listed", other.GUID, es)
		}
	}
}

func TestSaveRefreshNewGUIDSameLink(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	id := sources(t, s, 1)[0].ID
	old := post("https://a.example/?p=1", "https://a.example/hello", "h1", t0)
	save(t, s, id, refresh(t0, old))
	moved := old
	moved.GUID = "https://a.example/hello"
	if got := save(t, s, id, refresh(t0.Add(time.Hour), moved)); got != (Result{Unchanged: 1}) {
		t.Errorf("new GUID poll = %+v, want 1 unchanged", got)
	}
	if got := save(t, s, id, refresh(t0.Add(2*time.Hour), moved)); got != (Result{Unchanged: 1}) {
		t.Errorf("next poll = %+v, want 1 unchanged", got)
	}
	es := allEntries(t, s)
	if len(es) != 1 || es[0].GUID != old.GUID {
		t.Errorf("entries = %+v, want one, keeping its first GUID as a stable id", es)
	}
}

func TestSaveRefreshSkipsItemsWithoutIdentity(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	id := sources(t, s, 1)[0].ID
	anon := post("", "", "h1", t0)
	if got := save(t, s, id, refresh(t0, anon, post("", "https://a.example/1", "h2", t0))); got != (Result{New: 1, Skipped: 1}) {
		t.Errorf("result = %+v, want 1 new (by link), 1 skipped", got)
	}
}

func TestSaveRefreshDates(t *testing.T) {
	t.Parallel()
	at := t0
	past := t0.Add(-48 * time.Hour)
	later := t0.Add(-24 * time.Hour)
	future := t0.Add(72 * time.Hour)
	tests := []struct {
		name                    string
		published, updated      time.Time
		wantPublished, wantUpdt time.Time
	}{
		{"both", past, later, past, later},
		{"published only", past, time.Time{}, past, past},
		{"updated only", time.Time{}, later, later, later},
		{"none", time.Time{}, time.Time{}, at, at},
		{"future published", future, time.Time{}, at, at},
		{"future published, past updated", future, later, at, at},
		{"future updated", past, future, past, at},
		{"updated before published", later, past, later, later},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			id := sources(t, s, 1)[0].ID
			e := post("g", "https://a.example/1", "h", tt.published)
			e.Updated = tt.updated
			save(t, s, id, refresh(at, e))
			got := allEntries(t, s)[0]
			if !got.Published.Equal(tt.wantPublished) || !got.Updated.Equal(tt.wantUpdt) || !got.FirstSeen.Equal(at) {
				t.Errorf("published %v updated %v first seen %v; want %v, %v, %v",
					got.Published, got.Updated, got.FirstSeen, tt.wantPublished, tt.wantUpdt, at)
			}
		})
	}
}

func TestSaveRefreshIsAtomic(t *testing.T) {
	t.Parallel()
	errInjected := errors.New("injected")
	tests := []struct {
		name string
		fail func(cancel context.CancelFunc) error
		want error
	}{
		{"error mid-way", func(context.CancelFunc) error { return errInjected }, errInjected},
		{"cancelled mid-way", func(cancel context.CancelFunc) error { cancel(); return nil }, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			id := sources(t, s, 1)[0].ID
			old := refresh(t0, post("g0", "https://a.example/0", "h0", t0))
			old.ETag = `"old"`
			save(t, s, id, old)

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			s.afterEntry = func(n int) error {
				if n == 3 {
					return tt.fail(cancel)
				}
				return nil
			}
			var es []model.Entry
			for i := 1; i <= 6; i++ {
				es = append(es, post(fmt.Sprint("g", i), fmt.Sprint("https://a.example/", i), fmt.Sprint("h", i), t0))
			}
			edited := old.Entries[0]
			edited.Title = "edited"
			r := refresh(t0.Add(time.Hour), append([]model.Entry{edited}, es...)...)
			r.ETag = `"new"`
			if _, err := s.SaveRefresh(ctx, id, r); !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}

			if src := getSource(t, s, id); src.ETag != `"old"` || !src.LastCheck.Equal(t0) {
				t.Errorf("failed refresh saved source state: etag %s, last check %v", src.ETag, src.LastCheck)
			}
			if got := allEntries(t, s); len(got) != 1 || got[0].Title != old.Entries[0].Title {
				t.Errorf("failed refresh left entries %+v", got)
			}
			if n := countRows(t, s, "entry_keys"); n != 3 {
				t.Errorf("%d keys, want the first entry's 3", n)
			}

			// The same refresh succeeds afterwards: nothing half-written is in the way.
			s.afterEntry = nil
			if got := save(t, s, id, r); got != (Result{New: 6, Updated: 1}) {
				t.Errorf("retry = %+v, want 6 new, 1 updated", got)
			}
		})
	}
}

func TestSaveRefreshConcurrent(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	srcs := sources(t, s, 8)
	const polls, perPoll = 3, 10
	var wg sync.WaitGroup
	errs := make(chan error, len(srcs)*polls+len(srcs))
	for i, src := range srcs {
		wg.Go(func() {
			for p := range polls {
				var es []model.Entry
				for j := range perPoll {
					n := p*perPoll + j
					// Every source also carries the same shared post.
					es = append(es, post(fmt.Sprint(i, "-", n), fmt.Sprint("https://", i, ".example/", n), fmt.Sprint(i, "-", n), t0),
						post(fmt.Sprint(i, "-shared"), "https://shared.example/post", "shared", t0))
				}
				if _, err := s.SaveRefresh(ctx, src.ID, refresh(t0.Add(time.Duration(p)*time.Minute), es...)); err != nil {
					errs <- err
				}
			}
		})
		wg.Go(func() { // readers beside the writers
			if _, err := s.Entries(ctx, Query{Limit: 20, SourceID: src.ID}); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	n, err := s.CountEntries(ctx, Query{})
	if err != nil {
		t.Fatal(err)
	}
	if want := len(srcs)*polls*perPoll + 1; n != want {
		t.Errorf("%d entries, want %d", n, want)
	}
	if got := countRows(t, s, "alternates"); got != len(srcs)-1 {
		t.Errorf("%d alternates of the shared post, want %d", got, len(srcs)-1)
	}
}

// TestGroupCommitIsolatesFailure queues two refreshes behind a running one,
// so that they are saved in one transaction: the second fails, which rolls
// the group back, and the first is saved again on its own, once.
func TestGroupCommitIsolatesFailure(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	srcs := sources(t, s, 2)
	queued, running, release := holdWriter(t, s)
	type outcome struct {
		res Result
		err error
	}
	saveAsync := func(id int64, r Refresh) chan outcome {
		ch := make(chan outcome, 1)
		go func() {
			res, err := s.SaveRefresh(context.Background(), id, r)
			ch <- outcome{res, err}
		}()
		return ch
	}
	first := saveAsync(srcs[0].ID, refresh(t0, post("a1", "https://a.example/1", "ha1", t0)))
	<-queued
	<-running // the first refresh holds the writer
	ok := refresh(t0, post("b1", "https://b.example/1", "hb1", t0), post("b2", "https://b.example/2", "hb2", t0))
	ok.ETag = `"b"`
	second := saveAsync(srcs[1].ID, ok)
	if n := <-queued; n != 1 {
		t.Fatalf("%d refreshes waiting, want 1", n)
	}
	third := saveAsync(srcs[1].ID+100, refresh(t0, post("x1", "https://x.example/1", "hx1", t0)))
	if n := <-queued; n != 2 {
		t.Fatalf("%d refreshes waiting, want 2", n)
	}
	release()

	if o := <-first; o.err != nil || o.res != (Result{New: 1}) {
		t.Errorf("first = %+v, %v; want 1 new", o.res, o.err)
	}
	if o := <-second; o.err != nil || o.res != (Result{New: 2}) {
		t.Errorf("second = %+v, %v; want 2 new", o.res, o.err)
	}
	if o := <-third; !errors.Is(o.err, ErrNotFound) {
		t.Errorf("third: err = %v, want ErrNotFound", o.err)
	}
	if got := allEntries(t, s); len(got) != 3 {
		t.Errorf("%d entries stored, want 3", len(got))
	}
	if src := getSource(t, s, srcs[1].ID); src.ETag != `"b"` {
		t.Errorf("second source's etag %q, want \"b\"", src.ETag)
	}
	if n := countRows(t, s, "entry_keys"); n != 3*3 {
		t.Errorf("%d keys, want 9 (3 entries, each its item key, URL and hash)", n)
	}
}

// TestPollOutcomesJoinTheGroup queues 304s and failures behind a running
// refresh: they wait for the group commit, as refreshes do, instead of
// taking the writer one commit each; a 304 for a source that is gone fails
// alone.
func TestPollOutcomesJoinTheGroup(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	srcs := sources(t, s, 5)
	queued, running, release := holdWriter(t, s)
	first := make(chan error, 1)
	go func() {
		_, err := s.SaveRefresh(context.Background(), srcs[0].ID, refresh(t0, post("a1", "https://a.example/1", "ha1", t0)))
		first <- err
	}()
	<-queued
	<-running // the refresh holds the writer
	checked, next := t0.Add(time.Hour), t0.Add(2*time.Hour)
	failure := Failure{CheckedAt: checked, NextCheck: next, Status: 503, Err: "503 Service Unavailable", Problem: "the server is busy"}
	missing := srcs[4].ID + 100
	outcomes := []struct {
		id   int64
		mark func(id int64) error
	}{
		{srcs[1].ID, func(id int64) error { return s.MarkNotModified(context.Background(), id, checked, next, `"e"`, "") }},
		{srcs[2].ID, func(id int64) error { return s.MarkFailed(context.Background(), id, failure) }},
		{missing, func(id int64) error { return s.MarkNotModified(context.Background(), id, checked, next, `"e"`, "") }},
		{srcs[3].ID, func(id int64) error { return s.MarkGone(context.Background(), id, failure) }},
		{srcs[4].ID, func(id int64) error { return s.MarkNotModified(context.Background(), id, checked, next, `"e"`, "") }},
	}
	marks := make([]chan error, len(outcomes))
	for i, o := range outcomes {
		marks[i] = make(chan error, 1)
		go func() { marks[i] <- o.mark(o.id) }()
		select {
		case n := <-queued:
			if n != i+1 {
				t.Fatalf("%d writes waiting for the group, want %d", n, i+1)
			}
		case <-time.After(10 * time.Second): // a failure, not a wait: the write never queued
			t.Fatalf("outcome %d did not wait for the group commit", i)
		}
	}
	release()

	if err := <-first; err != nil {
		t.Fatal(err)
	}
	for i, o := range outcomes {
		err := <-marks[i]
		if o.id == missing {
			if !errors.Is(err, ErrNotFound) {
				t.Errorf("304 of a missing source: err = %v, want ErrNotFound", err)
			}
			continue
		}
		if err != nil {
			t.Errorf("outcome %d: %v", i, err)
			continue
		}
		if src := getSource(t, s, o.id); !src.LastCheck.Equal(checked) {
			t.Errorf("source %d: last checked %v, want %v", o.id, src.LastCheck, checked)
		}
	}
	if src := getSource(t, s, srcs[1].ID); !src.NextCheck.Equal(next) || src.ETag != `"e"` || src.LastStatus != 304 {
		t.Errorf("after a 304: next %v, etag %q, status %d", src.NextCheck, src.ETag, src.LastStatus)
	}
	if src := getSource(t, s, srcs[2].ID); src.ErrorCount != 1 || src.LastStatus != 503 || src.LastError != failure.Err {
		t.Errorf("after a failure: %d errors, status %d, error %q", src.ErrorCount, src.LastStatus, src.LastError)
	}
	if src := getSource(t, s, srcs[3].ID); !src.Gone {
		t.Errorf("source %d not gone after MarkGone", srcs[3].ID)
	}
}

// holdWriter makes the first entry s saves from now on stop inside its
// transaction until release is called, and reports on queued how many
// writes wait for the group commit each time one queues. running is
// closed once the writer is held. release also runs when the test ends, so
// that a failing test does not leave the store unable to close.
func holdWriter(t *testing.T, s *Store) (queued chan int, running chan struct{}, release func()) {
	queued, running = make(chan int, 16), make(chan struct{})
	s.onQueue = func(n int) { queued <- n }
	held := make(chan struct{})
	release = sync.OnceFunc(func() { close(held) })
	t.Cleanup(release)
	var hold sync.Once
	s.afterEntry = func(int) error {
		hold.Do(func() {
			close(running)
			<-held
		})
		return nil
	}
	return queued, running, release
}
