package publish

import "testing"

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain & <ok>", "plain & <ok>"},
		{"tab\tnl\ncr\r", "tab\tnl\ncr\r"},
		{"a\x00b\x01c\x1fd", "abcd"},
		{"del\x7f stays", "del\x7f stays"},
		{"é ü 日本 😀", "é ü 日本 😀"},
		{"bad\xffutf8\xc3", "badutf8"},
		{"surrogate \xed\xa0\x80!", "surrogate !"},
		{"nonchars \ufffe\uffff end", "nonchars  end"},
		{"replacement \ufffd kept", "replacement \ufffd kept"},
		{"\x0c", ""},
	}
	for _, tt := range tests {
		if got := clean(tt.in); got != tt.want {
			t.Errorf("clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
