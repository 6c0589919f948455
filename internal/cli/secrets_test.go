package cli

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommandsHideSecrets: fetch, feeds, export, check and add show feed
// URLs with their secrets as ***, in their errors too; export
// --with-secrets keeps them for a backup.
func TestCommandsHideSecrets(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(srv.Close)
	secret := strings.Replace(srv.URL, "http://", "http://alice:PW1@", 1) + "/feed.xml?token=TOK1&sid=TOK2"
	cfg := filepath.Join(t.TempDir(), "feeds.yaml")
	writeFile(t, cfg, "allow_private_networks: true\nsecret_params: [sid]\nfeeds:\n  - name: Private\n    url: "+secret+"\n")

	outputs := map[string]string{}
	other := strings.Replace(secret, "/feed.xml", "/other.xml", 1) // not a feed: discovery fails
	list := filepath.Join(t.TempDir(), "list.opml")                // lists the feed again: skipped
	writeFile(t, list, `<opml version="2.0"><body><outline type="rss" text="Again" xmlUrl="`+
		strings.ReplaceAll(secret, "&", "&amp;")+`"/></body></opml>`)
	for _, args := range [][]string{{"fetch"}, {"feeds"}, {"feeds", "--json"}, {"export"}, {"check", "--fetch"},
		{"add", secret}, {"add", other}, {"remove", other}, {"import", list}} {
		_, stdout, stderr := run(t, append(args, "--config", cfg)...)
		outputs[strings.Join(args, " ")] = stdout + stderr
	}
	for cmd, out := range outputs {
		for _, s := range []string{"PW1", "TOK1", "TOK2"} {
			if strings.Contains(out, s) {
				t.Errorf("village %s shows %s:\n%s", cmd, s, out)
			}
		}
		if !strings.Contains(out, "***@") || !strings.Contains(out, "token=***") {
			t.Errorf("village %s does not show the redacted URL:\n%s", cmd, out)
		}
	}
	if !strings.Contains(outputs["fetch"], "fetch http://***@") {
		t.Errorf("fetch should show the full error, redacted:\n%s", outputs["fetch"])
	}
	_, backup, _ := run(t, "export", "--with-secrets", "--config", cfg)
	if want := strings.ReplaceAll(secret, "&", "&amp;"); !strings.Contains(backup, want) {
		t.Errorf("export --with-secrets lacks %s:\n%s", want, backup)
	}
	// Last, as it empties the planet.
	if _, out, _ := run(t, "remove", secret, "--config", cfg); strings.Contains(out, "PW1") || strings.Contains(out, "TOK2") ||
		!strings.Contains(out, "***@") {
		t.Errorf("village remove shows the secrets of the URL it removed:\n%s", out)
	}
}
