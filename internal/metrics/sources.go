package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// scrapeTimeout bounds the database query behind a scrape.
const scrapeTimeout = 5 * time.Second

// states are the source states always exported, zero or not, so that an
// alert on village_sources{state="gone"} > 0 has a series to look at.
var states = []string{"new", "ok", "failing", "moved", "gone"}

// sourcesCollector asks the store at scrape time how many sources are in
// each state, instead of keeping counts that a reload or restart would skew.
type sourcesCollector struct {
	count   SourceStates
	byState *prometheus.Desc
	failing *prometheus.Desc
}

func newSourcesCollector(count SourceStates) *sourcesCollector {
	return &sourcesCollector{
		count: count,
		byState: prometheus.NewDesc(prometheus.BuildFQName(namespace, "", "sources"),
			"Active sources by state: new (never polled), ok, failing, moved or gone.", []string{"state"}, nil),
		failing: prometheus.NewDesc(prometheus.BuildFQName(namespace, "", "sources_failing"),
			"Active sources in the failing state (the last poll failed; moved and gone ones are counted as such).", nil, nil),
	}
}

func (c *sourcesCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.byState
	ch <- c.failing
}

func (c *sourcesCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	n, err := c.count(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.byState, err)
		return
	}
	for _, s := range states {
		ch <- prometheus.MustNewConstMetric(c.byState, prometheus.GaugeValue, float64(n[s]), s)
	}
	ch <- prometheus.MustNewConstMetric(c.failing, prometheus.GaugeValue, float64(n["failing"]))
}
