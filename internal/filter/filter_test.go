package filter

import (
	"regexp"
	"testing"
)

func TestKeep(t *testing.T) {
	k8s := regexp.MustCompile(`(?i)\bkubernetes\b`)
	draft := regexp.MustCompile(`^\[draft\]`)
	post := func(title, text string, cats ...string) Post { return Post{Title: title, Text: text, Categories: cats} }
	tests := []struct {
		name   string
		filter Filter
		post   Post
		want   bool
	}{
		{"no filter keeps everything", Filter{}, post("Cooking", "pasta"), true},
		{"include by category", Filter{Include: &Rule{Categories: []string{"kubernetes"}}}, post("Release", "", "Go", "Kubernetes "), true},
		{"include misses", Filter{Include: &Rule{Categories: []string{"kubernetes"}}}, post("Cooking", "pasta", "food"), false},
		{"include by text", Filter{Include: &Rule{Match: k8s}}, post("Notes", "running Kubernetes at home"), true},
		{"include by title via match", Filter{Include: &Rule{Match: k8s}}, post("Kubernetes at home", "notes"), true},
		{"match needs the word", Filter{Include: &Rule{Match: k8s}}, post("Notes", "kubernetesish"), false},
		{"any condition of a rule", Filter{Include: &Rule{Categories: []string{"k8s"}, Match: k8s}}, post("Notes", "Kubernetes", "food"), true},
		{"title rule ignores the text", Filter{Include: &Rule{Title: k8s}}, post("Notes", "Kubernetes"), false},
		{"exclude by category", Filter{Exclude: &Rule{Categories: []string{"personal"}}}, post("Holiday", "", "Personal"), false},
		{"exclude by title", Filter{Exclude: &Rule{Title: draft}}, post("[draft] soon", ""), false},
		{"exclude wins over include", Filter{Include: &Rule{Match: k8s}, Exclude: &Rule{Categories: []string{"personal"}}},
			post("Kubernetes and my cat", "", "personal"), false},
		{"include and not excluded", Filter{Include: &Rule{Match: k8s}, Exclude: &Rule{Categories: []string{"personal"}}},
			post("Kubernetes 1.30", "", "release"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.filter.Keep(tt.post); got != tt.want {
				t.Errorf("Keep = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestString(t *testing.T) {
	f := Filter{
		Include: &Rule{Categories: []string{"kubernetes", "k8s"}, Match: regexp.MustCompile(`(?i)kube"rnetes`)},
		Exclude: &Rule{Title: regexp.MustCompile(`^\[draft\]`)},
	}
	want := `include: {categories: [kubernetes, k8s], match: "(?i)kube\"rnetes"}, exclude: {title: "^\[draft\]"}`
	if got := f.String(); got != want {
		t.Errorf("String() = %s\nwant       %s", got, want)
	}
	if (Filter{}).String() != "" || !(Filter{}).IsZero() || f.IsZero() {
		t.Error("the zero Filter is not empty")
	}
	if !(&Rule{}).IsEmpty() || f.Include.IsEmpty() {
		t.Error("IsEmpty wrong")
	}
}
