package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"testing/fstest"
	"time"
)

func TestOpenMigratesInWALMode(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	ms, err := loadMigrations(migrationFS)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := userVersion(ctx, s.writer); err != nil || v != len(ms) || v == 0 {
		t.Errorf("user_version = %d, %v; want %d", v, err, len(ms))
	}
	for name, db := range map[string]*sql.DB{"writer": s.writer, "reader": s.reader} {
		var mode string
		if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
			t.Errorf("%s journal_mode = %q, %v; want wal", name, mode, err)
		}
	}
	pragmas := map[string]int{"foreign_keys": 1, "busy_timeout": 5000, "synchronous": 1, "wal_autocheckpoint": 10000}
	for p, want := range pragmas {
		var got int
		if err := s.writer.QueryRow("PRAGMA " + p).Scan(&got); err != nil || got != want {
			t.Errorf("writer %s = %d, %v; want %d", p, got, err, want)
		}
	}
	if _, err := s.reader.Exec("DELETE FROM sources"); err == nil {
		t.Error("reader pool accepted a write")
	}
	if err := s.Ping(ctx); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

func TestCheckWALRejectsOtherModes(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"delete", "truncate", "memory"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			dsn := "file:" + filepath.Join(t.TempDir(), "x.db") + "?_pragma=journal_mode(" + mode + ")"
			db, err := sql.Open("sqlite", dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := checkWAL(context.Background(), db); err == nil {
				t.Errorf("checkWAL accepted journal_mode %s", mode)
			}
		})
	}
}

func TestOpenRejectsNewerSchema(t *testing.T) {
	t.Parallel()
	s, path := openTemp(t)
	if _, err := s.writer.Exec("PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(context.Background(), path)
	if err == nil {
		s2.Close()
	}
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("Open of a newer database: err = %v, want ErrSchemaTooNew", err)
	}
}

func TestReopenKeepsData(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "village.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	srcs := sources(t, s, 2)
	r := refresh(t0, post("g1", "https://a.example/1", "h1", t0.Add(-2*time.Hour)))
	r.ETag, r.LastModified, r.FeedTitle = `"v1"`, "Sat, 01 Mar 2025 10:00:00 GMT", "A's blog"
	save(t, s, srcs[0].ID, r)
	save(t, s, srcs[1].ID, refresh(t0, post("g2", "https://a.example/1", "h1", t0)))
	wantSrc := getSource(t, s, srcs[0].ID)
	wantEntries := allEntries(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	if got := getSource(t, s, srcs[0].ID); !reflect.DeepEqual(got, wantSrc) {
		t.Errorf("source after reopen:\n got %+v\nwant %+v", got, wantSrc)
	}
	if got := allEntries(t, s); !reflect.DeepEqual(got, wantEntries) || len(got) != 1 || len(got[0].Alternates) != 1 {
		t.Errorf("entries after reopen:\n got %+v\nwant %+v", got, wantEntries)
	}
}

func TestOpenPathWithURIChars(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "a?b#c%20d.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database not created under its own name: %v", err)
	}
}

func TestOpenRejectsNonFilePaths(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"", ":memory:"} {
		if s, err := Open(context.Background(), path); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded; the reader pool would see another database", path)
		}
	}
}

func TestLoadMigrations(t *testing.T) {
	t.Parallel()
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	tests := []struct {
		name    string
		fs      fstest.MapFS
		want    []int
		wantErr bool
	}{
		{"ordered", fstest.MapFS{"migrations/002_b.sql": file("B"), "migrations/001_a.sql": file("A")}, []int{1, 2}, false},
		{"gap", fstest.MapFS{"migrations/001_a.sql": file("A"), "migrations/003_c.sql": file("C")}, nil, true},
		{"no number", fstest.MapFS{"migrations/init.sql": file("A")}, nil, true},
		{"duplicate", fstest.MapFS{"migrations/001_a.sql": file("A"), "migrations/001_b.sql": file("B")}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ms, err := loadMigrations(tt.fs)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			var got []int
			for _, m := range ms {
				got = append(got, m.version)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("versions = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestTimeRoundTrip(t *testing.T) {
	t.Parallel()
	for _, tm := range []time.Time{{}, t0, t0.In(time.FixedZone("X", 3600)), time.Date(1900, 1, 1, 0, 0, 0, 1, time.UTC)} {
		if got := fromNanos(toNanos(tm)); !got.Equal(tm) {
			t.Errorf("round trip of %v = %v", tm, got)
		}
	}
	if got := fromNanos(toNanos(time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))); !got.Equal(maxTime) {
		t.Errorf("far future = %v, want clamped to %v", got, maxTime)
	}
}
