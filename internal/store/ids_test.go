package store

import (
	"context"
	"reflect"
	"testing"
	"time"
)

func TestKnownIDs(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	srcs := sources(t, s, 2)
	save(t, s, srcs[0].ID, refresh(t0, post("a-1", "https://a.example/1", "h1", t0), post("", "https://a.example/2", "h2", t0)))
	save(t, s, srcs[1].ID, refresh(t0, post("b-9", "https://b.example/9", "h1", t0.Add(time.Hour))))

	got, err := s.KnownIDs(context.Background(), srcs[0].URL)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"https://a.example/1": "a-1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("own entries: %v, want %v (posts without an id have none to compare)", got, want)
	}
	got, _ = s.KnownIDs(context.Background(), srcs[1].URL)
	if want := map[string]string{"https://b.example/9": "b-9"}; !reflect.DeepEqual(got, want) {
		t.Errorf("copies of another source's entry: %v, want %v", got, want)
	}
	if got, _ := s.KnownIDs(context.Background(), "https://never.example/feed"); len(got) != 0 {
		t.Errorf("unknown source: %v", got)
	}
}
