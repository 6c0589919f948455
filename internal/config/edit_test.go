package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var (
	feedA = Feed{Name: "Alpha: the blog", URL: "https://a.example/feed.xml", Homepage: "https://a.example/", Tags: []string{"go", "k8s"}}
	feedB = Feed{URL: "https://b.example/atom.xml"}
)

func TestAppendFeeds(t *testing.T) {
	tests := []struct {
		name, in string
		add      []Feed
		want     string
	}{
		{
			name: "after the last item, before trailing comments and keys",
			in:   "# planet\ntitle: T # inline\nfeeds:\n  # first\n  - name: One\n    url: https://one.example/feed\n    # inside one\n\n  # before key\n\n# about retention\nretention:\n  max_age: 30d\n",
			add:  []Feed{feedA},
			want: "# planet\ntitle: T # inline\nfeeds:\n  # first\n  - name: One\n    url: https://one.example/feed\n    # inside one\n" +
				"  - name: 'Alpha: the blog'\n    url: https://a.example/feed.xml\n    homepage: https://a.example/\n    tags: [go, k8s]\n" +
				"\n  # before key\n\n# about retention\nretention:\n  max_age: 30d\n",
		},
		{
			name: "indentless list, block tags, no final newline",
			in:   "feeds:\n-   url: https://one.example/feed\n    tags:\n      - x\n-   url: https://two.example/feed",
			add:  []Feed{feedA, feedB},
			want: "feeds:\n-   url: https://one.example/feed\n    tags:\n      - x\n-   url: https://two.example/feed\n" +
				"-   name: 'Alpha: the blog'\n    url: https://a.example/feed.xml\n    homepage: https://a.example/\n    tags:\n      - go\n      - k8s\n" +
				"-   url: https://b.example/atom.xml\n",
		},
		{
			name: "block scalar in the last item",
			in:   "feeds:\n  - url: https://one.example/feed\n    name: >\n      folded\n\n      name\ntitle: x\n",
			add:  []Feed{feedB},
			want: "feeds:\n  - url: https://one.example/feed\n    name: >\n      folded\n\n      name\n  - url: https://b.example/atom.xml\ntitle: x\n",
		},
		{
			name: "no feeds key",
			in:   "# new planet\ntitle: T",
			add:  []Feed{feedB},
			want: "# new planet\ntitle: T\nfeeds:\n  - url: https://b.example/atom.xml\n",
		},
		{
			name: "empty file",
			in:   "",
			add:  []Feed{feedB},
			want: "feeds:\n  - url: https://b.example/atom.xml\n",
		},
		{
			name: "null feeds keeps its comment",
			in:   "feeds: ~ # none yet\ntitle: T\n",
			add:  []Feed{feedB},
			want: "feeds:  # none yet\n  - url: https://b.example/atom.xml\ntitle: T\n",
		},
		{
			name: "empty flow list",
			in:   "feeds: [ ]\n",
			add:  []Feed{feedB},
			want: "feeds:\n  - url: https://b.example/atom.xml\n",
		},
		{
			name: "bare key, CRLF",
			in:   "feeds:\r\ntitle: T\r\n",
			add:  []Feed{{Name: "yes", URL: "https://b.example/x", Interval: 90 * 60e9}},
			want: "feeds:\r\n  - name: \"yes\"\r\n    url: https://b.example/x\r\n    interval: 1h30m\r\ntitle: T\r\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := AppendFeeds([]byte(tt.in), cfgPath, tt.add...)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestRemoveFeed(t *testing.T) {
	const in = "feeds:\n" +
		"  # one's comment\n" +
		"  - name: One\n" +
		"    url: https://one.example/feed\n" +
		"    # inside one\n" +
		"\n" +
		"  # two's comment\n" +
		"  -\n" +
		"    url: https://two.example/feed\n" +
		"\n" +
		"  - {url: https://three.example/feed, tags: [a]}\n" +
		"# end\n"
	tests := []struct {
		i    int
		want string
	}{
		{0, "feeds:\n  # two's comment\n  -\n    url: https://two.example/feed\n\n  - {url: https://three.example/feed, tags: [a]}\n# end\n"},
		{1, "feeds:\n  # one's comment\n  - name: One\n    url: https://one.example/feed\n    # inside one\n\n  - {url: https://three.example/feed, tags: [a]}\n# end\n"},
		{2, "feeds:\n  # one's comment\n  - name: One\n    url: https://one.example/feed\n    # inside one\n\n  # two's comment\n  -\n    url: https://two.example/feed\n\n# end\n"},
	}
	for _, tt := range tests {
		got, err := RemoveFeed([]byte(in), cfgPath, tt.i)
		if err != nil {
			t.Fatalf("RemoveFeed(%d): %v", tt.i, err)
		}
		if string(got) != tt.want {
			t.Errorf("RemoveFeed(%d):\n%s\nwant:\n%s", tt.i, got, tt.want)
		}
	}
}

func TestEditRefused(t *testing.T) {
	tests := []struct {
		name, in string
		edit     func([]byte) ([]byte, error)
		want     string // in the error
		sentinel error
	}{
		{"flow list", "feeds: [{url: https://one.example/}]\n", addB, "feeds.yaml:1: feeds is a flow-style list", ErrNotEditable},
		{"flow root", "{feeds: []}\n", addB, "feeds.yaml:1: the top level is not a block mapping", ErrNotEditable},
		{"not a list", "feeds: {a: 1}\n", addB, "feeds.yaml:1: feeds is not a list", ErrNotEditable},
		{"invalid result", "feeds:\n  - url: https://b.example/atom.xml\n", addB, "feeds.yaml:3: feeds[1].url: duplicate of feeds[0] (line 2)", nil},
		{"no such item", oneFeed, func(b []byte) ([]byte, error) { return RemoveFeed(b, cfgPath, 1) }, "no feeds[1]", nil},
		{"syntax", "feeds: [\n", addB, "feeds.yaml", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.edit([]byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("error %v is not %v", err, tt.sentinel)
			}
		})
	}
}

func addB(b []byte) ([]byte, error) { return AppendFeeds(b, cfgPath, feedB) }

func remove0(b []byte) ([]byte, error) { return RemoveFeed(b, cfgPath, 0) }

func TestEditSave(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "feeds.yaml")
	const in = "# mine\nfeeds:\n  - url: https://one.example/feed # first\n"
	if err := os.WriteFile(path, []byte(in), 0o600); err != nil {
		t.Fatal(err)
	}
	e, err := OpenEdit(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Add(feedB); err != nil {
		t.Fatal(err)
	}
	if err := e.Remove(0); err != nil {
		t.Fatal(err)
	}
	c, err := e.Save()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Feeds) != 1 || c.Feeds[0].URL != feedB.URL || c.Path != path {
		t.Errorf("Save returned %+v", c)
	}
	got, _ := os.ReadFile(path)
	if want := "# mine\nfeeds:\n  - url: https://b.example/atom.xml\n"; string(got) != want {
		t.Errorf("file:\n%s\nwant:\n%s", got, want)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", info.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}

func TestEditSaveChanged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "feeds.yaml")
	if err := os.WriteFile(path, []byte(oneFeed), 0o644); err != nil {
		t.Fatal(err)
	}
	e, err := OpenEdit(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Add(feedB); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(oneFeed+"title: T\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Save(); !errors.Is(err, ErrChanged) {
		t.Fatalf("Save after a concurrent change: %v, want ErrChanged", err)
	}
}

func TestOpenEditNoFeedsYet(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"title: T\n", true},
		{"feeds: []\n", true},
		{"title: [\n", false},
		{"bogus: 1\n", false},
	}
	for _, tt := range tests {
		path := filepath.Join(t.TempDir(), "feeds.yaml")
		if err := os.WriteFile(path, []byte(tt.in), 0o644); err != nil {
			t.Fatal(err)
		}
		e, err := OpenEdit(path)
		if (err == nil) != tt.ok {
			t.Fatalf("OpenEdit(%q): %v", tt.in, err)
		}
		if err != nil {
			continue
		}
		if err := e.Add(feedB); err != nil {
			t.Fatalf("Add to %q: %v", tt.in, err)
		}
		if c, err := e.Save(); err != nil || len(c.Feeds) != 1 {
			t.Errorf("Save of %q with a first feed: %v", tt.in, err)
		}
	}
}

// TestRemoveLastFeed leaves a planet without sources, which is valid: it
// waits for the next one.
func TestRemoveLastFeed(t *testing.T) {
	out, err := RemoveFeed([]byte("title: T\nfeeds:\n  # the only one\n  - url: https://one.example/feed\n"), cfgPath, 0)
	if err != nil {
		t.Fatalf("RemoveFeed of the last feed: %v", err)
	}
	if want := "title: T\nfeeds:\n"; string(out) != want {
		t.Errorf("RemoveFeed = %q, want %q", out, want)
	}
	back, err := AppendFeeds(out, cfgPath, feedB)
	if err != nil {
		t.Fatalf("AppendFeeds after removing the last: %v", err)
	}
	c, err := Parse(back, cfgPath)
	if err != nil || len(c.Feeds) != 1 || c.Feeds[0].URL != feedB.URL {
		t.Errorf("a feed added back: %v, %q", err, back)
	}
}

func TestCreate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "feeds.yaml")
	if err := Create(path, []byte("a\n"), false); err != nil {
		t.Fatal(err)
	}
	if err := Create(path, []byte("b\n"), false); !errors.Is(err, fs.ErrExist) {
		t.Errorf("Create over a file: %v, want fs.ErrExist", err)
	}
	link := filepath.Join(dir, "link.yaml")
	if err := os.Symlink(path, link); err != nil {
		t.Skip(err)
	}
	if err := Create(link, []byte("c\n"), true); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "c\n" {
		t.Errorf("the linked file holds %q", got)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the link was replaced by a file")
	}
}
