package config

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkParse parses a planet of 1,000 feeds, the size village targets.
func BenchmarkParse(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("title: Planet\nfeeds:\n")
	for i := range 1000 {
		fmt.Fprintf(&sb, "  - name: Blog %d\n    url: https://blog%d.example.org/feed.xml\n    homepage: https://blog%d.example.org/\n    tags: [k8s, sig-%d]\n", i, i, i, i%30)
	}
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse(data, cfgPath); err != nil {
			b.Fatal(err)
		}
	}
}
