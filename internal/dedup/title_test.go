package dedup

import "testing"

func TestTitlesConflict(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"Kubernetes 1.11: In-Cluster Load Balancing", "Kubernetes 1.12: Kubelet TLS Bootstrap", true},
		{"Kubernetes 1.9: Apps Workloads GA", "kubernetes 1.9: apps workloads GA", false},
		{"Kubernetes v1.12.0 released", "Kubernetes 1.12 released", false},
		{"Five things to know about Kubernetes 1.9", "Kubernetes 1.9: Apps Workloads GA", false},
		{"Kubernetes 1.9: Apps Workloads GA", "What's new in the latest Kubernetes release", false},
		{"Securing clusters, part 1", "Securing clusters, part 2", true},
		{"Securing clusters, Part One", "Securing clusters, Part Two", true},
		{"Securing clusters (Part II)", "Securing clusters, part 2", false},
		{"SIG Node meeting notes 2024-03-05", "SIG Node meeting notes 2024-03-12", true},
		{"SIG Node meeting notes, March 5", "SIG Node meeting notes, March 12", true},
		{"LWKD issue #42", "LWKD issue #043", true},
		{"KubeCon 2017 recap", "KubeCon 2018 recap", true},
		{"Welcome", "Welcome", false},
		{"Why Go 1.22?", "Why Go 1.22", false},
	}
	for _, tt := range tests {
		if got := TitlesConflict(tt.a, tt.b); got != tt.want {
			t.Errorf("TitlesConflict(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := TitlesConflict(tt.b, tt.a); got != tt.want {
			t.Errorf("TitlesConflict(%q, %q) = %v, want %v (not symmetric)", tt.b, tt.a, got, tt.want)
		}
	}
}
