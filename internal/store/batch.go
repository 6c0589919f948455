package store

import (
	"context"
	"database/sql"
	"sync"
)

// Group commit. The refreshes of a planet arrive from several workers at
// once, and each changes a few hundred pages of the indexes (keys, search
// keys, dates) that lie wherever their keys fall. Committing each refresh
// alone writes all of its pages to the WAL, and most of them again for the
// next refresh. So the refreshes that wait for the writer while another
// runs are saved after it in the same transaction and committed together:
// a page changed by several of them is written once.
//
// Each refresh stays all or nothing: SaveRefresh returns once its group
// has committed, and a refresh that fails rolls its group back; it is
// answered with its error and the others are saved again without it. Their
// order, and so every de-duplication decision, is the order they would
// have had one transaction each.
//
// A poll that found nothing new (a 304) or failed joins the groups too: it
// changes one row of sources, but alone it was a commit of its own, and a
// planet of 10,000 sources answers 9,000 304s in a warm poll.

// maxGroup bounds the refreshes committed together, and with it how long a
// refresh can wait for the others of its group to be saved.
const maxGroup = 64

// saveJob is one SaveRefresh, or another write, waiting for its group.
type saveJob struct {
	ctx context.Context
	// write makes the job's changes inside the group's transaction.
	write func(ctx context.Context, tx *sql.Tx) (Result, error)
	res   Result
	err   error
	// wake is sent to once: true when the job must lead (see committer),
	// false when it has been answered.
	wake chan bool
}

// committer queues the refreshes. There is no goroutine of its own: the
// caller that finds nobody leading saves groups until its own refresh is
// answered, then hands the lead to the first refresh still waiting.
type committer struct {
	mu      sync.Mutex
	queue   []*saveJob
	leading bool
}

// save saves r as part of the next group and returns its outcome.
func (s *Store) save(ctx context.Context, sourceID int64, r *Refresh) (Result, error) {
	return s.inGroup(ctx, func(ctx context.Context, tx *sql.Tx) (Result, error) {
		return s.saveIn(ctx, tx, sourceID, r)
	})
}

// inGroup runs write in the next group's transaction and returns its
// outcome once the group has committed. A read-only Store has no writer:
// every write is refused here, the one way in.
func (s *Store) inGroup(ctx context.Context, write func(context.Context, *sql.Tx) (Result, error)) (Result, error) {
	if s.readOnly {
		return Result{}, ErrReadOnly
	}
	j := &saveJob{ctx: ctx, write: write, wake: make(chan bool, 1)}
	c := &s.commits
	c.mu.Lock()
	c.queue = append(c.queue, j)
	waiting := len(c.queue)
	lead := !c.leading
	c.leading = true
	c.mu.Unlock()
	if s.onQueue != nil {
		s.onQueue(waiting)
	}
	if lead || <-j.wake {
		s.lead(j)
	}
	return j.res, j.err
}

// lead saves groups until own is answered, then passes the lead on.
func (s *Store) lead(own *saveJob) {
	c := &s.commits
	for answered := false; !answered; {
		c.mu.Lock()
		group := c.queue[:min(len(c.queue), maxGroup):min(len(c.queue), maxGroup)]
		c.queue = c.queue[len(group):]
		c.mu.Unlock()
		again := s.saveGroup(group)
		c.mu.Lock()
		c.queue = append(again, c.queue...)
		c.mu.Unlock()
		answered = !containsJob(again, own)
		for _, j := range group {
			if j != own && !containsJob(again, j) {
				j.wake <- false
			}
		}
		// Between groups, while the lead is held, no transaction is open.
		// A move that fails leaves the keys where lookups find them, and is
		// tried again after the next group.
		s.trouble.report("moving search keys", s.moveSearchKeys(context.Background()))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.queue) == 0 {
		c.leading = false
		return
	}
	c.queue[0].wake <- true
}

func containsJob(jobs []*saveJob, j *saveJob) bool {
	for _, k := range jobs {
		if k == j {
			return true
		}
	}
	return false
}

// saveGroup saves jobs in one transaction and sets their outcomes. When
// one fails, the transaction is rolled back, that job gets its error, and
// the others are returned, to be saved again.
func (s *Store) saveGroup(jobs []*saveJob) (again []*saveJob) {
	// Not any job's context: one refresh cancelled must not end the
	// transaction of the others (each job's statements use its own).
	tx, err := s.writer.BeginTx(context.Background(), nil)
	if err != nil {
		for _, j := range jobs {
			j.err = err
		}
		return nil
	}
	s.noticeOtherWriters(context.Background(), tx)
	for i, j := range jobs {
		if err := j.ctx.Err(); err != nil {
			j.err = err // answered without having written anything
			continue
		}
		j.res, j.err = j.write(j.ctx, tx)
		if j.err != nil {
			_ = tx.Rollback()
			j.res = Result{}
			return append(append([]*saveJob(nil), jobs[:i]...), jobs[i+1:]...)
		}
	}
	if err := tx.Commit(); err != nil {
		for _, j := range jobs {
			if j.err == nil {
				j.res, j.err = Result{}, err
			}
		}
	}
	return nil
}
