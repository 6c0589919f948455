package config

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// go.yaml.in/yaml/v3 names a line in its syntax errors, but not always the
// line at fault: for a parser error it gives where the enclosing construct
// began, counted from 0 (an unclosed "[" on line 10 is "line 9"; a
// mis-indented item appended at line 18 is "line 7", where the list began),
// and for a scanner error the line before the fault (a tab on line 15 is
// "line 14"). The library exposes no better position, so syntaxAt finds
// the line from the text itself, each kind of error its own way.

// syntaxProblem is a syntax error placed on its line, in plain words.
type syntaxProblem struct {
	line int
	msg  string
}

var anchorRef = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)

// syntaxAt places yaml's error message msg, reported at yamlLine, on the
// line of data where the problem is.
func syntaxAt(data []byte, msg string, yamlLine int) syntaxProblem {
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	switch {
	case strings.Contains(msg, "tab character"):
		if n := tabIndented(lines, yamlLine-1); n > 0 {
			return syntaxProblem{n, "a tab indents this line; YAML indents with spaces only"}
		}
	case strings.Contains(msg, "did not find expected ',' or ']'"):
		return flowStart(lines, yamlLine, "[", `a list opened with "[" on this line is not closed with "]"`)
	case strings.Contains(msg, "did not find expected ',' or '}'"):
		return flowStart(lines, yamlLine, "{", `a mapping opened with "{" on this line is not closed with "}"`)
	case strings.Contains(msg, "could not find expected ':'"):
		// The scanner's line is right here: where the key without a colon began.
		return syntaxProblem{yamlLine, `expected "key: value"; is a ":" missing?`}
	case strings.Contains(msg, "end of stream"):
		if n := unclosedQuote(lines); n > 0 {
			return syntaxProblem{n, "a quoted string starts on this line and is never closed"}
		}
	case anchorRef.MatchString(msg):
		name := anchorRef.FindStringSubmatch(msg)[1]
		return syntaxProblem{lineOf(lines, "*"+name), msg}
	case strings.Contains(msg, "mapping values are not allowed"):
		return syntaxProblem{firstBadLine(lines, yamlLine), `a ":" where no key can start: quote a value that holds ": ", or indent the key like the keys around it`}
	case isIndentation(msg):
		return syntaxProblem{firstBadLine(lines, yamlLine), "this line is not indented like the lines around it (" + msg + ")"}
	}
	return syntaxProblem{yamlLine, msg}
}

// isIndentation reports whether msg is one of the parser errors a line at
// the wrong indentation causes.
func isIndentation(msg string) bool {
	for _, s := range []string{
		"did not find expected key",
		"did not find expected '-' indicator",
		"did not find expected node content",
		"block sequence entries are not allowed",
	} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// tabIndented returns the first line from line from (1-based) whose
// indentation holds a tab, or 0.
func tabIndented(lines []string, from int) int {
	for i := max(from, 1) - 1; i < len(lines); i++ {
		l := lines[i]
		indent := l[:len(l)-len(strings.TrimLeft(l, " \t"))]
		if strings.Contains(indent, "\t") && strings.TrimSpace(l) != "" {
			return i + 1
		}
	}
	return 0
}

// flowStart returns the line where yaml says the unclosed flow collection
// began: it counts that line from 0, so the line is one further, when that
// line opens one.
func flowStart(lines []string, yamlLine int, open, msg string) syntaxProblem {
	if n := yamlLine + 1; n <= len(lines) && strings.Contains(lines[n-1], open) {
		return syntaxProblem{n, msg}
	}
	return syntaxProblem{yamlLine, msg}
}

// lineOf returns the first line containing s, or 0.
func lineOf(lines []string, s string) int {
	for i, l := range lines {
		if strings.Contains(l, s) {
			return i + 1
		}
	}
	return 0
}

// unclosedQuote returns the line where a quoted scalar opens that no quote
// closes, or 0. A quote opens a scalar only where a value can start: at
// the start of a line's content, or after ": ", "- ", "[", "{" or ",".
func unclosedQuote(lines []string) int {
	text := strings.Join(lines, "\n")
	line, start := 1, true
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '\n':
			line, start = line+1, true
			continue
		case c == '#' && (i == 0 || text[i-1] == ' ' || text[i-1] == '\t' || text[i-1] == '\n'):
			for i < len(text) && text[i] != '\n' {
				i++
			}
			i--
			continue
		case (c == '"' || c == '\'') && start:
			end := closeQuote(text, i)
			if end < 0 {
				return line
			}
			line += strings.Count(text[i:end], "\n")
			i = end
			start = false
			continue
		}
		switch {
		case c == ' ' || c == '\t':
			// whitespace keeps start as it is
		case c == '[' || c == '{' || c == ',':
			start = true
		case (c == ':' || c == '-') && i+1 < len(text) && (text[i+1] == ' ' || text[i+1] == '\n'):
			start = true
		default:
			start = false
		}
	}
	return 0
}

// closeQuote returns the index of the quote that closes the scalar opened
// at text[open], or -1.
func closeQuote(text string, open int) int {
	q := text[open]
	for i := open + 1; i < len(text); i++ {
		switch {
		case q == '"' && text[i] == '\\':
			i++
		case text[i] == q && q == '\'' && i+1 < len(text) && text[i+1] == '\'':
			i++ // '' is a quote inside a single-quoted scalar
		case text[i] == q:
			return i
		}
	}
	return -1
}

// firstBadLine finds the line at which the file stops being valid YAML:
// the first n such that the first n-1 lines parse and the first n do not.
// It bisects from just before yaml's line, where the construct in error
// began, so it costs a few parses of the file whatever its length.
func firstBadLine(lines []string, yamlLine int) int {
	parses := func(n int) bool { return parsesYAML(strings.Join(lines[:n], "\n")) }
	lo, hi := 0, len(lines)
	if from := min(max(yamlLine-1, 0), hi); from > 0 && parses(from) {
		lo = from
	}
	if parses(hi) {
		return yamlLine // the whole file parses this way: keep yaml's word
	}
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if parses(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}

// parsesYAML reports whether text is valid YAML, every document of it.
func parsesYAML(text string) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader([]byte(text)))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return true
		}
		if err != nil {
			return false
		}
	}
}
