package config

import (
	"errors"
	"strings"
	"testing"
)

// A planet's feeds.yaml after a few hand edits, as the syntax cases start
// from: a problem on line 12 or later must be reported there.
const planetHead = `# Planet of a community.
title: Planet
link: https://planet.example.org/
interval: 30m

feeds:
  - name: Ann
    url: https://ann.example.org/feed.xml
    tags: [go, notes]

  - name: Bob
    url: https://bob.example.org/rss
`

// TestSyntaxErrorsNameTheLineAtFault covers the syntax errors a person
// makes editing feeds.yaml by hand, each on a line yaml.v3 misreports.
func TestSyntaxErrorsNameTheLineAtFault(t *testing.T) {
	tests := []struct {
		name, tail string
		want       string
	}{
		{"unclosed flow sequence", "    tags: [kubernetes, cncf\n  - name: Cleo\n    url: https://cleo.example.org/feed\n",
			`feeds.yaml:13: syntax error: a list opened with "[" on this line is not closed with "]"`},
		{"a tab", "\ttags: [go]\n",
			"feeds.yaml:13: syntax error: a tab indents this line; YAML indents with spaces only"},
		{"mis-indented appended source", "\n\n# added later\n - name: Cleo\n   url: https://cleo.example.org/feed\n",
			"feeds.yaml:16: syntax error: this line is not indented like the lines around it (did not find expected key)"},
		{"appended source at the wrong depth", "   - name: Cleo\n     url: https://cleo.example.org/feed\n",
			"feeds.yaml:13: syntax error: this line is not indented like the lines around it (did not find expected '-' indicator)"},
		{"a key of the appended source too shallow", "  - name: Cleo\n   url: https://cleo.example.org/feed\n",
			"feeds.yaml:14: syntax error: this line is not indented like the lines around it (did not find expected '-' indicator)"},
		{"missing colon", "  - name: Cleo\n    url https://cleo.example.org/feed\n    tags: [a]\n",
			`feeds.yaml:14: syntax error: expected "key: value"; is a ":" missing?`},
		{"unterminated quote", "  - name: \"Cleo's notes\n    url: https://cleo.example.org/feed\n",
			"feeds.yaml:13: syntax error: a quoted string starts on this line and is never closed"},
		{"unterminated single quote", "  - name: 'Cleo\n    url: https://cleo.example.org/feed\n",
			"feeds.yaml:13: syntax error: a quoted string starts on this line and is never closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(planetHead+tt.tail), cfgPath)
			var errs Errors
			if !errors.As(err, &errs) || len(errs) != 1 {
				t.Fatalf("Parse error = %v; want one syntax error", err)
			}
			if got := errs[0].Error(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestSyntaxErrorOnTheFirstLine covers the start of the file, where
// yaml.v3 cannot tell its line 0 from "no line".
func TestSyntaxErrorOnTheFirstLine(t *testing.T) {
	_, err := Parse([]byte("title: 'Planet\nfeeds:\n  - url: https://a.example/feed\n"), cfgPath)
	if err == nil || err.Error() != "feeds.yaml:1: syntax error: a quoted string starts on this line and is never closed" {
		t.Errorf("Parse error = %v", err)
	}
}

// TestSyntaxQuotesInsideValues makes sure an apostrophe inside a plain
// value or a comment is not taken for an opening quote.
func TestSyntaxQuotesInsideValues(t *testing.T) {
	text := "title: Ann's planet # it's hers\nauthor: \"Ann \\\" B\"\nfeeds:\n  - name: 'it''s'\n    url: https://a.example/feed\n  - name: \"x\n"
	lines := strings.Split(text, "\n")
	if got := unclosedQuote(lines); got != 6 {
		t.Errorf("unclosedQuote = %d, want 6", got)
	}
}
