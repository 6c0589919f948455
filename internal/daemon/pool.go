package daemon

import (
	"container/list"
	"context"
	"net/url"
	"strings"
	"sync"

	"github.com/villagefeeds/village/internal/model"
)

// pollPool runs polls with a few goroutines, however many sources are due:
// at most perHost at once for one host and at most limit in all. The
// fetch client keeps its own limits; the pool keeps ten thousand queued
// polls from each holding a goroutine, its stack and a request while they
// wait (about 10 KB each), and a slow host from holding more than its own
// perHost slots.
type pollPool struct {
	ctx            context.Context
	limit, perHost int
	run            func(context.Context, model.Source)
	// idle, when set, is called (with mu held: it must not block) each
	// time the last poll running ends with none waiting.
	idle func()

	mu      sync.Mutex
	hosts   *list.List               // of *hostQueue with polls waiting, in turn
	byHost  map[string]*list.Element // the elements of hosts
	busy    map[string]int           // polls running, by host
	running int
	wg      sync.WaitGroup
}

// hostQueue is the polls of one host waiting for a slot.
type hostQueue struct {
	host string
	srcs []model.Source
}

// newPollPool returns a pool running run; once ctx is done it starts
// nothing more.
func newPollPool(ctx context.Context, limit, perHost int, run func(context.Context, model.Source)) *pollPool {
	return &pollPool{ctx: ctx, limit: max(1, limit), perHost: max(1, perHost), run: run,
		hosts: list.New(), byHost: map[string]*list.Element{}, busy: map[string]int{}}
}

// add queues polls of srcs and starts those that have a slot.
func (p *pollPool) add(srcs ...model.Source) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, s := range srcs {
		h := hostOf(s.URL)
		e, ok := p.byHost[h]
		if !ok {
			e = p.hosts.PushBack(&hostQueue{host: h})
			p.byHost[h] = e
		}
		q := e.Value.(*hostQueue)
		q.srcs = append(q.srcs, s)
	}
	p.dispatch()
}

// wait returns once every poll added has run, or was dropped after ctx
// ended.
func (p *pollPool) wait() { p.wg.Wait() }

// dispatch starts polls while there are slots, each from the first host
// in turn that has a slot of its own; that host then goes to the back of
// the line. Call it with mu held.
func (p *pollPool) dispatch() {
	if p.ctx.Err() != nil {
		p.hosts.Init()
		clear(p.byHost)
		return
	}
	for p.running < p.limit {
		e := p.pick()
		if e == nil {
			return
		}
		q := e.Value.(*hostQueue)
		src := q.srcs[0]
		q.srcs = q.srcs[1:]
		if len(q.srcs) == 0 {
			p.hosts.Remove(e)
			delete(p.byHost, q.host)
		} else {
			p.hosts.MoveToBack(e)
		}
		p.busy[q.host]++
		p.running++
		p.wg.Go(func() {
			p.run(p.ctx, src)
			p.mu.Lock()
			defer p.mu.Unlock()
			if p.busy[q.host]--; p.busy[q.host] == 0 {
				delete(p.busy, q.host)
			}
			p.running--
			p.dispatch()
			if p.running == 0 && p.idle != nil {
				p.idle()
			}
		})
	}
}

// pick returns the first host in turn with polls waiting and a slot free,
// or nil. The hosts it skips are busy, so it looks at most at limit of them.
func (p *pollPool) pick() *list.Element {
	for e := p.hosts.Front(); e != nil; e = e.Next() {
		if p.busy[e.Value.(*hostQueue).host] < p.perHost {
			return e
		}
	}
	return nil
}

// hostOf is the host a feed URL is fetched from, as the fetch client's
// per-host limit counts it (redirects aside).
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return strings.ToLower(u.Host)
}
