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
