package cli

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/villagefeeds/village/internal/farm"
)

// TestFetchFarmCollapsesItsCrossPosts polls a small loopback farm, where one
// blog in ten republishes other blogs' posts between its own lines: every
// copy is stored as an alternate, and nothing else is merged.
func TestFetchFarmCollapsesItsCrossPosts(t *testing.T) {
	const feeds, entries = 30, 8
	f, err := farm.Start(farm.Options{Feeds: feeds, Entries: entries, Hosts: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	cfg := filepath.Join(t.TempDir(), "feeds.yaml")
	var b strings.Builder
	b.WriteString("allow_private_networks: true\nfeeds:\n")
	for _, u := range f.URLs() {
		fmt.Fprintf(&b, "  - url: %s\n", u)
	}
	writeFile(t, cfg, b.String())
	copies := f.CrossPosts()
	if copies == 0 {
		t.Fatal("the farm has no cross-posts to find")
	}
	code, out, errs := run(t, "fetch", "--config", cfg, "--log-level", "error")
	want := fmt.Sprintf("%d new", feeds*entries-copies)
	if code != 0 || !strings.Contains(out, want) || !strings.Contains(out, fmt.Sprintf("%d duplicates", copies)) {
		t.Errorf("fetch: exit %d, want %s and %d duplicates:\n%s%s", code, want, copies, out, errs)
	}
}
