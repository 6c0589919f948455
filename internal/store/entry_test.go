package store

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/model"
)

func ids(es []model.Entry) []int64 {
	var out []int64
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}

func TestEntriesRoundTrip(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	srcs := sources(t, s, 2)
	in := model.Entry{
		ID: 99, SourceID: 99, FirstSeen: t0.Add(time.Hour), // ignored
		GUID: "tag:a.example,2025:1", Link: "https://a.example/1?x=1", CanonicalURL: "https://a.example/1",
		ContentHash: "abc", Title: "Héllo <wörld>", Author: "Ann", Summary: "<p>sum</p>", Content: "<p>body</p>",
		Categories: []string{"go", "naïve"},
		Published:  t0.Add(-time.Hour).In(time.FixedZone("CET", 3600)), Updated: t0.Add(-time.Minute),
		ItemKey:    "tag:a.example,2025:1",
		Authors:    []model.Person{{Name: "Ann", URI: "https://a.example/ann", Email: "ann@a.example"}, {Name: "Bo"}},
		Enclosures: []model.Enclosure{{URL: "https://a.example/1.mp3", Type: "audio/mpeg", Length: 1234, Title: "Episode 1"}},
		Lang:       "pt-BR",
		Origin:     &model.Origin{ID: "urn:orig", Title: "Origin", Link: "https://o.example/", Self: "https://o.example/feed", Updated: t0.Add(-48 * time.Hour)},
	}
	save(t, s, srcs[0].ID, refresh(t0, in))
	save(t, s, srcs[1].ID, refresh(t0, model.Entry{GUID: "b-1", Link: "https://b.example/x", CanonicalURL: "https://a.example/1"}))

	got := allEntries(t, s)
	if len(got) != 1 {
		t.Fatalf("%d entries, want 1", len(got))
	}
	want := in
	want.ID, want.SourceID, want.FirstSeen = got[0].ID, srcs[0].ID, t0
	want.Alternates = []model.Alternate{{SourceID: srcs[1].ID, GUID: "b-1", Link: "https://b.example/x"}}
	if !got[0].Published.Equal(want.Published) || !got[0].Updated.Equal(want.Updated) || !got[0].FirstSeen.Equal(t0) {
		t.Errorf("dates = %v %v %v", got[0].Published, got[0].Updated, got[0].FirstSeen)
	}
	if !got[0].Listed.Equal(want.Published) {
		t.Errorf("listed %v, want the published date %v", got[0].Listed, want.Published)
	}
	got[0].Published, got[0].Updated, got[0].FirstSeen, got[0].Listed = want.Published, want.Updated, want.FirstSeen, time.Time{}
	if got[0].Origin != nil && got[0].Origin.Updated.Equal(want.Origin.Updated) {
		got[0].Origin.Updated = want.Origin.Updated
	}
	if !reflect.DeepEqual(got[0], want) {
		t.Errorf("entry:\n got %+v\nwant %+v", got[0], want)
	}
}

func TestEntriesOrderAndPaging(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	srcs := sources(t, s, 2)
	// Six posts, several sharing a date, spread over two sources and polls.
	dates := []time.Duration{0, -time.Hour, 0, -2 * time.Hour, -time.Hour, 0}
	for i, d := range dates {
		e := post(fmt.Sprint("g", i), fmt.Sprint("https://x.example/", i), fmt.Sprint("h", i), t0.Add(d))
		save(t, s, srcs[i%2].ID, refresh(t0, e))
	}
	all := allEntries(t, s)
	if len(all) != len(dates) {
		t.Fatalf("%d entries, want %d", len(all), len(dates))
	}
	for i := 1; i < len(all); i++ {
		a, b := all[i-1], all[i]
		if a.Published.Before(b.Published) || (a.Published.Equal(b.Published) && a.ID < b.ID) {
			t.Errorf("entries %d and %d out of order: (%v, %d) before (%v, %d)", i-1, i, a.Published, a.ID, b.Published, b.ID)
		}
	}
	// Entries 0, 2 and 5 share t0: the newest row comes first.
	if want := []string{"g5", "g2", "g0"}; all[0].GUID != want[0] || all[1].GUID != want[1] || all[2].GUID != want[2] {
		t.Errorf("tie order = %s %s %s, want %v", all[0].GUID, all[1].GUID, all[2].GUID, want)
	}

	var ofB []int64 // source b has the odd posts; only b has tag "b"
	for _, e := range all {
		if e.SourceID == srcs[1].ID {
			ofB = append(ofB, e.ID)
		}
	}
	tests := []struct {
		q     Query
		want  []int64
		count int // ignores Limit and Offset
	}{
		{Query{Limit: 2}, ids(all[:2]), 6},
		{Query{Limit: 2, Offset: 2}, ids(all[2:4]), 6},
		{Query{Limit: 2, Offset: 4}, ids(all[4:]), 6},
		{Query{Limit: 2, Offset: 6}, nil, 6},
		{Query{Offset: 5}, ids(all[5:]), 6},
		{Query{SourceID: srcs[1].ID}, ofB, 3},
		{Query{SourceID: srcs[1].ID, Limit: 1, Offset: 1}, ofB[1:2], 3},
		{Query{Tag: "b"}, ofB, 3},
		{Query{Tag: "all", Limit: 1}, ids(all[:1]), 6},
		{Query{Tag: "nope"}, nil, 0},
		{Query{SourceID: 12345}, nil, 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%+v", tt.q), func(t *testing.T) {
			t.Parallel()
			got, err := s.Entries(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ids(got), tt.want) {
				t.Errorf("ids = %v, want %v", ids(got), tt.want)
			}
			n, err := s.CountEntries(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if n != tt.count {
				t.Errorf("CountEntries = %d, want %d", n, tt.count)
			}
		})
	}
}
