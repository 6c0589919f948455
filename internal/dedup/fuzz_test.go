package dedup

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/villagefeeds/village/internal/parse"
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

// FuzzTextHash holds the one text extractor (parse.Text, as ingest runs
// it) and HashText to what makes a cross-post's markup differ: case and an
// extra wrapping element do not change the hash.
func FuzzTextHash(f *testing.F) {
	for _, s := range []string{
		"<p>" + prose + "</p>",
		"<h2>Title</h2><ul><li>" + prose + "</li></ul><script>x()</script>",
		"<pre><code>" + strings.Repeat("kubectl get pods &amp;&amp; echo &lt;done&gt;\n", 10) + "</code></pre>",
		strings.Repeat("Stra\u00dfe caf\u00e9 \ufb01le \u0130stanbul \u03a3\u03c2 ", 20),
		strings.Repeat("e\u0301<b>\u0301</b>&eacute;&Eacute;&#x2014;", 40),
		"<template>" + prose + "</template><!-- " + prose + " -->",
		"Read more\u2026", "", "<", "&",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		h := HashText(parse.Text(in))
		if h != "" && len(h) != 64 {
			t.Fatalf("hash of %q = %q, not a hex SHA-256", in, h)
		}
		if got := HashText(parse.Text(upperText(in))); got != h {
			t.Fatalf("upper-casing changed the hash of %q: %q, then %q", in, h, got)
		}
		if got := HashText(parse.Text("<div>" + in + "</div>")); got != h {
			t.Fatalf("wrapping in <div> changed the hash of %q: %q, then %q", in, h, got)
		}
	})
}

// FuzzAnalyze holds Analyze and Compare to their invariants on any text: a
// post is its own copy once long enough to judge; a copy that lost its
// paragraph breaks or its case reads the same; the measures are symmetric.
func FuzzAnalyze(f *testing.F) {
	f.Add(prose+"\n"+prose, "Title 1.9")
	f.Add("Originally published at https://a.example/x\n"+prose, "Part 2")
	f.Add("a\nb\n\nc", "")
	f.Add("この記事は転載です。Kubernetesの新機能、サイドカー。\nภาษาไทย สวัสดี", "入門 第2回")
	f.Fuzz(func(t *testing.T, text, title string) {
		p := Post{Title: title, Text: text}
		d := Analyze(p, Boilerplate{})
		if d.Hash != HashText(text) {
			t.Fatalf("no boilerplate: hash %q, HashText %q", d.Hash, HashText(text))
		}
		if (len(d.Bands) > 0) != (d.Words >= MinWords) {
			t.Fatalf("%d words, %d search keys", d.Words, len(d.Bands))
		}
		flat := Analyze(Post{Title: title, Text: strings.ReplaceAll(text, "\n", " ")}, Boilerplate{})
		if !slices.Equal(flat.Shingles, d.Shingles) || flat.Hash != d.Hash {
			t.Fatalf("losing paragraph breaks changed the shingles of %q", text)
		}
		v := Compare(d, d)
		if len(d.Shingles) > 0 && v.Jaccard != 1 {
			t.Fatalf("a text is %v like itself", v)
		}
		if v.Same != (d.Words >= MinWords) {
			t.Fatalf("%d words: compared with itself %v", d.Words, v)
		}
		other := Analyze(Post{Title: title, Text: prose}, Boilerplate{})
		if a, b := Compare(d, other), Compare(other, d); a != b {
			t.Fatalf("not symmetric: %v and %v", a, b)
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
