package daemon

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/villagefeeds/village/internal/store"
)

// TestUpgradeReadsOldEntries: a database whose entries an older village
// stored without their texts is read again in the background on start,
// and nothing is lost or stored twice.
func TestUpgradeReadsOldEntries(t *testing.T) {
	p := startPlanet(t, communityFeeds...)
	p.waitFeed("the community fixtures", hasEntries(45))
	p.stop()

	db := filepath.Join(filepath.Dir(p.config), "village.db")
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.ForgetTexts(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n, err := st.Unread(context.Background()); err != nil || n != 45 {
		t.Fatalf("%d unread entries (%v), want 45: the test needs them", n, err)
	}
	st.Close()

	q := runPlanet(t, p.config, p.srv)
	q.waitEvent("rescanned")
	q.waitFeed("the same 45 entries", hasEntries(45))
	st, err = store.OpenReadOnly(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if n, err := st.Unread(context.Background()); err != nil || n != 0 {
		t.Errorf("%d entries still unread after the start (%v)", n, err)
	}
}
