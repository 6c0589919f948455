package store

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/model"
)

func urls(srcs []model.Source) []string {
	var out []string
	for _, s := range srcs {
		out = append(out, s.URL)
	}
	return out
}

func TestSyncSources(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	a := model.Source{Name: "Ann", URL: "https://ann.example/feed", Homepage: "https://ann.example/", Tags: []string{"go"}}
	b := model.Source{Name: "Bob", URL: "https://bob.example/feed"}
	c := model.Source{Name: "Ann", URL: "https://ann.example/atom"} // same name: ordered by URL

	got, err := s.SyncSources(ctx, []model.Source{b, a, c})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{c.URL, a.URL, b.URL}; !reflect.DeepEqual(urls(got), want) {
		t.Fatalf("inserted sources = %v, want %v", urls(got), want)
	}
	for _, src := range got {
		if src.ID == 0 || !src.Active || !src.NextCheck.IsZero() {
			t.Errorf("new source %s: ID %d, Active %v, NextCheck %v; want an ID, active, due now", src.URL, src.ID, src.Active, src.NextCheck)
		}
	}
	ids := map[string]int64{}
	for _, src := range got {
		ids[src.URL] = src.ID
	}
	if !reflect.DeepEqual(got[1].Tags, []string{"go"}) || got[1].Homepage != a.Homepage {
		t.Errorf("source a stored as %+v", got[1])
	}

	// Polling state must survive a config edit.
	if err := s.MarkFailed(ctx, ids[a.URL], Failure{CheckedAt: t0, NextCheck: t0.Add(time.Hour), Status: 500, Err: "boom"}); err != nil {
		t.Fatal(err)
	}
	a.Name, a.Tags, a.Interval = "Ann Z", []string{"go", "db"}, 2*time.Hour
	got, err = s.SyncSources(ctx, []model.Source{a, b}) // c removed
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{a.URL, b.URL}; !reflect.DeepEqual(urls(got), want) {
		t.Fatalf("after update, sources = %v, want %v", urls(got), want)
	}
	upd := got[0]
	if upd.ID != ids[a.URL] || upd.Name != "Ann Z" || !reflect.DeepEqual(upd.Tags, a.Tags) || upd.Interval != 2*time.Hour {
		t.Errorf("updated source = %+v", upd)
	}
	if upd.ErrorCount != 1 || upd.LastError != "boom" || !upd.NextCheck.Equal(t0.Add(time.Hour)) {
		t.Errorf("sync reset polling state: %+v", upd)
	}
	if gone := getSource(t, s, ids[c.URL]); gone.Active {
		t.Errorf("removed source still active: %+v", gone)
	}
	if all, _ := s.Sources(ctx); !reflect.DeepEqual(all, got) {
		t.Errorf("Sources() = %v, want what SyncSources returned %v", urls(all), urls(got))
	}

	got, err = s.SyncSources(ctx, []model.Source{a, b, c}) // c back
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].URL != c.URL || got[0].ID != ids[c.URL] || !got[0].Active {
		t.Errorf("reactivated source = %+v, want the same ID %d, active", got[0], ids[c.URL])
	}
	if n := countRows(t, s, "sources"); n != 3 {
		t.Errorf("%d source rows, want 3", n)
	}
}

func TestSyncSourcesRejectsEmptyURL(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	if _, err := s.SyncSources(context.Background(), []model.Source{{Name: "x"}}); err == nil {
		t.Fatal("SyncSources accepted a source without URL")
	}
}

func TestDeactivatedSourceEntriesHidden(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	srcs := sources(t, s, 2)
	save(t, s, srcs[0].ID, refresh(t0, post("a1", "https://a.example/1", "ha1", t0)))
	save(t, s, srcs[1].ID, refresh(t0, post("b1", "https://b.example/1", "hb1", t0), post("a1", "https://a.example/1", "ha1", t0)))
	count := func() (int, int, int) {
		t.Helper()
		es := allEntries(t, s)
		n, err := s.CountEntries(ctx, Query{})
		if err != nil {
			t.Fatal(err)
		}
		alts := 0
		for _, e := range es {
			alts += len(e.Alternates)
		}
		return len(es), n, alts
	}
	if l, n, alts := count(); l != 2 || n != 2 || alts != 1 {
		t.Fatalf("before: %d listed, %d counted, %d alternates; want 2, 2, 1", l, n, alts)
	}

	if _, err := s.SyncSources(ctx, srcs[:1]); err != nil { // drop b
		t.Fatal(err)
	}
	if l, n, alts := count(); l != 1 || n != 1 || alts != 0 {
		t.Errorf("b inactive: %d listed, %d counted, %d alternates; want 1, 1, 0", l, n, alts)
	}
	if n := countRows(t, s, "entries"); n != 2 {
		t.Errorf("deactivation deleted entries: %d rows, want 2", n)
	}

	if _, err := s.SyncSources(ctx, srcs); err != nil { // b back
		t.Fatal(err)
	}
	if l, n, alts := count(); l != 2 || n != 2 || alts != 1 {
		t.Errorf("b reactivated: %d listed, %d counted, %d alternates; want 2, 2, 1", l, n, alts)
	}
}

func TestDueSources(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	srcs := sources(t, s, 4) // a b c d, all due now (next_check zero)
	set := func(i int, next time.Time) {
		if err := s.MarkNotModified(ctx, srcs[i].ID, t0, next, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	set(0, t0.Add(time.Minute)) // due last
	set(1, t0.Add(time.Hour))   // not due
	set(2, t0.Add(-time.Minute))
	if _, err := s.SyncSources(ctx, srcs[:3]); err != nil { // d inactive
		t.Fatal(err)
	}
	got, err := s.DueSources(ctx, t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{srcs[2].URL, srcs[0].URL}; !reflect.DeepEqual(urls(got), want) {
		t.Errorf("DueSources = %v, want %v", urls(got), want)
	}
}

func TestNextCheck(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	srcs := sources(t, s, 5) // a b c d e
	set := func(i int, next time.Time) {
		if err := s.MarkNotModified(ctx, srcs[i].ID, t0, next, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	set(0, t0.Add(3*time.Minute))
	set(1, t0.Add(2*time.Minute))
	set(2, t0.Add(time.Hour))
	set(3, t0.Add(time.Minute)) // soonest, but made inactive below
	if err := s.MarkGone(ctx, srcs[4].ID, Failure{CheckedAt: t0, NextCheck: t0, Status: 410, Err: "gone"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SyncSources(ctx, append(srcs[:3:3], srcs[4])); err != nil {
		t.Fatal(err)
	}
	all := func(int64) bool { return true }
	for _, tc := range []struct {
		name    string
		settled func(int64) bool
		want    time.Time
		ok      bool
	}{
		{"every source settled", all, t0.Add(2 * time.Minute), true},
		{"the soonest being polled", func(id int64) bool { return id != srcs[1].ID }, t0.Add(3 * time.Minute), true},
		{"none settled", func(int64) bool { return false }, time.Time{}, false},
	} {
		got, ok, err := s.NextCheck(ctx, tc.settled)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(tc.want) || ok != tc.ok {
			t.Errorf("%s: NextCheck = %v, %v; want %v, %v (inactive and gone sources are never due)", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

func TestMarkSourceState(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	next := t0.Add(30 * time.Minute)
	tests := []struct {
		name string
		mark func(s *Store, id int64) error
		want func(src *model.Source) // edits the state before the mark into the expected one
	}{
		{
			name: "failed",
			mark: func(s *Store, id int64) error {
				return s.MarkFailed(ctx, id, Failure{CheckedAt: t0, NextCheck: next, Status: 503, Err: "fetch feed: 503"})
			},
			want: func(src *model.Source) {
				// The run of failures still began at the first one.
				src.LastStatus, src.LastError, src.ErrorCount = 503, "fetch feed: 503", 2
				src.LastCheck, src.NextCheck = t0, next
			},
		},
		{
			name: "not modified keeps validators",
			mark: func(s *Store, id int64) error { return s.MarkNotModified(ctx, id, t0, next, "", "") },
			want: func(src *model.Source) {
				src.LastStatus, src.LastError, src.ErrorCount, src.FailingSince = 304, "", 0, time.Time{}
				src.LastCheck, src.LastSuccess, src.NextCheck = t0, t0, next
			},
		},
		{
			name: "not modified with new validators",
			mark: func(s *Store, id int64) error { return s.MarkNotModified(ctx, id, t0, next, `"v2"`, "Sun") },
			want: func(src *model.Source) {
				src.LastStatus, src.LastError, src.ErrorCount, src.FailingSince = 304, "", 0, time.Time{}
				src.LastCheck, src.LastSuccess, src.NextCheck = t0, t0, next
				src.ETag, src.LastModified = `"v2"`, "Sun"
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			id := sources(t, s, 1)[0].ID
			earlier := t0.Add(-time.Hour)
			r := refresh(earlier)
			r.ETag, r.LastModified = `"v1"`, "Sat"
			save(t, s, id, r)
			if err := s.MarkFailed(ctx, id, Failure{CheckedAt: earlier, NextCheck: earlier, Status: 500, Err: "x"}); err != nil {
				t.Fatal(err)
			}
			want := getSource(t, s, id)
			tt.want(&want)
			if err := tt.mark(s, id); err != nil {
				t.Fatal(err)
			}
			if got := getSource(t, s, id); !reflect.DeepEqual(got, want) {
				t.Errorf("source:\n got %+v\nwant %+v", got, want)
			}
			if err := tt.mark(s, id+100); !errors.Is(err, ErrNotFound) {
				t.Errorf("unknown source: err = %v, want ErrNotFound", err)
			}
		})
	}
}

func TestSourceNotFound(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	if _, err := s.Source(context.Background(), 42); !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
}
