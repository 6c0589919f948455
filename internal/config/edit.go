package config

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// ErrNotEditable is wrapped when feeds.yaml is valid but written in a shape
// that cannot be edited line by line without reformatting it, such as a
// flow-style feeds list; the user is asked to make the edit by hand.
var ErrNotEditable = errors.New("cannot be edited in place")

// AppendFeeds returns data with feeds added at the end of the feeds list.
// Every byte of data stays as it was: the new items are inserted as whole
// lines after the last item (or after "feeds:", or at the end of the file
// when there is no list yet), indented like the items already there. The
// result must parse and list the old feeds followed by the new ones.
func AppendFeeds(data []byte, path string, feeds ...Feed) ([]byte, error) {
	out, _, err := appendFeeds(data, path, feeds)
	return out, err
}

func appendFeeds(data []byte, path string, feeds []Feed) ([]byte, *Config, error) {
	doc, err := openDoc(data, path)
	if err != nil {
		return nil, nil, err
	}
	want := doc.urls()
	for _, f := range feeds {
		want = append(want, strings.TrimSpace(f.URL))
	}
	out := doc.appendFeeds(feeds)
	c, err := doc.check(out, path, want)
	return out, c, err
}

// RemoveFeed returns data without item i of the feeds list: its lines, the
// comment lines right above it at its indentation (its own comments), and
// the comments inside it. Every other byte stays as it was.
func RemoveFeed(data []byte, path string, i int) ([]byte, error) {
	out, _, err := removeFeed(data, path, i)
	return out, err
}

func removeFeed(data []byte, path string, i int) ([]byte, *Config, error) {
	doc, err := openDoc(data, path)
	if err != nil {
		return nil, nil, err
	}
	if doc.list == nil || i < 0 || i >= len(doc.list.Content) {
		return nil, nil, fmt.Errorf("edit %s: no feeds[%d]", doc.file, i)
	}
	start, end := doc.itemLines(i)
	// A blank line after the block goes with it when a blank line or the
	// start of the list is before it: else two would meet, or the list
	// would start with one.
	if end < len(doc.lines) && isBlank(doc.lines[end]) && (i == 0 || isBlank(doc.lines[start-2])) {
		end++
	}
	out := doc.splice(start, end+1, nil)
	c, err := doc.check(out, path, slices.Delete(doc.urls(), i, i+1))
	return out, c, err
}

// urls lists the url of every item, as written, "" where there is none.
func (d *doc) urls() []string {
	if d.list == nil {
		return nil
	}
	out := make([]string, len(d.list.Content))
	for i, item := range d.list.Content {
		item = deref(item)
		for j := 0; j+1 < len(item.Content); j += 2 {
			if item.Content[j].Value == "url" {
				out[i] = strings.TrimSpace(deref(item.Content[j+1]).Value)
			}
		}
	}
	return out
}

// check parses the edited file and makes sure it lists exactly the feeds
// it should, in order: a text edit must never change another source.
func (d *doc) check(out []byte, path string, want []string) (*Config, error) {
	c, err := Parse(out, path)
	if err != nil {
		return nil, fmt.Errorf("edit %s: the result would not be valid: %w", d.file, err)
	}
	got := make([]string, len(c.Feeds))
	for i, f := range c.Feeds {
		got[i] = f.URL
	}
	if !slices.Equal(got, want) {
		return nil, fmt.Errorf("edit %s: the edit would change other sources; make it by hand: %w", d.file, ErrNotEditable)
	}
	return c, nil
}

// doc is feeds.yaml as lines plus the node positions that guide an edit.
type doc struct {
	file   string   // base name, for messages
	lines  [][]byte // each with its line ending; line n is lines[n-1]
	eol    string   // "\r\n" when the file uses it, else "\n"
	root   *yaml.Node
	key    *yaml.Node // the "feeds" key; nil when absent
	val    *yaml.Node // its value
	list   *yaml.Node // the block sequence of feeds; nil when there is none yet
	indent int        // spaces before each item's "-"
}

func openDoc(data []byte, path string) (*doc, error) {
	d := &doc{file: newDecoder(path).file, lines: splitLines(data), eol: "\n"}
	if bytes.Contains(data, []byte("\r\n")) {
		d.eol = "\r\n"
	}
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		return nil, fmt.Errorf("edit %s: %w", d.file, err)
	}
	if len(n.Content) > 0 && !isNull(n.Content[0]) {
		d.root = n.Content[0]
	}
	if err := d.findList(); err != nil {
		return nil, err
	}
	return d, nil
}

// findList locates the feeds key and its list, refusing the shapes that
// would need reformatting to edit.
func (d *doc) findList() error {
	if d.root == nil {
		return nil
	}
	if d.root.Kind != yaml.MappingNode || d.root.Style&yaml.FlowStyle != 0 {
		return d.notEditable(d.root, "the top level is not a block mapping")
	}
	for i := 0; i+1 < len(d.root.Content); i += 2 {
		if k := d.root.Content[i]; k.Kind == yaml.ScalarNode && k.Value == "feeds" {
			d.key, d.val = k, d.root.Content[i+1]
		}
	}
	switch {
	case d.val == nil || isNull(d.val) && d.val.Kind == yaml.ScalarNode:
		return nil
	case d.val.Kind != yaml.SequenceNode:
		return d.notEditable(d.val, "feeds is not a list")
	case d.val.Style&yaml.FlowStyle != 0:
		if len(d.val.Content) == 0 && d.val.Line == d.key.Line {
			return nil // "feeds: []" becomes a block list
		}
		return d.notEditable(d.val, "feeds is a flow-style list; write it as a block list (one \"- \" item per line)")
	}
	d.list = d.val
	d.indent = d.val.Column - 1
	return nil
}

func (d *doc) notEditable(n *yaml.Node, why string) error {
	return fmt.Errorf("%s:%d: %s: %w", d.file, n.Line, why, ErrNotEditable)
}

// appendFeeds inserts the rendered feeds at the end of the list, creating
// the list (and the feeds key) when there is none yet.
func (d *doc) appendFeeds(feeds []Feed) []byte {
	if d.list != nil {
		_, end := d.itemLines(len(d.list.Content) - 1)
		offset := d.list.Content[0].Column - 1 - d.indent
		if offset < 2 {
			offset = 2
		}
		return d.splice(end+1, end+1, d.render(feeds, d.indent, offset))
	}
	if d.key == nil {
		col := 0
		if d.root != nil {
			col = d.root.Column - 1
		}
		text := []byte(strings.Repeat(" ", col) + "feeds:" + d.eol)
		text = append(text, d.render(feeds, col+2, 2)...)
		return d.splice(len(d.lines)+1, len(d.lines)+1, text)
	}
	// "feeds:" with no value, "feeds: ~" or "feeds: []": drop the value
	// token, keep any comment, and start the list on the next line.
	line := d.key.Line
	head := d.dropValue(d.lines[line-1])
	text := append(head, d.render(feeds, d.key.Column+1, 2)...)
	return d.splice(line, line+1, text)
}

// dropValue removes the explicit null or "[]" after "feeds:" from line.
func (d *doc) dropValue(line []byte) []byte {
	out := slices.Clone(line)
	if d.val.Line != d.key.Line || d.val.Kind == yaml.ScalarNode && d.val.Value == "" {
		return d.padLine(out)
	}
	at := byteOffset(line, d.val.Column-1)
	size := len(d.val.Value)
	if d.val.Kind == yaml.SequenceNode {
		size = bytes.IndexByte(line[at:], ']') + 1
	}
	out = append(out[:at], line[at+size:]...)
	out = bytes.TrimRight(out, " \t\r\n")
	return append(out, d.eol...)
}

// padLine makes sure a line ends with a line break.
func (d *doc) padLine(line []byte) []byte {
	if len(line) > 0 && line[len(line)-1] != '\n' {
		line = append(line, d.eol...)
	}
	return line
}

// itemLines returns the first and last line (1-based) of item i: from its
// own comments above its "-" to the last non-blank line indented deeper
// than the "-".
func (d *doc) itemLines(i int) (start, end int) {
	dash := d.dashLine(d.list.Content[i])
	start = dash
	for start > 1 && isComment(d.lines[start-2]) && indentOf(d.lines[start-2]) == d.indent {
		start--
	}
	end = dash
	for n := dash + 1; n <= len(d.lines); n++ {
		l := d.lines[n-1]
		if isBlank(l) {
			continue
		}
		if indentOf(l) <= d.indent {
			break
		}
		end = n
	}
	return start, end
}

// dashLine finds the line of the "-" that opens item: usually the item's
// own line, or an earlier one when the "-" stands alone.
func (d *doc) dashLine(item *yaml.Node) int {
	for n := item.Line; n >= 1; n-- {
		l := d.lines[n-1]
		if indentOf(l) == d.indent && len(l) > d.indent && l[d.indent] == '-' {
			return n
		}
	}
	return item.Line
}

// splice replaces lines [from, to) (1-based) with text.
func (d *doc) splice(from, to int, text []byte) []byte {
	var out bytes.Buffer
	for _, l := range d.lines[:from-1] {
		out.Write(l)
	}
	if from > 1 && len(text) > 0 && !bytes.HasSuffix(d.lines[from-2], []byte("\n")) {
		out.WriteString(d.eol) // the last line had no line break: text starts its own
	}
	out.Write(text)
	for _, l := range d.lines[to-1:] {
		out.Write(l)
	}
	return out.Bytes()
}

func splitLines(data []byte) [][]byte {
	var out [][]byte
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n') + 1
		if i == 0 {
			i = len(data)
		}
		out = append(out, data[:i])
		data = data[i:]
	}
	return out
}

func indentOf(line []byte) int {
	return len(line) - len(bytes.TrimLeft(line, " "))
}

func isBlank(line []byte) bool { return len(bytes.TrimSpace(line)) == 0 }

func isComment(line []byte) bool { return bytes.HasPrefix(bytes.TrimSpace(line), []byte("#")) }

// byteOffset converts yaml's 0-based character column to a byte offset.
func byteOffset(line []byte, col int) int {
	at := 0
	for range col {
		if at >= len(line) {
			break
		}
		_, size := utf8.DecodeRune(line[at:])
		at += size
	}
	return at
}
