// Package metrics counts what a running planet does, in the Prometheus
// format, on a registry of its own so that nothing else leaks into /metrics.
package metrics

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// namespace prefixes every metric name: village_...
const namespace = "village"

// SourceStates counts the active sources by state ("ok", "failing",
// "moved", "gone"). It is called at every scrape, so the numbers come from
// the database and are right after a restart or a config reload.
type SourceStates func(ctx context.Context) (map[string]int, error)

// Metrics holds village's collectors. Its methods are safe for concurrent
// use; a nil *Metrics records nothing, so callers need no guard.
type Metrics struct {
	reg           *prometheus.Registry
	fetches       *prometheus.CounterVec
	fetchDuration prometheus.Histogram
	stored        prometheus.Counter
	updated       prometheus.Counter
	duplicates    prometheus.Counter
	lastPoll      prometheus.Gauge
	requests      *prometheus.CounterVec
}

// New registers village's metrics, the Go runtime's and the process's on a
// new registry. states may be nil when there is no store to ask.
func New(states SourceStates) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		fetches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "fetches_total",
			Help: "Polls of sources, by outcome: the HTTP status (200, 304) or an error class (timeout, dns, tls, http_4xx, parse...).",
		}, []string{"outcome"}),
		fetchDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: namespace, Name: "fetch_duration_seconds",
			Help:    "Time on the wire of one poll, from request to the last byte of the body.",
			Buckets: []float64{.05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}),
		stored: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Name: "entries_stored_total",
			Help: "Entries stored as new.",
		}),
		updated: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Name: "entries_updated_total",
			Help: "Stored entries that their source changed.",
		}),
		duplicates: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Name: "duplicates_collapsed_total",
			Help: "Cross-posted copies recorded as alternates of an entry instead of new entries.",
		}),
		lastPoll: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: namespace, Name: "last_poll_timestamp_seconds",
			Help: "Unix time at which the last poll of any source completed.",
		}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "http_requests_total",
			Help: "HTTP requests served, by route pattern and status code.",
		}, []string{"handler", "code"}),
	}
	m.reg.MustRegister(m.fetches, m.fetchDuration, m.stored, m.updated, m.duplicates, m.lastPoll, m.requests,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{Namespace: namespace}))
	if states != nil {
		m.reg.MustRegister(newSourcesCollector(states))
	}
	return m
}

// Slots is how full the fetch limits are (see package limit).
type Slots struct {
	Connections, MaxConnections int // requests on the network, and the bound
	Waiting                     int // requests waiting for a connection slot
	Work, MaxWork               int // feeds being parsed and stored, and the bound
}

// WatchSlots exports the fetch limits, read at every scrape: a planet whose
// connections stay at the bound has hosts that hold them (hung or slow),
// and everything else waits behind them.
func (m *Metrics) WatchSlots(slots func() Slots) {
	if m == nil {
		return
	}
	gauge := func(name, help string, v func(Slots) int) prometheus.GaugeFunc {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: namespace, Name: name, Help: help},
			func() float64 { return float64(v(slots())) })
	}
	m.reg.MustRegister(
		gauge("fetch_connections", "Requests waiting on the network now (connected or connecting, headers or body).",
			func(s Slots) int { return s.Connections }),
		gauge("fetch_connections_limit", "The most requests on the network at once (connections: in feeds.yaml).",
			func(s Slots) int { return s.MaxConnections }),
		gauge("fetch_waiting", "Requests whose host is free but that wait for a connection slot.",
			func(s Slots) int { return s.Waiting }),
		gauge("refresh_work", "Feeds being parsed and stored now (at most concurrency: in feeds.yaml).",
			func(s Slots) int { return s.Work }),
	)
}

// Held is what serve held back to put polling first (see server.Pacer).
type Held struct {
	Requests int64
	Waited   time.Duration
}

// WatchHeld exports how many requests waited their turn while feeds were
// being ingested, and for how long in all: readers who waited tell the
// operator that busy_rate: in feeds.yaml is below what they ask.
func (m *Metrics) WatchHeld(held func() Held) {
	if m == nil {
		return
	}
	m.reg.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{Namespace: namespace, Name: "http_held_requests_total",
			Help: "Requests held back while feeds were being ingested (busy_rate: in feeds.yaml)."},
			func() float64 { return float64(held().Requests) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Namespace: namespace, Name: "http_held_seconds_total",
			Help: "Seconds the held requests waited, in all."},
			func() float64 { return held().Waited.Seconds() }),
	)
}

// Registry returns the private registry, for tests and for adding collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Fetch is one poll of one source as the metrics see it. It does not
// name the source: a label per source would make /metrics, and the
// memory that keeps its series, grow with the planet, 60,000 series for
// 10,000 sources. Which source fails is for /sources.json and the
// sources' pages; the metrics say how many do (village_sources).
type Fetch struct {
	Outcome    string        // "200", "304" or an error class
	Duration   time.Duration // on the wire; 0 when no request was made
	New        int
	Updated    int
	Duplicates int
	At         time.Time // when the poll completed
}

// Fetched records one completed poll.
func (m *Metrics) Fetched(f Fetch) {
	if m == nil {
		return
	}
	m.fetches.WithLabelValues(f.Outcome).Inc()
	if f.Duration > 0 {
		m.fetchDuration.Observe(f.Duration.Seconds())
	}
	m.stored.Add(float64(f.New))
	m.updated.Add(float64(f.Updated))
	m.duplicates.Add(float64(f.Duplicates))
	m.lastPoll.Set(float64(f.At.UnixNano()) / 1e9)
}

// Middleware counts the requests next serves, by the http.ServeMux pattern
// that matched (never the raw path, which anyone can vary) and status.
func (m *Metrics) Middleware(next http.Handler) http.Handler {
	if m == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		// ServeMux sets r.Pattern on the request it was given, this one.
		handler := r.Pattern
		if handler == "" {
			handler = "none"
		}
		code := strconv.Itoa(rec.code())
		if rec.status == 0 && r.Context().Err() != nil {
			// Nothing written to a client that had gone: nginx's "client
			// closed request", not a 200 nobody received.
			code = "499"
		}
		m.requests.WithLabelValues(handler, code).Inc()
	})
}

// statusWriter remembers the status code written through it.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's Flush and
// deadlines through the wrapper.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) code() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}
