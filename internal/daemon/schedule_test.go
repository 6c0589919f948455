package daemon

import (
	"errors"
	"testing"

	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/refresh"
)

func TestHealthChanged(t *testing.T) {
	down := errors.New("http 503 Service Unavailable")
	failing := model.Source{ErrorCount: 2, LastError: down.Error()}
	for _, tt := range []struct {
		name string
		out  refresh.Outcome
		want bool
	}{
		{"healthy stays healthy", refresh.Outcome{Source: model.Source{}}, false},
		{"starts failing", refresh.Outcome{Source: model.Source{}, Err: down}, true},
		{"recovers", refresh.Outcome{Source: failing}, true},
		{"fails the same way again", refresh.Outcome{Source: failing, Err: down}, false},
		{"fails another way", refresh.Outcome{Source: failing, Err: errors.New("fetch: timeout after 30s")}, true},
		{"moves", refresh.Outcome{Source: model.Source{}, MovedTo: "https://new.example.org/feed.xml"}, true},
		{"goes away", refresh.Outcome{Source: model.Source{}, Gone: true}, true},
	} {
		if got := healthChanged(tt.out); got != tt.want {
			t.Errorf("%s: healthChanged = %v, want %v", tt.name, got, tt.want)
		}
	}
}
