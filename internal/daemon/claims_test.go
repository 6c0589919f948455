package daemon

import (
	"testing"
	"time"
)

// TestClaims: a source is polled once at a time, and a row read before its
// last poll ended (a stale "due") does not start another.
func TestClaims(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	c := newClaims()
	steps := []struct {
		what   string
		do     func() bool
		want   bool
		isBusy bool
	}{
		{"first poll", func() bool { return c.claim(1, t0) }, true, true},
		{"again while it runs", func() bool { return c.claim(1, t0.Add(time.Second)) }, false, true},
		{"listed before it ended", func() bool { c.done(1, t0.Add(2*time.Second)); return c.claim(1, t0.Add(time.Second)) }, false, false},
		{"listed after it ended", func() bool { return c.claim(1, t0.Add(3*time.Second)) }, true, true},
	}
	for _, s := range steps {
		if got := s.do(); got != s.want {
			t.Errorf("%s: claim %v, want %v", s.what, got, s.want)
		}
		if got := !c.settled(1, t0.Add(10*time.Second)); got != s.isBusy {
			t.Errorf("%s: busy %v, want %v", s.what, got, s.isBusy)
		}
	}
	if !c.claim(2, t0) {
		t.Error("another source cannot be claimed")
	}
	// A poll that ended after a row was read leaves that row stale.
	c.done(2, t0.Add(5*time.Second))
	if c.settled(2, t0.Add(4*time.Second)) || !c.settled(2, t0.Add(5*time.Second)) || !c.settled(3, t0) {
		t.Error("settled does not follow the end of the last poll")
	}
}
