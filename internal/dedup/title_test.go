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

func TestCountsConflict(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"Welcome, 3 new maintainers", "Please welcome our 5 newest maintainers", true},
		{"Three new faces on the maintainer team", "Please welcome our 5 newest maintainers", true},
		{"Three new faces on the maintainer team", "Welcome, 3 new maintainers", false},
		{"Moving 40 clusters off ingress-nginx", "How we moved our fleet off ingress-nginx in 3 months", true},
		{"Moving 40 clusters off ingress-nginx", "How we moved our fleet off ingress-nginx", false},
		{"No one reads the docs", "Docs: 2 readers", false},               // "one" is a pronoun here
		{"KubeCon 2017 recap", "KubeCon 2018 recap", false},               // years: TitlesConflict's
		{"Securing clusters, part 1", "Securing clusters, part 2", false}, // parts: TitlesConflict's
		{"Top 10 tips", "Top 10 tips", false},
	}
	for _, tt := range tests {
		for _, ab := range [][2]string{{tt.a, tt.b}, {tt.b, tt.a}} {
			if got := CountsConflict(ab[0], ab[1]); got != tt.want {
				t.Errorf("CountsConflict(%q, %q) = %v, want %v", ab[0], ab[1], got, tt.want)
			}
		}
	}
	// A count is not a plain number: two posts that count differently do
	// not conflict in TitlesConflict's kinds.
	if TitlesConflict("Welcome, 3 new maintainers", "Please welcome our 5 newest maintainers") {
		t.Error("TitlesConflict sees counts")
	}
}
