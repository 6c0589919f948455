package metrics

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
)

func gather(t *testing.T, m *Metrics) map[string]*dto.MetricFamily {
	t.Helper()
	fams, err := m.Registry().Gather()
	if err != nil {
		t.Fatalf("Gather: %v", err)
	}
	out := map[string]*dto.MetricFamily{}
	for _, f := range fams {
		out[f.GetName()] = f
	}
	return out
}

// sample returns the value of the series of name with exactly labels.
func sample(fams map[string]*dto.MetricFamily, name string, labels map[string]string) (float64, bool) {
	for _, mt := range fams[name].GetMetric() {
		if len(mt.GetLabel()) != len(labels) {
			continue
		}
		match := true
		for _, l := range mt.GetLabel() {
			match = match && labels[l.GetName()] == l.GetValue()
		}
		if !match {
			continue
		}
		switch {
		case mt.GetCounter() != nil:
			return mt.GetCounter().GetValue(), true
		case mt.GetGauge() != nil:
			return mt.GetGauge().GetValue(), true
		case mt.GetHistogram() != nil:
			return float64(mt.GetHistogram().GetSampleCount()), true
		}
	}
	return 0, false
}

func TestFetched(t *testing.T) {
	m := New(nil)
	at := time.Unix(1700000000, 0)
	m.Fetched(Fetch{Outcome: "200", Duration: time.Second, New: 3, Updated: 1, Duplicates: 2, At: at})
	m.Fetched(Fetch{Outcome: "304", Duration: time.Millisecond, At: at})
	m.Fetched(Fetch{Outcome: "timeout", At: at.Add(time.Second)})
	f := gather(t, m)
	for _, tc := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"village_fetches_total", map[string]string{"outcome": "200"}, 1},
		{"village_fetches_total", map[string]string{"outcome": "304"}, 1},
		{"village_fetches_total", map[string]string{"outcome": "timeout"}, 1},
		{"village_fetch_duration_seconds", nil, 2}, // the timeout had no time on the wire
		{"village_entries_stored_total", nil, 3},
		{"village_entries_updated_total", nil, 1},
		{"village_duplicates_collapsed_total", nil, 2},
		{"village_last_poll_timestamp_seconds", nil, 1700000001},
	} {
		if got, ok := sample(f, tc.name, tc.labels); !ok || got != tc.want {
			t.Errorf("%s%v = %v (found %v); want %v", tc.name, tc.labels, got, ok, tc.want)
		}
	}
}

func TestSourceStates(t *testing.T) {
	m := New(func(context.Context) (map[string]int, error) {
		return map[string]int{"ok": 5, "failing": 2, "gone": 1}, nil
	})
	f := gather(t, m)
	for state, want := range map[string]float64{"ok": 5, "failing": 2, "moved": 0, "gone": 1} {
		if got, ok := sample(f, "village_sources", map[string]string{"state": state}); !ok || got != want {
			t.Errorf("village_sources{state=%q} = %v (found %v); want %v", state, got, ok, want)
		}
	}
	if got, _ := sample(f, "village_sources_failing", nil); got != 2 {
		t.Errorf("village_sources_failing = %v; want 2", got)
	}

	broken := New(func(context.Context) (map[string]int, error) { return nil, errors.New("database is locked") })
	if _, err := broken.Registry().Gather(); err == nil || !strings.Contains(err.Error(), "database is locked") {
		t.Errorf("a failing count gathered with %v; want the error", err)
	}
}

func TestMiddlewareCountsByPattern(t *testing.T) {
	m := New(nil)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /feed/{name}", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
	mux.HandleFunc("GET /teapot", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	// Answers nothing to a client that has gone, as the document handler.
	mux.HandleFunc("GET /held", func(w http.ResponseWriter, r *http.Request) {
		if r.Context().Err() == nil {
			w.Write([]byte("ok"))
		}
	})
	h := m.Middleware(mux)
	for _, path := range []string{"/feed/a", "/feed/b", "/teapot", "/nowhere", "/held"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil))
	}
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequestWithContext(gone, "GET", "/held", nil))
	f := gather(t, m)
	for _, tc := range []struct {
		handler, code string
		want          float64
	}{
		{"GET /feed/{name}", "200", 2},
		{"GET /teapot", "418", 1},
		{"none", "404", 1}, // no pattern matched: the raw path is never a label
		{"GET /held", "200", 1},
		{"GET /held", "499", 1}, // the client left before an answer
	} {
		got, ok := sample(f, "village_http_requests_total", map[string]string{"handler": tc.handler, "code": tc.code})
		if !ok || got != tc.want {
			t.Errorf("requests{handler=%q,code=%q} = %v (found %v); want %v", tc.handler, tc.code, got, ok, tc.want)
		}
	}
}

func TestNilMetricsRecordsNothing(t *testing.T) {
	var m *Metrics
	m.Fetched(Fetch{Outcome: "200"})
	called := false
	h := m.Middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called = true }))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	if !called {
		t.Error("a nil Metrics' middleware did not call the handler")
	}
}

func TestWatchSlots(t *testing.T) {
	m := New(nil)
	m.WatchSlots(func() Slots { return Slots{Connections: 50, MaxConnections: 64, Waiting: 3, Work: 2, MaxWork: 8} })
	f := gather(t, m)
	for name, want := range map[string]float64{
		"village_fetch_connections": 50, "village_fetch_connections_limit": 64,
		"village_fetch_waiting": 3, "village_refresh_work": 2,
	} {
		if got, ok := sample(f, name, map[string]string{}); !ok || got != want {
			t.Errorf("%s = %v (%v), want %v", name, got, ok, want)
		}
	}
}

func TestWatchHeld(t *testing.T) {
	m := New(nil)
	m.WatchHeld(func() Held { return Held{Requests: 7, Waited: 1500 * time.Millisecond} })
	f := gather(t, m)
	for name, want := range map[string]float64{
		"village_http_held_requests_total": 7, "village_http_held_seconds_total": 1.5,
	} {
		if got, ok := sample(f, name, map[string]string{}); !ok || got != want {
			t.Errorf("%s = %v (%v), want %v", name, got, ok, want)
		}
	}
}
