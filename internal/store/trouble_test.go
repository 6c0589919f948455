package store

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

func TestTroubleIsLoggedOnceUntilItWorksAgain(t *testing.T) {
	var out bytes.Buffer
	s := &Store{}
	tr := &s.trouble
	disk := errors.New("database or disk is full")
	tr.report("reading search keys", errors.New("before the logger"))
	s.SetLogger(slog.New(slog.NewTextHandler(&out, nil)))
	tr.report("reading search keys", nil)
	tr.report("moving search keys", nil)
	for range 3 {
		tr.report("moving search keys", disk)
	}
	tr.report("moving search keys", context.Canceled)
	tr.report("moving search keys", nil)
	tr.report("moving search keys", nil)
	want := []string{
		"level=WARN msg=\"store: reading search keys failed; trying again later\" error=\"before the logger\"",
		"level=INFO msg=\"store: reading search keys works again\"",
		"level=WARN msg=\"store: moving search keys failed; trying again later\" error=\"database or disk is full\"",
		"level=INFO msg=\"store: moving search keys works again\"",
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != len(want) {
		t.Fatalf("log:\n%s\nwant %d lines", out.String(), len(want))
	}
	for i, w := range want {
		if !strings.Contains(lines[i], w) {
			t.Errorf("line %d: %s\nwant %s", i+1, lines[i], w)
		}
	}
}

// TestQueriesArePrepared asks for every statement the store runs through
// its queries: one left out of writtenSQL or readSQL would fail only where
// its error is taken as "not known" or "distrust the filter", slower and
// silent.
func TestQueriesArePrepared(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	for _, q := range []string{markUnchangedSQL, bodyDigestSQL, knownKeysSQL, pageCutoffSQL, dataVersionSQL} {
		if _, err := s.written.stmt(ctx, q); err != nil {
			t.Errorf("writer: %v", err)
		}
	}
	for _, q := range []string{edgeWindowSQL, learnedSQL, storedDigestsSQL, ownItemSQL} {
		if _, err := s.read.stmt(ctx, q); err != nil {
			t.Errorf("readers: %v", err)
		}
	}
	if _, err := s.read.stmt(ctx, "SELECT 1"); err == nil {
		t.Error("a query never prepared was handed out")
	}
}
