package daemon

import (
	"errors"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/refresh"
)

func TestHealthChanged(t *testing.T) {
	down := errors.New("http 503 Service Unavailable")
	polled := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	healthy := model.Source{LastCheck: polled}
	failing := model.Source{ErrorCount: 2, LastError: down.Error(), LastCheck: polled}
	for _, tt := range []struct {
		name string
		out  refresh.Outcome
		want bool
	}{
		{"healthy stays healthy", refresh.Outcome{Source: healthy}, false},
		{"first poll of a new source", refresh.Outcome{Source: model.Source{}}, true},
		{"starts failing", refresh.Outcome{Source: healthy, Err: down}, true},
		{"recovers", refresh.Outcome{Source: failing}, true},
		{"fails the same way again", refresh.Outcome{Source: failing, Err: down}, false},
		{"fails another way", refresh.Outcome{Source: failing, Err: errors.New("fetch: timeout after 30s")}, true},
		{"moves", refresh.Outcome{Source: healthy, MovedTo: "https://new.example.org/feed.xml"}, true},
		{"goes away", refresh.Outcome{Source: healthy, Gone: true}, true},
	} {
		if got := healthChanged(tt.out); got != tt.want {
			t.Errorf("%s: healthChanged = %v, want %v", tt.name, got, tt.want)
		}
	}
}
