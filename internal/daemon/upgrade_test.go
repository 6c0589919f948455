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
	if due, n, err := st.RescanDue(context.Background()); err != nil || !due || n != 45 {
		t.Fatalf("rescan due %v, %d unread entries (%v); want due, 45: the test needs them", due, n, err)
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
	if due, n, err := st.RescanDue(context.Background()); err != nil || due || n != 0 {
		t.Errorf("rescan still due %v, %d entries unread after the start (%v)", due, n, err)
	}
}
