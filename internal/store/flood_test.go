package store

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/model"
)

func TestFloodDates(t *testing.T) {
	now := t0
	h := func(n int) time.Time { return now.Add(-time.Duration(n) * time.Hour) }
	s := func(n int) time.Duration { return -time.Duration(n) * time.Second }
	arr := func(dates ...time.Time) []arrival {
		out := make([]arrival, len(dates))
		for i, d := range dates {
			out[i] = arrival{id: int64(i + 1), listed: d}
		}
		return out
	}
	for _, tc := range []struct {
		name     string
		arrivals []arrival
		cutoff   time.Time
		limit    int
		want     map[int]time.Time
	}{
		{"no limit", arr(now, now, now), h(24), 0, nil},
		{"within the limit", arr(now, now), h(24), 2, nil},
		{"older than the page", arr(h(30), h(40), h(50)), h(24), 1, nil},
		{"undated flood: feed order kept, rest below the cutoff",
			arr(now, now, now, now), h(24), 2,
			map[int]time.Time{2: h(24).Add(s(1)), 3: h(24).Add(s(2))}},
		{"newest kept whatever the feed order",
			arr(h(3), h(1), h(30), h(2)), h(24), 2,
			map[int]time.Time{0: h(24).Add(s(1))}},
		{"empty planet: below the last kept, own older dates stay",
			arr(now, now, now, h(5)), time.Time{}, 2,
			map[int]time.Time{2: now.Add(s(1))}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := floodDates(tc.arrivals, tc.cutoff, tc.limit)
			if len(got) == 0 && len(tc.want) == 0 {
				return
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("floodDates = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestNewSourceDoesNotFlood: a planet with a full first page gets a new
// source with twenty undated posts. Five enter the first page; the rest
// follow just below it in feed order, and stay there on the next poll.
func TestNewSourceDoesNotFlood(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	srcs := sources(t, s, 2)
	const page = 10
	var old []model.Entry
	for i := range 30 {
		old = append(old, post(fmt.Sprint("old", i), fmt.Sprint("https://a.example/", i), "", t0.Add(-time.Duration(i+1)*time.Hour)))
	}
	save(t, s, srcs[0].ID, refresh(t0, old...))

	at := t0.Add(time.Hour)
	var flood []model.Entry
	for i := range 20 {
		e := post(fmt.Sprint("new", i), fmt.Sprint("https://b.example/", i), "", time.Time{})
		flood = append(flood, e)
	}
	r := refresh(at, flood...)
	r.MaxArrivals, r.PageSize = 5, page
	if res := save(t, s, srcs[1].ID, r); res.New != 20 {
		t.Fatalf("%+v", res)
	}
	check := func(when string) {
		first, err := s.Entries(context.Background(), Query{Limit: page})
		if err != nil {
			t.Fatal(err)
		}
		var fromB []string
		for _, e := range first {
			if e.SourceID == srcs[1].ID {
				fromB = append(fromB, e.GUID)
			}
		}
		// Equal dates list the later row first, as the store always does.
		if want := []string{"new4", "new3", "new2", "new1", "new0"}; !reflect.DeepEqual(fromB, want) {
			t.Errorf("%s: new source's entries on the first page %v, want %v", when, fromB, want)
		}
		all := allEntries(t, s)
		var rest []string
		for _, e := range all[page:] {
			if e.SourceID == srcs[1].ID {
				rest = append(rest, e.GUID)
			}
		}
		if len(rest) != 15 || rest[0] != "new5" || rest[14] != "new19" {
			t.Errorf("%s: the rest, in order: %v", when, rest)
		}
		// Just below where the page ended before the flood: after the
		// five old entries it pushed off the page, before the next.
		if all[page+4].GUID != "old9" || all[page+5].GUID != "new5" || all[page+20].GUID != "old10" {
			t.Errorf("%s: around the old page's end: %s %s … %s", when, all[page+4].GUID, all[page+5].GUID, all[page+20].GUID)
		}
		// Only the order moved: readers see the dates as first seen.
		for _, e := range all {
			if e.SourceID == srcs[1].ID && !e.Published.Equal(at) {
				t.Errorf("%s: %s published %v, want %v", when, e.GUID, e.Published, at)
			}
		}
	}
	check("after the first poll")
	r.CheckedAt = at.Add(time.Hour)
	if res := save(t, s, srcs[1].ID, r); res.Unchanged != 20 {
		t.Fatalf("second poll %+v", res)
	}
	check("after the second poll")
}

// TestRedatedArchiveStaysPut: a source that bumps the dates of posts it
// already published does not move them up.
func TestRedatedArchiveStaysPut(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	id := sources(t, s, 1)[0].ID
	var posts []model.Entry
	for i := range 3 {
		posts = append(posts, post(fmt.Sprint("g", i), fmt.Sprint("https://a.example/", i), "", t0.Add(-time.Duration(i+1)*24*time.Hour)))
	}
	save(t, s, id, refresh(t0, posts...))
	for i := range posts {
		posts[i].Published = t0.Add(time.Hour) // the new theme dates everything "now"
		posts[i].Content += "<p>new footer</p>"
	}
	if res := save(t, s, id, refresh(t0.Add(2*time.Hour), posts...)); res.Updated != 3 {
		t.Fatalf("%+v", res)
	}
	for i, e := range allEntries(t, s) {
		if want := t0.Add(-time.Duration(i+1) * 24 * time.Hour); !e.Published.Equal(want) {
			t.Errorf("%s published %v, want %v (unchanged)", e.GUID, e.Published, want)
		}
	}
}
