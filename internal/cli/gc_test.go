//go:build unix

package cli

import (
	"regexp"
	"strconv"
	"syscall"
	"testing"

	"github.com/villagefeeds/village/internal/farm"
)

// TestServeSetsTheGCTarget: serve runs the garbage collector at
// serveGCPercent (its /metrics says so), unless GOGC is set.
func TestServeSetsTheGCTarget(t *testing.T) {
	cfg, _ := farmPlanet(t, farm.Options{Feeds: 1, Entries: 1, Hosts: 1})
	addrRe := regexp.MustCompile(`msg=serving .* addr=(\S+)`)
	gogcRe := regexp.MustCompile(`(?m)^go_gc_gogc_percent (\d+)$`)
	for _, c := range []struct{ env, want string }{{"", strconv.Itoa(serveGCPercent)}, {"100", "100"}, {"200", "200"}} {
		t.Setenv("GOGC", c.env)
		cmd, log := child(t, "serve", "--config", cfg, "--listen", "127.0.0.1:0")
		addr := ""
		for addr == "" && log.Scan() {
			if m := addrRe.FindStringSubmatch(log.Text()); m != nil {
				addr = m[1]
			}
		}
		if addr == "" {
			t.Fatalf("GOGC=%q: serve never said where it listens", c.env)
		}
		m := gogcRe.FindStringSubmatch(get(t, "http://"+addr+"/metrics"))
		cmd.Process.Signal(syscall.SIGTERM)
		for log.Scan() {
		}
		if err := cmd.Wait(); err != nil {
			t.Errorf("GOGC=%q: serve did not stop cleanly: %v", c.env, err)
		}
		if m == nil || m[1] != c.want {
			t.Errorf("GOGC=%q: go_gc_gogc_percent %v, want %s", c.env, m, c.want)
		}
	}
}
