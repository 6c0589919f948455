package config

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Error is one problem in a config file, located well enough for an editor
// to jump to it.
type Error struct {
	File  string // base name of the file
	Line  int    // 1-based; 0 when the problem has no single line
	Field string // path such as "feeds[3].url"; empty for syntax errors
	Msg   string
}

// Error formats the problem as "FILE:LINE: FIELD: MSG", leaving out the
// parts that are empty.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		if e.File != "" {
			b.WriteByte(':')
		} else {
			b.WriteString("line ")
		}
		b.WriteString(strconv.Itoa(e.Line))
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every problem found in one file, in line order. Parse returns
// all of them at once so that a user fixes a file in one pass.
type Errors []*Error

// Error lists the problems one per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.As find the individual *Error values.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// err returns the problems sorted by line, those without a line last, or
// a true nil when there are none.
func (es Errors) err() error {
	if len(es) == 0 {
		return nil
	}
	slices.SortStableFunc(es, func(a, b *Error) int { return cmp.Compare(sortLine(a), sortLine(b)) })
	return es
}

func sortLine(e *Error) int {
	if e.Line == 0 {
		return math.MaxInt
	}
	return e.Line
}
