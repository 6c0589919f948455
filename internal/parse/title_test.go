package parse

import "testing"

func TestLooksLikeHTML(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"Why Vec<T> beats []T", false},
		{"… in <script> tags", false},
		{"a < b > c", false},
		{"A <b>bold</b> move", true},
		{"Fish &amp; chips", true},
		{"Caf&eacute;", true},
		{"&#8220;quoted&#8221;", true},
		{"AT&T", false},
		{"R&D;", false},             // not an entity HTML defines
		{"<blink>x</blink>", false}, // not an element posts use
		{"x</p>", true},
		{"<p>x", false}, // no end tag and no reference
	} {
		if got := looksLikeHTML(tc.in); got != tc.want {
			t.Errorf("looksLikeHTML(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestTitleText(t *testing.T) {
	for _, tc := range []struct{ in, kind, want string }{
		{"Why Vec<T> beats []T", kindText, "Why Vec<T> beats []T"},
		{"Why Vec<T> beats []T", kindGuess, "Why Vec<T> beats []T"},
		{"Why Vec<T> beats []T", kindHTML, "Why Vec beats []T"},
		{"Escaping &lt;T&gt;", kindHTML, "Escaping <T>"},
		{"Fish &amp; chips", kindText, "Fish &amp; chips"},
		{"Fish &amp; chips", kindGuess, "Fish & chips"},
		{"… in <script> tags", kindText, "… in <script> tags"},
		{"… in <script> tags", kindGuess, "… in <script> tags"},
		{"Hostile <script>alert(1)</script>title", kindGuess, "Hostile title"},
		{`<img src=x onerror=alert(1)>Hi`, kindGuess, "Hi"},
		{"  many\n  spaces ", kindText, "many spaces"},
	} {
		if got := titleText(tc.in, tc.kind); got != tc.want {
			t.Errorf("titleText(%q, %s) = %q, want %q", tc.in, tc.kind, got, tc.want)
		}
	}
}

func TestBalanceHTML(t *testing.T) {
	for _, tc := range []struct{ in, wantContent, wantText string }{
		{`<p>a</p><iframe src="https://v.example/"/><p>after</p>`, "<p>a</p><p>after</p>", "a\nafter"},
		{`<p>a</p><iframe src="https://v.example/"><p>after</p>`, "<p>a</p><p>after</p>", "a\nafter"},
		{`<p>a</p><IFRAME src=x></IFrame><p>after</p>`, "<p>a</p><p>after</p>", "a\nafter"},
		{`<p>a</p><object data="x"><param name="a" value="b"><embed src="x"><p>after</p>`, "<p>a</p><p>after</p>", "a\nafter"},
		{`<p>a</p><object data="x"><p>fallback</p></object><p>after</p>`, "<p>a</p><p>after</p>", "a\nafter"},
		{`<p>a</p><textarea/><p>after</p>`, "<p>a</p><p>after</p>", "a\nafter"},
		{`<p>a</p><noscript><p>after</p>`, "<p>a</p><p>after</p>", "a\nafter"},
		{`<p>a</p><video src="https://v.example/v.mp4"/><p>after</p>`, `<p>a</p><video src="https://v.example/v.mp4"></video><p>after</p>`, "a\nafter"},
		{`<p>line<br/>break</p>`, "<p>line<br/>break</p>", "line\nbreak"},
	} {
		content, text := cleanHTML(tc.in, nil, true)
		if content != tc.wantContent || text != tc.wantText {
			t.Errorf("cleanHTML(%q) = %q, %q; want %q, %q", tc.in, content, text, tc.wantContent, tc.wantText)
		}
	}
}

func TestItemKeys(t *testing.T) {
	items := []Item{
		{GUID: "g1", Link: "https://b.example/1"},
		{GUID: "same", Link: "https://b.example/2"},
		{GUID: "same", Link: "https://b.example/3"},
		{GUID: "twice", Link: "https://b.example/4"},
		{GUID: "twice", Link: "https://b.example/4"},
		{Link: "https://b.example/5"},
		{Title: "No id, no link", Text: "Body"},
		{Title: "No id, no link", Text: "Body"},
		{Title: "No id, no link", Text: "Other body"},
	}
	digests, shared := itemKeys(items)
	if digests != 3 || shared != 2 {
		t.Errorf("digests %d, shared %d; want 3, 2", digests, shared)
	}
	want := []string{"g1", "same\nhttps://b.example/2", "same\nhttps://b.example/3", "twice", "twice", "https://b.example/5"}
	for i, w := range want {
		if items[i].Key != w {
			t.Errorf("item %d: key %q, want %q", i, items[i].Key, w)
		}
	}
	if items[6].Key != items[7].Key || items[6].Key == items[8].Key || len(items[6].Key) != len("digest:")+32 {
		t.Errorf("digest keys %q %q %q: want the first two equal, the third different", items[6].Key, items[7].Key, items[8].Key)
	}
	again := []Item{{Title: "No id, no link", Text: "Body"}}
	itemKeys(again)
	if again[0].Key != items[6].Key {
		t.Error("digest key not stable across parses")
	}
}
