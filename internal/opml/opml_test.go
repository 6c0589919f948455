package opml

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func TestParseNested(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "nested.opml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	want := []Outline{
		{Text: "Top level", Type: "rss", XMLURL: "https://top.example/feed.xml", HTMLURL: "https://top.example/"},
		{Text: "Go & friends", Title: "Go & friends", Type: "rss", XMLURL: "https://go.example/index.xml",
			HTMLURL: "https://go.example/", Category: "/lang/go,news,/Tech"},
		{Title: "Café Blog", XMLURL: "https://cafe.example/atom.xml", Category: "/Tech/Deep"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parse:\n got %#v\nwant %#v", got, want)
	}
}

func TestCategories(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"news", []string{"news"}},
		{"/lang/go, news ,,/", []string{"lang/go", "news"}},
	}
	for _, tt := range tests {
		if got := (Outline{Category: tt.in}).Categories(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Categories(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, doc string
		notOPML   bool
	}{
		{"empty", "", true},
		{"rss", `<rss version="2.0"><channel/></rss>`, true},
		{"broken", `<opml><body><outline xmlUrl="x">`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.doc))
			if err == nil {
				t.Fatal("no error")
			}
			if got := errors.Is(err, ErrNotOPML); got != tt.notOPML {
				t.Errorf("errors.Is(%v, ErrNotOPML) = %v, want %v", err, got, tt.notOPML)
			}
		})
	}
}

func TestRenderGolden(t *testing.T) {
	got, err := Render("A <planet> & co", []Outline{
		{Text: "Alpha", Title: "Alpha", XMLURL: "https://a.example/feed?x=1&y=2", HTMLURL: "https://a.example/", Category: "go,k8s"},
		{XMLURL: "https://b.example/atom.xml"},
		{Title: "Only title", Type: "atom", XMLURL: "https://c.example/feed"},
	})
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "render.golden.opml")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Render:\n%s\nwant:\n%s", got, want)
	}
}

func TestRoundTrip(t *testing.T) {
	in := []Outline{
		{Text: "Alpha & Omega", Title: "Alpha & Omega", Type: "rss", XMLURL: "https://a.example/feed", HTMLURL: "https://a.example/", Category: "go,k8s"},
		{Text: "Café", Type: "rss", XMLURL: "https://b.example/atom.xml"},
	}
	body, err := Render("t", in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Parse(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out, in) {
		t.Errorf("round trip:\n got %#v\nwant %#v", out, in)
	}
}

func FuzzParse(f *testing.F) {
	seed, err := os.ReadFile(filepath.Join("testdata", "nested.opml"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`<opml><body><outline text="a"><outline xmlUrl="u"/></outline></body></opml>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		outlines, err := Parse(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, o := range outlines {
			if o.XMLURL == "" {
				t.Fatalf("outline without xmlUrl returned: %#v", o)
			}
		}
	})
}
