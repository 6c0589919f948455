package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

const (
	nullTag  = "!!null"
	intTag   = "!!int"
	boolTag  = "!!bool"
	mergeTag = "!!merge"
)

// decoder walks the YAML node tree, collecting every problem instead of
// stopping at the first, so it knows the file name for messages.
type decoder struct {
	path  string // as given to Parse
	file  string // base name, for messages
	errs  Errors // the first maxErrors problems
	count int    // all problems, also those beyond maxErrors
}

// maxErrors bounds the report: aliases can repeat one bad mapping any
// number of times, and nobody reads past the first screenful anyway.
const maxErrors = 100

func newDecoder(path string) *decoder {
	d := &decoder{path: path}
	if path != "" {
		d.file = filepath.Base(path)
	}
	return d
}

// add records a problem at node n (nil for "no line").
func (d *decoder) add(n *yaml.Node, field, format string, args ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	d.push(&Error{File: d.file, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)})
}

func (d *decoder) push(e *Error) {
	d.count++
	if len(d.errs) < maxErrors {
		d.errs = append(d.errs, e)
	}
}

// report returns the problems found, noting any left out.
func (d *decoder) report() error {
	if d.count > len(d.errs) {
		d.errs = append(d.errs, &Error{File: d.file, Msg: fmt.Sprintf("%d more errors not shown", d.count-len(d.errs))})
	}
	return d.errs.err()
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseYAML returns the single document's root node, or nil for an empty
// file. yaml's own errors become an *Error carrying yaml's line number.
func (d *decoder) parseYAML(data []byte) (root *yaml.Node) {
	defer func() {
		// go.yaml.in/yaml/v3 still panics on a few malformed inputs
		// ("internal error: ..."); a config file must never crash the daemon.
		if r := recover(); r != nil {
			d.add(nil, "", "syntax error: %v", r)
			root = nil
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if !errors.Is(err, io.EOF) {
			d.syntaxError(data, err)
		}
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		d.add(&extra, "", "syntax error: more than one YAML document")
		return nil
	} else if !errors.Is(err, io.EOF) {
		d.syntaxError(data, err)
		return nil
	}
	if len(doc.Content) != 1 || isNull(doc.Content[0]) {
		return nil
	}
	return doc.Content[0]
}

func (d *decoder) syntaxError(data []byte, err error) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	p := syntaxAt(data, msg, line)
	d.push(&Error{File: d.file, Line: p.line, Msg: "syntax error: " + p.msg})
}

// deref follows aliases. The parser only lets an alias name an anchor it
// has already seen, and no walk here recurses through a node of its own
// kind, so a self-referencing anchor cannot loop.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	n = deref(n)
	return n.Kind == yaml.ScalarNode && n.ShortTag() == nullTag
}

// describe names what a node is, for "expected X, got Y" messages.
func describe(n *yaml.Node) string {
	n = deref(n)
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.ShortTag() == nullTag {
			return "nothing"
		}
		return quote(n.Value)
	}
	return "an alias"
}

// quote shortens long values so one bad line cannot flood the output.
func quote(s string) string {
	const max = 60
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "..."
	}
	return strconv.Quote(s)
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// field is one key/value pair of a mapping.
type field struct {
	name string     // the key
	path string     // full path, for messages
	key  *yaml.Node // for "unknown key" and duplicate lines
	val  *yaml.Node
}

// fields lists the pairs of mapping n with YAML merge keys ("<<: *base")
// expanded; keys written in n win over merged ones. ok is false when n is
// not a mapping (already reported).
func (d *decoder) fields(n *yaml.Node, path string) (out []field, ok bool) {
	m := deref(n)
	if m.Kind != yaml.MappingNode {
		d.add(n, path, "expected a mapping, got %s", describe(m))
		return nil, false
	}
	seen := make(map[string]int)
	visited := map[*yaml.Node]bool{m: true}
	return d.collect(m, path, seen, visited, out, false), true
}

// collect appends the pairs of mapping m not yet in seen. Explicit keys
// first, then merges in order, so the first writer of a key wins.
// visited stops a mapping from being merged twice, which bounds the work
// on hostile input and breaks self-referencing anchors.
func (d *decoder) collect(m *yaml.Node, path string, seen map[string]int, visited map[*yaml.Node]bool, out []field, merged bool) []field {
	var merges []*yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		kd := deref(k)
		if kd.Kind != yaml.ScalarNode {
			d.add(k, path, "expected a string key, got %s", describe(kd))
			continue
		}
		if kd.ShortTag() == mergeTag {
			merges = append(merges, v)
			continue
		}
		p := join(path, kd.Value)
		if first, dup := seen[kd.Value]; dup {
			if !merged {
				d.add(k, p, "duplicate key (first at line %d)", first)
			}
			continue
		}
		seen[kd.Value] = k.Line
		out = append(out, field{name: kd.Value, path: p, key: k, val: v})
	}
	for _, v := range merges {
		for _, src := range d.mergeSources(v, path) {
			if !visited[src] {
				visited[src] = true
				out = d.collect(src, path, seen, visited, out, true)
			}
		}
	}
	return out
}

// mergeSources returns the mappings a "<<" value names: one mapping or a
// list of them.
func (d *decoder) mergeSources(v *yaml.Node, path string) []*yaml.Node {
	vd := deref(v)
	switch vd.Kind {
	case yaml.MappingNode:
		return []*yaml.Node{vd}
	case yaml.SequenceNode:
		out := make([]*yaml.Node, 0, len(vd.Content))
		for _, item := range vd.Content {
			if it := deref(item); it.Kind == yaml.MappingNode {
				out = append(out, it)
				continue
			}
			d.add(item, join(path, "<<"), "expected a mapping, got %s", describe(item))
		}
		return out
	}
	d.add(v, join(path, "<<"), "expected a mapping or a list of mappings, got %s", describe(vd))
	return nil
}

// items returns the elements of list n; ok is false when n is not a list.
func (d *decoder) items(n *yaml.Node, path string) ([]*yaml.Node, bool) {
	s := deref(n)
	if s.Kind != yaml.SequenceNode {
		d.add(n, path, "expected a list, got %s", describe(s))
		return nil, false
	}
	return s.Content, true
}

// scalar returns the text of a scalar; set is false for null or for a
// mapping or list (the latter reported as a type error).
func (d *decoder) scalar(f field, want string) (s string, set bool) {
	n := deref(f.val)
	if n.Kind != yaml.ScalarNode {
		d.add(f.val, f.path, "expected %s, got %s", want, describe(n))
		return "", false
	}
	if n.ShortTag() == nullTag {
		return "", false
	}
	return n.Value, true
}

// str returns a trimmed string value; set is false when null or empty.
func (d *decoder) str(f field) (string, bool) {
	s, ok := d.scalar(f, "a string")
	s = strings.TrimSpace(s)
	return s, ok && s != ""
}

// integer returns an integer value; strings such as "50" are refused.
func (d *decoder) integer(f field) (int64, bool) {
	s, ok := d.scalar(f, "an integer")
	if !ok {
		return 0, false
	}
	n := deref(f.val)
	var v int64
	if n.ShortTag() != intTag || n.Decode(&v) != nil {
		d.add(f.val, f.path, "expected an integer, got %s", quote(s))
		return 0, false
	}
	return v, true
}

// boolean returns a true/false value; "yes" and strings such as "true" are
// refused, so that a typo does not silently read as false.
func (d *decoder) boolean(f field) (bool, bool) {
	s, ok := d.scalar(f, "true or false")
	if !ok {
		return false, false
	}
	n := deref(f.val)
	var v bool
	if n.ShortTag() != boolTag || n.Decode(&v) != nil {
		d.add(f.val, f.path, "expected true or false, got %s", quote(s))
		return false, false
	}
	return v, true
}

func setBool(d *decoder, f field, dst *bool) {
	if v, ok := d.boolean(f); ok {
		*dst = v
	}
}
