package redact

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
)

func TestURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.org/feed.xml", "https://example.org/feed.xml"},
		{"https://alice:s3cret@example.org/feed.xml", "https://***@example.org/feed.xml"},
		{"https://alice@example.org/feed.xml", "https://***@example.org/feed.xml"},
		{"https://example.org/feed?token=abc&page=2", "https://example.org/feed?token=***&page=2"},
		{"https://example.org/feed?page=2&API_KEY=abc", "https://example.org/feed?page=2&API_KEY=***"},
		{"https://example.org/f?apikey=1&key=2&sig=3&signature=4&auth=5&password=6&access_token=7",
			"https://example.org/f?apikey=***&key=***&sig=***&signature=***&auth=***&password=***&access_token=***"},
		{"https://example.org/f?feed_token=1&x-api-key=2&private.token=3", "https://example.org/f?feed_token=***&x-api-key=***&private.token=***"},
		{"https://example.org/f?monkey=1&keyword=go&q=token", "https://example.org/f?monkey=1&keyword=go&q=token"},
		{"https://example.org/f?token=&token", "https://example.org/f?token=&token"},
		{"https://example.org/f?to%6Ben=abc", "https://example.org/f?to%6Ben=***"},
		{"https://example.org/f#access_token=abc&state=1", "https://example.org/f#access_token=***&state=1"},
		{"https://u:p@example.org:8443/f?token=a#x", "https://***@example.org:8443/f?token=***#x"},
		{"not a url", "not a url"},
		{"", ""},
		{"https://u:p@exa mple.org/%zz", "https://***@exa mple.org/%zz"},
		{"https://a@b@example.org/", "https://***@example.org/"},
		{"https://example.org/@x?q=1", "https://example.org/@x?q=1"},
		// Tokens in the path.
		{"https://calendar.example.com/calendar/ical/me%40example.com/private-0a1b2c3d4e5f60718293a4b5c6d7e8f9/basic.ics",
			"https://calendar.example.com/calendar/ical/me%40example.com/***/basic.ics"},
		{"https://feeds.example.in/rss/secret:3f9a8b7c6d5e4f3a2b1c/u:alice/", "https://feeds.example.in/rss/***/u:alice/"},
		{"https://reader.example/feeds/0b5e3c2a-9d1f-4e6b-8a7c-1f2e3d4c5b6a.xml?page=2", "https://reader.example/feeds/***?page=2"},
		{"https://example.org/f/AbCdEf0123GhIjKl4567/atom", "https://example.org/f/***/atom"},
		// Not tokens: words, slugs with numbers, dates, numeric ids.
		{"https://kubernetes.io/blog/2024/04/17/kubernetes-v1-30-release/", "https://kubernetes.io/blog/2024/04/17/kubernetes-v1-30-release/"},
		{"https://www.blogger.com/feeds/1234567890123456789/posts/default", "https://www.blogger.com/feeds/1234567890123456789/posts/default"},
		{"https://example.org/internationalization/feed.xml", "https://example.org/internationalization/feed.xml"},
		{"https://example.org/feeds/blog-0001.xml", "https://example.org/feeds/blog-0001.xml"},
	}
	for _, tt := range tests {
		if got := URL(tt.in); got != tt.want {
			t.Errorf("URL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestConfiguredParams(t *testing.T) {
	r := New([]string{"Private", " session "})
	got := r.URL("https://example.org/f?private=1&session=2&token=3&page=4")
	if want := "https://example.org/f?private=***&session=***&token=***&page=4"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if URL("https://example.org/f?session=2") != "https://example.org/f?session=2" {
		t.Error("the configured list leaked into the default Redactor")
	}
	var nilR *Redactor
	if got := nilR.URL("https://u:p@x.org/?token=1"); got != "https://***@x.org/?token=***" {
		t.Errorf("nil Redactor: got %q", got)
	}
}

func TestText(t *testing.T) {
	in := `Get "https://bob:hunter2@example.org/feed?token=abc": dial tcp: lookup example.org: no such host; then HTTPS://EXAMPLE.ORG/x?key=k and http://ok.example/ end`
	got := Text(in)
	for _, secret := range []string{"hunter2", "bob", "abc", "=k "} {
		if strings.Contains(got, secret) {
			t.Errorf("Text kept %q: %s", secret, got)
		}
	}
	want := `Get "https://***@example.org/feed?token=***": dial tcp: lookup example.org: no such host; then HTTPS://EXAMPLE.ORG/x?key=*** and http://ok.example/ end`
	if got != want {
		t.Errorf("Text:\n got %s\nwant %s", got, want)
	}
	if s := "no URL here, only httpd"; Text(s) != s {
		t.Errorf("Text changed %q", s)
	}
}

func TestError(t *testing.T) {
	base := fs.ErrNotExist
	err := New(nil).Error(errors.Join(errors.New("fetch https://u:p@x.org/f"), base))
	if strings.Contains(err.Error(), "u:p") {
		t.Errorf("Error kept the password: %v", err)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Error("errors.Is no longer sees the wrapped error")
	}
	plain := errors.New("plain")
	if New(nil).Error(plain) != plain {
		t.Error("an error without a URL should come back as it is")
	}
	if New(nil).Error(nil) != nil {
		t.Error("nil should stay nil")
	}
}

func FuzzText(f *testing.F) {
	f.Add(`Get "https://a:b@c/?token=d"`)
	f.Add("http://x/?key=1&key=2 https://y")
	f.Fuzz(func(t *testing.T, s string) {
		out := Text(s)
		if Text(out) != out {
			t.Errorf("not idempotent: %q -> %q -> %q", s, out, Text(out))
		}
	})
}
