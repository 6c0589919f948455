package store

import (
	"context"
	"reflect"
	"testing"
	"time"
)

// A refresh read ahead before another refresh of its source taught the
// store that source's boilerplate must be read again by the writer: stored
// with the stale reading, its keys would still hold the syndicator's lines.
// The keys stored must be those of a refresh saved without reading ahead.
func TestReadAheadStaleBoilerplateIsReadAgain(t *testing.T) {
	t.Parallel()
	keysAfter := func(readAhead bool) ([]string, []string) {
		s := newStore(t)
		synd := sources(t, s, 1)[0].ID
		first := refresh(t0,
			syndicated("p1", "One", t0, words("one", 90)),
			syndicated("p2", "Two", t0, words("two", 90)),
			syndicated("p3", "Three", t0, words("three", 90)))
		late := refresh(t0.Add(time.Hour), syndicated("p4", "Four", t0.Add(time.Hour), words("four", 90)))
		if readAhead {
			if err := s.ReadAhead(context.Background(), synd, &late); err != nil {
				t.Fatal(err)
			}
			if late.ahead == nil || late.ahead.bp.Len() != 0 {
				t.Fatalf("read ahead of a source with nothing stored: %+v, want a reading with no boilerplate", late.ahead)
			}
		}
		save(t, s, synd, first)
		if bp := getBoilerplate(t, s, synd); bp == 0 {
			t.Fatal("three syndicated posts taught no boilerplate; the test needs some")
		}
		save(t, s, synd, late)
		return column(t, s, `SELECT kind || ' ' || value FROM entry_keys ORDER BY entry_id, kind, value`),
			column(t, s, `SELECT bands FROM entry_texts ORDER BY entry_id`)
	}
	wantKeys, wantBands := keysAfter(false)
	gotKeys, gotBands := keysAfter(true)
	if !reflect.DeepEqual(gotKeys, wantKeys) || !reflect.DeepEqual(gotBands, wantBands) {
		t.Errorf("keys stored from a stale reading ahead:\n%q\n%q\nwant\n%q\n%q", gotKeys, gotBands, wantKeys, wantBands)
	}
}

// TestReadAheadLearningIsReused: when nothing of the source committed
// between ReadAhead and the save, the writer takes the window and the
// boilerplate ReadAhead learned instead of learning them again, and
// stores what it would have learned itself.
func TestReadAheadLearningIsReused(t *testing.T) {
	t.Parallel()
	stored := func(readAhead bool) []string {
		s := newStore(t)
		synd := sources(t, s, 1)[0].ID
		save(t, s, synd, refresh(t0,
			syndicated("p1", "One", t0, words("one", 90)),
			syndicated("p2", "Two", t0, words("two", 90)),
			syndicated("p3", "Three", t0, words("three", 90))))
		next := refresh(t0.Add(time.Hour),
			syndicated("p4", "Four", t0.Add(time.Hour), words("four", 90)),
			syndicated("p5", "Five", t0.Add(time.Hour), words("five", 90)))
		if readAhead {
			if err := s.ReadAhead(context.Background(), synd, &next); err != nil {
				t.Fatal(err)
			}
			var window, bp []byte
			if err := s.reader.QueryRow(`SELECT edge_window, boilerplate FROM sources WHERE id = ?1`, synd).Scan(&window, &bp); err != nil {
				t.Fatal(err)
			}
			if _, _, _, ok := next.ahead.learned(window, bp); !ok || next.ahead.bp.Len() == 0 {
				t.Fatal("the writer would learn again what ReadAhead learned from the same stored window")
			}
		}
		save(t, s, synd, next)
		return append(column(t, s, `SELECT hex(edge_window) || ' ' || hex(boilerplate) FROM sources`),
			append(column(t, s, `SELECT kind || ' ' || value FROM entry_keys ORDER BY entry_id, kind, value`),
				column(t, s, `SELECT bands FROM entry_texts ORDER BY entry_id`)...)...)
	}
	if want, got := stored(false), stored(true); !reflect.DeepEqual(got, want) {
		t.Errorf("stored from ReadAhead's learning:\n%q\nwant\n%q", got, want)
	}
}

func getBoilerplate(t *testing.T, s *Store, sourceID int64) int {
	t.Helper()
	var n int
	if err := s.reader.QueryRow(`SELECT length(boilerplate) FROM sources WHERE id = ?1`, sourceID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func column(t *testing.T, s *Store, query string) []string {
	t.Helper()
	rows, err := s.reader.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}
