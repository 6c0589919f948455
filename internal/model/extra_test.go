package model

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestHeadline(t *testing.T) {
	long := strings.Repeat("word ", 30)
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"  Short text.\nSecond block", "Short text."},
		{"one  two\tthree", "one two three"},
		{long, strings.TrimSpace(strings.Repeat("word ", 16)) + "…"},
		{strings.Repeat("é", 100), strings.Repeat("é", 80) + "…"},
		{strings.Repeat("a", 78) + " b", strings.Repeat("a", 78) + " b"},
		{strings.Repeat("a", 79) + " b", strings.Repeat("a", 79) + "…"},
		{strings.Repeat("ab ", 26) + "c, d", strings.Repeat("ab ", 26) + "c…"},
	} {
		got := Headline(tc.in)
		if got != tc.want {
			t.Errorf("Headline(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if n := utf8.RuneCountInString(strings.TrimSuffix(got, "…")); n > headlineRunes {
			t.Errorf("Headline(%q) has %d runes", tc.in, n)
		}
	}
}
