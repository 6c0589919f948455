package config

import (
	"bytes"
	_ "embed"
	"fmt"
	"text/template"
)

// initTemplate is the feeds.yaml that `village init` writes: every key
// explained in comments, as in the bundled example, and no sources.
//
//go:embed init.yaml
var initTemplate string

var initYAML = template.Must(template.New("init.yaml").Parse(initTemplate))

// Starter returns a new planet's feeds.yaml: the title and link given (a
// link left empty stays commented out, to default to the listen address),
// the other keys at their defaults with comments saying what they do, and
// an empty feeds list. path names the file in errors. The text is checked
// with Parse, so a bad link is reported as a config error would be.
func Starter(path, title, link string) ([]byte, error) {
	if title == "" {
		title = DefaultTitle
	}
	data := struct{ Title, Link string }{Title: scalar(title)}
	if link != "" {
		data.Link = scalar(link)
	}
	var b bytes.Buffer
	if err := initYAML.Execute(&b, data); err != nil {
		return nil, fmt.Errorf("render feeds.yaml: %w", err)
	}
	if _, err := Parse(b.Bytes(), path); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
