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
	var tr trouble
	tr.report("moving search keys", errors.New("before the logger")) // nobody to tell
	tr.log.Store(slog.New(slog.NewTextHandler(&out, nil)))
	disk := errors.New("database or disk is full")
	tr.report("moving search keys", nil)
	for range 3 {
		tr.report("moving search keys", disk)
	}
	tr.report("reading search keys", context.Canceled)
	tr.report("moving search keys", nil)
	tr.report("moving search keys", nil)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 ||
		!strings.Contains(lines[0], "level=WARN") || !strings.Contains(lines[0], "moving search keys failed") || !strings.Contains(lines[0], "disk is full") ||
		!strings.Contains(lines[1], "level=INFO") || !strings.Contains(lines[1], "moving search keys works again") {
		t.Errorf("log:\n%s\nwant one warning, then one line when it works again", out.String())
	}
}
