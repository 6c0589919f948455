package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/villagefeeds/village/internal/filter"
)

func TestFilters(t *testing.T) {
	c, err := Parse([]byte(`feeds:
  - name: Ann
    url: https://ann.example.org/feed.xml
    include: {categories: [Kubernetes, k8s, kubernetes], match: "(?i)kubernetes"}
    exclude:
      title: '^\[draft\]'
      categories: personal
  - url: https://bob.example.org/rss
`), cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	f := c.Feeds[0].Filter
	if f.Include == nil || !slices.Equal(f.Include.Categories, []string{"Kubernetes", "k8s"}) || f.Include.Match.String() != "(?i)kubernetes" {
		t.Errorf("include = %v", f.Include)
	}
	if f.Exclude == nil || f.Exclude.Title.String() != `^\[draft\]` || !slices.Equal(f.Exclude.Categories, []string{"personal"}) {
		t.Errorf("exclude = %v", f.Exclude)
	}
	if !c.Feeds[1].Filter.IsZero() {
		t.Errorf("a feed without rules has a filter: %v", c.Feeds[1].Filter)
	}
	filters := c.Filters()
	if len(filters) != 1 || filters["https://ann.example.org/feed.xml"].String() != f.String() {
		t.Errorf("Filters() = %v", filters)
	}
	keep := f.Keep(filter.Post{Title: "Kubernetes 1.31", Categories: []string{"release"}})
	drop := f.Keep(filter.Post{Title: "[draft] Kubernetes"})
	if !keep || drop {
		t.Errorf("the decoded filter keeps %v and drops %v", keep, !drop)
	}
}

func TestFilterErrors(t *testing.T) {
	tests := []struct {
		name, item string
		want       string
	}{
		{"bad regexp", "    include: {match: \"(?i)kube(\"}\n",
			"feeds.yaml:4: feeds[0].include.match: invalid regular expression: missing closing ): `(?i)kube(`"},
		{"bad title regexp on its own line", "    exclude:\n      title: '[draft'\n",
			"feeds.yaml:5: feeds[0].exclude.title: invalid regular expression: missing closing ]: `[draft`"},
		{"unknown key", "    include: {tags: [k8s]}\n",
			"feeds.yaml:4: feeds[0].include.tags: unknown key (want categories, match or title)"},
		{"empty rule", "    include: {}\n",
			"feeds.yaml:4: feeds[0].include: needs categories, match or title"},
		{"rule not a mapping", "    include: kubernetes\n",
			`feeds.yaml:4: feeds[0].include: expected a mapping, got "kubernetes"`},
		{"empty regexp", "    include: {match: ''}\n",
			"feeds.yaml:4: feeds[0].include.match: empty regular expression: it would match every post"},
		{"empty category", "    include: {categories: [k8s, '']}\n",
			"feeds.yaml:4: feeds[0].include.categories[1]: empty category"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte("feeds:\n  - name: Ann\n    url: https://ann.example.org/feed.xml\n"+tt.item), cfgPath)
			if err == nil || err.Error() != tt.want {
				t.Errorf("got  %v\nwant %s", err, tt.want)
			}
		})
	}
}

func TestFace(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "feeds.yaml")
	if err := os.MkdirAll(filepath.Join(dir, "faces"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "faces", "ann.png"), []byte("\x89PNG\r\n\x1a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Parse([]byte(`feeds:
  - url: https://ann.example.org/feed.xml
    face: faces/ann.png
  - url: https://bob.example.org/rss
    face: https://bob.example.org/me.jpg
`), path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Feeds[0].Face, filepath.Join(dir, "faces", "ann.png"); got != want {
		t.Errorf("local face = %q, want %q", got, want)
	}
	if got := c.Sources()[1].Face; got != "https://bob.example.org/me.jpg" {
		t.Errorf("remote face = %q", got)
	}

	bad := []struct{ face, want string }{
		{"javascript:alert(1)", `feeds.yaml:3: feeds[0].face: must be an http(s) URL or the path of an image file, got "javascript:alert(1)"`},
		{"data:image/png;base64,AAAA", `feeds.yaml:3: feeds[0].face: must be an http(s) URL or the path of an image file, got "data:image/png;base64,AAAA"`},
		{"//cdn.example/me.png", `feeds.yaml:3: feeds[0].face: must be an http(s) URL or the path of an image file, got "//cdn.example/me.png"`},
		{"faces/ann.svg", `feeds.yaml:3: feeds[0].face: "faces/ann.svg" is not a .png, .jpg, .gif, .webp or .avif image`},
		{"faces/cleo.png", "feeds.yaml:3: feeds[0].face: cannot read the image: stat " + filepath.Join(dir, "faces", "cleo.png") + ": no such file or directory"},
	}
	for _, tt := range bad {
		_, err := Parse([]byte("feeds:\n  - url: https://ann.example.org/feed.xml\n    face: "+tt.face+"\n"), path)
		if err == nil || err.Error() != tt.want {
			t.Errorf("face %q:\ngot  %v\nwant %s", tt.face, err, tt.want)
		}
	}
}

func TestNoSourcesIsAPlanetWaitingForTheFirst(t *testing.T) {
	for _, text := range []string{"", "# nothing yet\n", "---\n", "title: Planet\n", "feeds:\n", "feeds: []\n"} {
		c, err := Parse([]byte(text), cfgPath)
		if err != nil {
			t.Errorf("Parse(%q): %v", text, err)
			continue
		}
		if len(c.Feeds) != 0 || c.Interval != DefaultInterval || !filepath.IsAbs(c.Database) {
			t.Errorf("Parse(%q) = %+v", text, c)
		}
	}
}

func TestStarter(t *testing.T) {
	data, err := Starter(cfgPath, "Planet Kubernetes: the community", "https://planet.example.org")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Parse(data, cfgPath)
	if err != nil {
		t.Fatalf("the starter does not parse: %v\n%s", err, data)
	}
	if c.Title != "Planet Kubernetes: the community" || c.Link != "https://planet.example.org/" || len(c.Feeds) != 0 {
		t.Errorf("starter config = %+v", c)
	}
	for _, want := range []string{"village add", "output_dir", "retention", "include:", "face:", "interval: 1h"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("the starter does not explain %q:\n%s", want, data)
		}
	}

	data, err = Starter(cfgPath, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if c, err := Parse(data, cfgPath); err != nil || c.Title != DefaultTitle || c.Link != "http://127.0.0.1:8080/" {
		t.Errorf("starter without title and link: %v %+v", err, c)
	}

	_, err = Starter(cfgPath, "T", "planet.example.org")
	var errs Errors
	if !errors.As(err, &errs) || errs[0].Field != "link" {
		t.Errorf("a bad link: %v, want a link error", err)
	}
}

// TestStarterMatchesTheBundledExample keeps the two files' explanations
// in step: every line of prose in the starter's comments is in feeds.yaml.
func TestStarterMatchesTheBundledExample(t *testing.T) {
	bundled, err := os.ReadFile(filepath.Join("..", "..", "feeds.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(initTemplate, "\n") {
		line = strings.TrimSpace(line)
		prose := strings.HasPrefix(line, "# ") && !strings.HasPrefix(line, "#  ") && !strings.Contains(line, ": ")
		if !prose || strings.Contains(line, "village init") || strings.HasSuffix(line, "For example:") {
			continue
		}
		if !strings.Contains(string(bundled), line) {
			t.Errorf("feeds.yaml lacks the starter's comment %q", line)
		}
	}
	// And the other way: every planet-wide setting the example shows, set
	// or commented out, and its explanation, are in the starter too.
	starter, err := Starter(cfgPath, "", "")
	if err != nil {
		t.Fatal(err)
	}
	settings, _, _ := strings.Cut(string(bundled), "\nfeeds:")
	for _, line := range strings.Split(settings, "\n") {
		if m := settingLine.FindStringSubmatch(line); m != nil {
			if !regexp.MustCompile(`(?m)^(# )?` + m[1] + `:`).Match(starter) {
				t.Errorf("the starter lacks the setting %q of feeds.yaml", m[1])
			}
			continue
		}
		line = strings.TrimSpace(line)
		prose := strings.HasPrefix(line, "# ") && !strings.HasPrefix(line, "#  ")
		if prose && !strings.Contains(line, "Kubernetes") && !strings.Contains(line, "village init") &&
			!strings.Contains(initTemplate, line) {
			t.Errorf("the starter lacks feeds.yaml's comment %q", line)
		}
	}
}

// settingLine is a top-level key of feeds.yaml, set or commented out.
var settingLine = regexp.MustCompile(`^(?:# )?([a-z_]+):(?: |$)`)

func TestDiff(t *testing.T) {
	old, err := Parse([]byte(`title: A
feeds:
  - {name: Ann, url: https://ann.example.org/feed.xml}
  - {name: Bob, url: https://bob.example.org/rss, tags: [go]}
  - {name: Cleo, url: https://cleo.example.org/feed}
`), cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	cur, err := Parse([]byte(`title: B
interval: 1h
feeds:
  - {name: Ann, url: https://ann.example.org/feed.xml}
  - {name: Bobby, url: https://bob.example.org/rss, tags: [go], include: {match: go}}
  - {name: Dan, url: https://dan.example.org/atom.xml}
`), cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	d := Diff(old, cur)
	if len(d.Added) != 1 || d.Added[0].Name != "Dan" || len(d.Removed) != 1 || d.Removed[0].Name != "Cleo" {
		t.Errorf("added %v, removed %v", d.Added, d.Removed)
	}
	if len(d.Changed) != 1 || d.Changed[0].Feed.Name != "Bobby" || !slices.Equal(d.Changed[0].Fields, []string{"name", "include"}) {
		t.Errorf("changed %+v", d.Changed)
	}
	if !slices.Equal(d.Settings, []string{"title", "author", "interval"}) {
		t.Errorf("settings %v", d.Settings)
	}
	if !Diff(cur, cur).IsZero() {
		t.Error("a config differs from itself")
	}
}

// TestDiffNamesEverySetting changes each planet-wide field of a Config in
// turn: a reload's log line must name it, or an operator cannot tell
// whether the edit was seen.
func TestDiffNamesEverySetting(t *testing.T) {
	base := Default()
	typ := reflect.TypeOf(*base)
	for i := range typ.NumField() {
		name := typ.Field(i).Name
		if name == "Path" || name == "Feeds" {
			continue
		}
		cur := *base
		if !change(reflect.ValueOf(&cur).Elem().Field(i)) {
			t.Fatalf("%s: the test cannot change a %s", name, typ.Field(i).Type)
		}
		if d := Diff(base, &cur); len(d.Settings) != 1 {
			t.Errorf("%s changed: settings %v, want it named once", name, d.Settings)
		}
	}
}

// change sets v to another value of its type, or reports that it cannot.
func change(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + "x")
	case reflect.Int, reflect.Int64:
		v.SetInt(v.Int() + 1)
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Slice:
		v.Set(reflect.Append(v, reflect.Zero(v.Type().Elem())))
	case reflect.Struct:
		return change(v.Field(0))
	default:
		return false
	}
	return true
}
