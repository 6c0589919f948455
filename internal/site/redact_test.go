package site

import (
	"context"
	"strings"
	"testing"

	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/redact"
)

// TestSecretsStayOffTheSite lists sources whose feed URLs carry a password,
// a token and a parameter the planet names as secret, and looks for them in
// every document of the site: pages, every feed format and the OPML list.
func TestSecretsStayOffTheSite(t *testing.T) {
	f := fixture()
	f.sources[0].URL = "https://alice:PW1@alice.example/feed.xml?token=TOK1"
	f.sources[1].URL = "https://bob.example/atom.xml?x-api-key=TOK2&page=1"
	f.sources[1].LastError = "fetch https://bob.example/atom.xml?x-api-key=TOK2&page=1: http 404 Not Found"
	f.sources[2].URL = "https://carol.example/rss?session=TOK3"
	f.sources[2].MovedTo = "https://carol.example/new.xml?session=TOK4"
	f.sources = append(f.sources, model.Source{ID: 4, URL: "https://dan:PW2@dan.example/feed"})
	for _, static := range []bool{false, true} {
		o := fixtureOptions
		o.Static, o.Redact = static, redact.New([]string{"session"})
		docs, err := NewBuilder().Build(context.Background(), f, o)
		if err != nil {
			t.Fatal(err)
		}
		var all strings.Builder
		for _, d := range docs {
			for _, secret := range []string{"PW1", "PW2", "TOK1", "TOK2", "TOK3", "TOK4"} {
				if strings.Contains(string(d.Body), secret) {
					t.Errorf("static=%v: %s shows %s", static, d.Key(), secret)
				}
			}
			all.Write(d.Body)
		}
		for _, want := range []string{
			"https://***@alice.example/feed.xml?token=***",                                // pages, atom:source, OPML
			"https://bob.example/atom.xml?x-api-key=***&amp;page=1",                       // the rest stays
			"The feed has moved permanently to https://carol.example/new.xml?session=***", // moved_to
		} {
			if !strings.Contains(all.String(), want) {
				t.Errorf("static=%v: no document shows %s", static, want)
			}
		}
	}
}
