package publish

import (
	"testing"

	"github.com/villagefeeds/village/internal/model"
)

func TestEntryID(t *testing.T) {
	src := model.Source{URL: "https://a.example/feed"}
	tests := []struct {
		name string
		e    model.Entry
		want string
	}{
		{"https guid", model.Entry{GUID: "https://a.example/p/1", CanonicalURL: "https://a.example/p/1?x"}, "https://a.example/p/1"},
		{"tag guid", model.Entry{GUID: "tag:a.example,2024:1", CanonicalURL: "https://a.example/p/1"}, "tag:a.example,2024:1"},
		{"urn guid", model.Entry{GUID: "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"}, "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"},
		{"number guid", model.Entry{GUID: "1234", CanonicalURL: "https://a.example/p/1"}, "https://a.example/p/1"},
		{"relative guid", model.Entry{GUID: "/p/1", CanonicalURL: "https://a.example/p/1"}, "https://a.example/p/1"},
		{"scheme-less host guid", model.Entry{GUID: "a.example/p/1", CanonicalURL: "https://a.example/p/1"}, "https://a.example/p/1"},
		{"guid with space", model.Entry{GUID: "tag:a b", CanonicalURL: "https://a.example/p/1"}, "https://a.example/p/1"},
		{"bare scheme", model.Entry{GUID: "urn:", CanonicalURL: "https://a.example/p/1"}, "https://a.example/p/1"},
		{"digit scheme", model.Entry{GUID: "2024:1", CanonicalURL: "https://a.example/p/1"}, "https://a.example/p/1"},
		{"guid, no canonical", model.Entry{GUID: "post-7"}, uuidURN("https://a.example/feed\nguid:post-7")},
		{"link only", model.Entry{Link: "https://a.example/p/1"}, uuidURN("https://a.example/feed\nlink:https://a.example/p/1")},
		{"nothing", model.Entry{ID: 9}, uuidURN("https://a.example/feed\nentry:9")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := EntryID(tt.e, src); got != tt.want {
				t.Errorf("EntryID = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestEntryIDDependsOnSource(t *testing.T) {
	e := model.Entry{GUID: "1"}
	a := EntryID(e, model.Source{URL: "https://a.example/feed"})
	b := EntryID(e, model.Source{URL: "https://b.example/feed"})
	if a == b {
		t.Errorf("same id %q for the same GUID in two sources", a)
	}
}

func TestUUIDURN(t *testing.T) {
	// Python: uuid.uuid5(uuid.NAMESPACE_URL, "hello")
	if got, want := uuidURN("hello"), "urn:uuid:074171de-bc84-5ea4-b636-1135477620e1"; got != want {
		t.Errorf("uuidURN = %q, want %q", got, want)
	}
}

func TestSourceName(t *testing.T) {
	tests := []struct {
		name string
		src  model.Source
		want string
	}{
		{"name", model.Source{Name: "Alice", FeedTitle: "T", URL: "https://a.example/f"}, "Alice"},
		{"feed title", model.Source{Name: "  ", FeedTitle: "Alice writes", URL: "https://a.example/f"}, "Alice writes"},
		{"host", model.Source{URL: "https://a.example:8080/f"}, "a.example:8080"},
		{"unparsable URL", model.Source{URL: "::"}, "::"},
		{"zero", model.Source{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SourceName(tt.src); got != tt.want {
				t.Errorf("SourceName = %q, want %q", got, tt.want)
			}
		})
	}
}
