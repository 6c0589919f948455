package store

import (
	"context"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/model"
)

// TestBodyDigest: a refresh stores its body's digest with the source; an
// unchanged poll of that digest is recorded, one of another digest is not;
// and the digest is cleared wherever the source's next body must be read
// whole: when it inherits a removed source's entries, when it is listed
// again after its removal, and when it becomes canonical.
func TestBodyDigest(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	srcs := sources(t, s, 2)
	digest := []byte("0123456789abcdef")
	saveWith := func(id int64, d []byte, es ...model.Entry) {
		t.Helper()
		r := refresh(t0, es...)
		r.BodyDigest = d
		save(t, s, id, r)
	}
	mark := func(id int64, d []byte) bool {
		t.Helper()
		same, err := s.MarkUnchanged(ctx, id, Unchanged{CheckedAt: t0.Add(time.Hour), NextCheck: t0.Add(2 * time.Hour), Status: 200, Digest: d})
		if err != nil {
			t.Fatal(err)
		}
		return same
	}

	saveWith(srcs[1].ID, digest, post("m", "https://mirror.example/1", "hash", t0.Add(time.Hour)))
	if got := getSource(t, s, srcs[1].ID).BodyDigest; string(got) != string(digest) {
		t.Fatalf("stored digest %x, want %x", got, digest)
	}
	if mark(srcs[1].ID, []byte("another digest..")) {
		t.Error("a poll of another digest was recorded as unchanged")
	}
	if !mark(srcs[1].ID, digest) {
		t.Fatal("a poll of the stored digest was not recorded")
	}
	if got := getSource(t, s, srcs[1].ID); got.LastStatus != 200 || !got.LastCheck.Equal(t0.Add(time.Hour)) {
		t.Errorf("source after the unchanged poll: status %d, checked %v", got.LastStatus, got.LastCheck)
	}

	// The original's source goes: its entry passes to the mirror.
	saveWith(srcs[0].ID, digest, post("o", "https://blog.example/p/", "hash", t0))
	if _, err := s.SyncSources(ctx, []model.Source{srcs[1]}); err != nil {
		t.Fatal(err)
	}
	if got := getSource(t, s, srcs[1].ID).BodyDigest; len(got) != 0 || mark(srcs[1].ID, digest) {
		t.Errorf("the heir keeps digest %x; want its next body read whole", got)
	}

	// Listed again, the removed source reads its next body whole.
	if _, err := s.SyncSources(ctx, srcs); err != nil {
		t.Fatal(err)
	}
	if got := getSource(t, s, srcs[0].ID).BodyDigest; len(got) != 0 {
		t.Errorf("a source listed again keeps digest %x", got)
	}

	// So does a source that becomes canonical.
	saveWith(srcs[0].ID, digest)
	srcs[0].Canonical = true
	if _, err := s.SyncSources(ctx, srcs); err != nil {
		t.Fatal(err)
	}
	if got := getSource(t, s, srcs[0].ID).BodyDigest; len(got) != 0 {
		t.Errorf("a source made canonical keeps digest %x", got)
	}
}
