package dedup

import (
	"net/url"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func FuzzCanonicalURL(f *testing.F) {
	for _, s := range []string{
		"https://a.org/blog/x/",
		"http://A.org:80/blog/./y/../x/index.html?utm_source=a&b=2&a=1#frag",
		"https://user:pw@[2001:db8::1]:8443/%7e/%2f/caf%c3%a9?q=a+b&q=%zz",
		"https://Bücher.example/a b/[1]?&&x",
		"http://a.org:0080/a//b/../../..",
		"ftp://a.org/", "/relative", "//a.org/x", "mailto:x@a.org", "http:a", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got := CanonicalURL(raw)
		if got == "" {
			return
		}
		u, err := url.Parse(got)
		if err != nil || !u.IsAbs() || u.Host == "" || u.Scheme != "https" {
			t.Fatalf("CanonicalURL(%q) = %q, not an absolute https URL (err %v)", raw, got, err)
		}
		if again := CanonicalURL(got); again != got {
			t.Fatalf("not idempotent: CanonicalURL(%q) = %q, then %q", raw, got, again)
		}
	})
}

func FuzzContentHash(f *testing.F) {
	for _, s := range []string{
		"<p>" + prose + "</p>",
		"<h2>Title</h2><ul><li>" + prose + "</li></ul><script>x()</script>",
		"<pre><code>" + strings.Repeat("kubectl get pods &amp;&amp; echo &lt;done&gt;\n", 10) + "</code></pre>",
		strings.Repeat("Stra\u00dfe caf\u00e9 \ufb01le \u0130stanbul \u03a3\u03c2 ", 20),
		strings.Repeat("e\u0301<b>\u0301</b>&eacute;&Eacute;&#x2014;", 40),
		"<template>" + prose + "</template><!-- " + prose + " -->",
		"Read more\u2026", "", "<", "&", "<plaintext>" + prose,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		h := ContentHash(in)
		if h != "" && len(h) != 64 {
			t.Fatalf("ContentHash(%q) = %q, not a hex SHA-256", in, h)
		}
		if want := HashText(VisibleText(in)); h != want {
			t.Fatalf("ContentHash(%q) = %q, HashText(VisibleText) = %q", in, h, want)
		}
		if got := ContentHash(upperText(in)); got != h {
			t.Fatalf("upper-casing changed the hash of %q: %q, then %q", in, h, got)
		}
		if got := ContentHash("<p>" + in + "</p>"); got != h {
			t.Fatalf("wrapping in <p> changed the hash of %q: %q, then %q", in, h, got)
		}
	})
}

func FuzzHashText(f *testing.F) {
	f.Add(prose)
	f.Add("e\u0301 \u00df \u0390 \ufb01 \u1100\u1161\u11a8 \xff")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := fastKey(s), referenceKey(s); got != want {
			t.Fatalf("key(%q) = %q, reference %q", s, got, want)
		}
	})
}

// upperText upper-cases the letters of an HTML fragment the way an editor's
// "upper case" command would, which case folding is meant to undo. It leaves
// alone what is not text that folding can restore:
//   - entity names (&nbsp; is an entity, &NBSP; is not),
//   - letters whose upper case folds to another letter than they do, such as
//     dotless ı, whose upper case I folds to i.
func upperText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if s[i] == '&' {
			j := i + 1
			for j < len(s) && (isAlnumASCII(s[j]) || s[j] == '#') {
				j++
			}
			b.WriteString(s[i:j])
			i = j
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b.WriteByte(s[i])
			i++
			continue
		}
		if u := unicode.ToUpper(r); u != r && refFold.String(string(u)) == refFold.String(string(r)) {
			r = u
		}
		b.WriteRune(r)
		i += n
	}
	return b.String()
}

func isAlnumASCII(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}
