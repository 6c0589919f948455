package dedup

import "testing"

func TestCanonicalURL(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"already canonical", "https://a.org/blog/x", "https://a.org/blog/x"},
		{"surrounding space", "  https://a.org/x\n", "https://a.org/x"},

		// Scheme and host.
		{"upper-case scheme", "HTTPS://a.org/x", "https://a.org/x"},
		{"upper-case host", "https://Blog.Example.ORG/x", "https://blog.example.org/x"},
		{"path case kept", "https://a.org/Blog/X", "https://a.org/Blog/X"},
		{"http is https", "http://a.org/x", "https://a.org/x"},
		{"trailing dot in host", "https://a.org./x", "https://a.org/x"},
		{"idn host to punycode", "https://Bücher.example/x", "https://xn--bcher-kva.example/x"},
		{"punycode host kept", "https://xn--bcher-kva.example/x", "https://xn--bcher-kva.example/x"},
		{"ipv4 host", "http://127.0.0.1:8089/feed", "https://127.0.0.1:8089/feed"},
		{"ipv6 host", "http://[2001:DB8::1]:8080/x", "https://[2001:db8::1]:8080/x"},
		{"userinfo dropped", "https://user:secret@a.org/x", "https://a.org/x"},

		// Ports.
		{"port 80 dropped", "http://a.org:80/x", "https://a.org/x"},
		{"port 443 dropped", "https://a.org:443/x", "https://a.org/x"},
		{"port 443 on http dropped", "http://a.org:443/x", "https://a.org/x"},
		{"empty port dropped", "https://a.org:/x", "https://a.org/x"},
		{"leading zeros in port", "https://a.org:0080/x", "https://a.org/x"},
		{"other port kept", "https://a.org:8443/x", "https://a.org:8443/x"},

		// Fragment.
		{"fragment dropped", "https://a.org/x#comments", "https://a.org/x"},
		{"empty fragment dropped", "https://a.org/x#", "https://a.org/x"},

		// Path.
		{"trailing slash dropped", "https://a.org/blog/x/", "https://a.org/blog/x"},
		{"many trailing slashes dropped", "https://a.org/blog/x//", "https://a.org/blog/x"},
		{"index.html dropped", "https://a.org/blog/x/index.html", "https://a.org/blog/x"},
		{"index.htm dropped", "https://a.org/blog/x/index.htm", "https://a.org/blog/x"},
		{"index.html then slash", "https://a.org/blog/x/index.html/", "https://a.org/blog/x"},
		{"index.html at root", "https://a.org/index.html", "https://a.org/"},
		{"name ending in index.html kept", "https://a.org/myindex.html", "https://a.org/myindex.html"},
		{"other file kept", "https://a.org/blog/x.html", "https://a.org/blog/x.html"},
		{"empty path is root", "https://a.org", "https://a.org/"},
		{"root", "https://a.org/", "https://a.org/"},
		{"empty path with query", "https://a.org?p=1", "https://a.org/?p=1"},
		{"dot segment", "https://a.org/blog/./x", "https://a.org/blog/x"},
		{"dot-dot segment", "https://a.org/blog/y/../x", "https://a.org/blog/x"},
		{"dot-dot above root", "https://a.org/../../x", "https://a.org/x"},
		{"trailing dot-dot", "https://a.org/blog/x/..", "https://a.org/blog"},
		{"escaped dot segment", "https://a.org/blog/%2e%2E/x", "https://a.org/x"},
		{"dots inside names kept", "https://a.org/v1.2/..x/x..", "https://a.org/v1.2/..x/x.."},
		{"empty segment kept", "https://a.org/a//b", "https://a.org/a//b"},

		// Percent-encoding.
		{"unreserved decoded", "https://a.org/%7Euser/%61%2D%5f", "https://a.org/~user/a-_"},
		{"hex upper-cased", "https://a.org/a%2fb", "https://a.org/a%2Fb"},
		{"reserved stays encoded", "https://a.org/a%3Fb", "https://a.org/a%3Fb"},
		{"space encoded", "https://a.org/a b", "https://a.org/a%20b"},
		{"non-ascii encoded", "https://a.org/café", "https://a.org/caf%C3%A9"},
		{"non-ascii lower hex", "https://a.org/caf%c3%a9", "https://a.org/caf%C3%A9"},
		{"sub-delims kept", "https://a.org/a!b;c=d,e", "https://a.org/a!b;c=d,e"},
		{"brackets in path encoded", "https://a.org/a[1]", "https://a.org/a%5B1%5D"},

		// Query.
		{"utm dropped", "https://a.org/x?utm_source=rss&utm_medium=feed&utm_campaign=c", "https://a.org/x"},
		{"any utm dropped", "https://a.org/x?utm_whatever=1&p=2", "https://a.org/x?p=2"},
		{"upper-case utm dropped", "https://a.org/x?UTM_Source=rss&p=2", "https://a.org/x?p=2"},
		{"escaped utm dropped", "https://a.org/x?utm%5Fsource=rss&p=2", "https://a.org/x?p=2"},
		{"click ids dropped", "https://a.org/x?fbclid=1&gclid=2&dclid=3&gbraid=4&wbraid=5&msclkid=6&yclid=7&igshid=8", "https://a.org/x"},
		{"mailchimp and ga dropped", "https://a.org/x?mc_cid=1&mc_eid=2&_ga=3&_gl=4", "https://a.org/x"},
		{"hubspot and matomo dropped", "https://a.org/x?_hsenc=1&__hstc=2&mtm_campaign=3&pk_campaign=4", "https://a.org/x"},
		{"ref kept", "https://a.org/x?ref=home", "https://a.org/x?ref=home"},
		{"id and p kept", "https://a.org/?p=123&id=7", "https://a.org/?id=7&p=123"},
		{"utm lookalike kept", "https://a.org/x?utmost=1", "https://a.org/x?utmost=1"},
		{"sorted by key", "https://a.org/x?b=1&a=2&c=0", "https://a.org/x?a=2&b=1&c=0"},
		{"repeated key kept, sorted by value", "https://a.org/x?tag=go&tag=b&tag=a", "https://a.org/x?tag=a&tag=b&tag=go"},
		{"empty query dropped", "https://a.org/x?", "https://a.org/x"},
		{"empty pairs dropped", "https://a.org/x?&a=1&&", "https://a.org/x?a=1"},
		{"bare key kept apart from empty value", "https://a.org/x?a=&a", "https://a.org/x?a&a="},
		{"query escapes normalised", "https://a.org/x?q=%7e%2f%41", "https://a.org/x?q=~%2FA"},
		{"query space and stray percent", "https://a.org/x?q=a b%zz", "https://a.org/x?q=a%20b%25zz"},
		{"plus kept", "https://a.org/x?q=a+b", "https://a.org/x?q=a+b"},
		{"equals in value kept", "https://a.org/x?q=a=b", "https://a.org/x?q=a=b"},
		{"escaped ampersand kept", "https://a.org/x?q=a%26b", "https://a.org/x?q=a%26b"},
		{"query and fragment", "https://a.org/x/?utm_source=a&b=1#top", "https://a.org/x?b=1"},

		// Not absolute http(s).
		{"empty", "", ""},
		{"relative path", "/blog/x", ""},
		{"relative name", "blog/x", ""},
		{"protocol-relative", "//a.org/x", ""},
		{"ftp", "ftp://a.org/x", ""},
		{"mailto", "mailto:a@a.org", ""},
		{"javascript", "javascript:alert(1)", ""},
		{"tag uri", "tag:k8s-mirror.example.org,2017:post/2011", ""},
		{"opaque http", "http:a.org/x", ""},
		{"no host", "http:///x", ""},
		{"only port", "http://:80/x", ""},
		{"port zero", "http://a.org:0/x", ""},
		{"port too large", "http://a.org:65536/x", ""},
		{"dots only host", "http://../x", ""},
		{"empty label", "http://a..org/x", ""},
		{"ipv6 zone", "http://[fe80::1%25en0]/x", ""},
		{"garbage", "ht!tp://%%%", ""},
		{"bad escape in path", "https://a.org/%zz", ""},
		{"control character", "https://a.org/x\x7f\x00", ""},
		{"ascii punycode not validated", "https://xn--a.example/x", "https://xn--a.example/x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CanonicalURL(tt.in)
			if got != tt.want {
				t.Fatalf("CanonicalURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := CanonicalURL(got); again != got {
				t.Errorf("not idempotent: CanonicalURL(%q) = %q", got, again)
			}
		})
	}
}

// TestCanonicalURLSamePost checks the equivalences the brief names as one
// group: every spelling must reach the same key.
func TestCanonicalURLSamePost(t *testing.T) {
	spellings := []string{
		"https://a.org/blog/x/",
		"https://a.org/blog/x",
		"https://a.org/blog/x/index.html",
		"http://A.org:80/blog/x/#intro",
		"https://a.org:443/blog/./y/../x?utm_source=feed&fbclid=abc",
		"https://someone@a.org/blog/%78/",
	}
	want := CanonicalURL(spellings[0])
	for _, s := range spellings[1:] {
		if got := CanonicalURL(s); got != want {
			t.Errorf("CanonicalURL(%q) = %q, want %q", s, got, want)
		}
	}
}
