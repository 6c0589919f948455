package daemon

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/villagefeeds/village/internal/metrics"
	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/publish"
	"github.com/villagefeeds/village/internal/refresh"
	"github.com/villagefeeds/village/internal/server"
)

// addOpsRoutes registers /metrics and /sources.json on srv, before its
// handler is built.
func (d *Daemon) addOpsRoutes(srv *server.Server) {
	srv.Handle("GET /metrics", d.metrics.Handler())
	srv.Handle("GET /sources.json", http.HandlerFunc(d.serveSources))
}

// sourceStates counts the active sources by state for each scrape.
func (d *Daemon) sourceStates(ctx context.Context) (map[string]int, error) {
	srcs, err := d.planet.Store().Sources(ctx)
	if err != nil {
		return nil, err
	}
	return stateCounts(srcs), nil
}

// observe counts a refresh in the metrics. A gone source that was skipped
// without a request is no fetch and is not counted.
func (d *Daemon) observe(o refresh.Outcome) {
	if o.Gone && o.Err == nil {
		return
	}
	d.metrics.Fetched(metrics.Fetch{
		Outcome:    outcomeLabel(o),
		Duration:   o.FetchDuration,
		New:        o.New,
		Updated:    o.Updated,
		Duplicates: o.Duplicates,
		At:         time.Now(),
	})
}

// outcomeLabel is the HTTP status of a good poll ("200", "304") or the
// error class of a failed one ("timeout", "http_4xx", "parse"...).
func outcomeLabel(o refresh.Outcome) string {
	switch {
	case o.Err != nil:
		return o.Class
	case o.NotModified:
		return "304"
	}
	return strconv.Itoa(o.Status)
}

// sourceHealth is one source in /sources.json: what `village feeds` shows,
// for the public: URLs with their secrets hidden, the error in plain words.
type sourceHealth struct {
	ID           int64     `json:"id"`
	Name         string    `json:"name"`
	URL          string    `json:"url"`
	State        string    `json:"state"` // new, ok, failing, moved or gone
	LastStatus   int       `json:"last_status,omitempty"`
	LastError    string    `json:"last_error,omitempty"` // model.Source.PublicError
	ErrorCount   int       `json:"error_count"`
	LastCheck    time.Time `json:"last_check,omitzero"`
	FailingSince time.Time `json:"failing_since,omitzero"` // when the current run of failures began
	LastSuccess  time.Time `json:"last_success,omitzero"`
	NextCheck    time.Time `json:"next_check,omitzero"` // absent once gone
	MovedTo      string    `json:"moved_to,omitempty"`
	Fix          string    `json:"fix,omitempty"` // the feeds.yaml change to make, for moved and gone sources
	Entries      int       `json:"entries"`
}

// sourcesReport is the body of /sources.json.
type sourcesReport struct {
	States  map[string]int `json:"states"`
	Sources []sourceHealth `json:"sources"`
}

func (d *Daemon) serveSources(w http.ResponseWriter, r *http.Request) {
	rep, err := d.sourcesReport(r.Context())
	w.Header().Set("Cache-Control", "no-store")
	if err != nil {
		d.log.Error("sources.json", "error", err)
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		d.log.Debug("write sources.json", "error", err)
	}
}

func (d *Daemon) sourcesReport(ctx context.Context) (sourcesReport, error) {
	st := d.planet.Store()
	srcs, err := st.Sources(ctx)
	if err != nil {
		return sourcesReport{}, err
	}
	counts, err := st.EntriesBySource(ctx)
	if err != nil {
		return sourcesReport{}, err
	}
	rep := sourcesReport{States: stateCounts(srcs), Sources: make([]sourceHealth, 0, len(srcs))}
	rd := d.planet.Redactor()
	for _, s := range srcs {
		s.URL, s.MovedTo = rd.URL(s.URL), rd.URL(s.MovedTo)
		h := newSourceHealth(s)
		h.Entries = counts[s.ID]
		rep.Sources = append(rep.Sources, h)
	}
	return rep, nil
}

func newSourceHealth(s model.Source) sourceHealth {
	h := sourceHealth{
		ID: s.ID, Name: publish.SourceName(s), URL: s.URL, State: s.State(),
		LastStatus: s.LastStatus, LastError: s.PublicError(), ErrorCount: s.ErrorCount,
		LastCheck: s.LastCheck, FailingSince: s.FailingSince, LastSuccess: s.LastSuccess, NextCheck: s.NextCheck,
		MovedTo: s.MovedTo,
	}
	switch {
	case s.Gone:
		h.NextCheck = time.Time{}
		h.Fix = refresh.GoneFix(s.URL)
	case s.MovedTo != "":
		h.Fix = refresh.MoveFix(s.URL, s.MovedTo)
	}
	return h
}
