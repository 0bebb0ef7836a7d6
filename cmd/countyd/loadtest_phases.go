package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"sync"
	"time"

	"rehabdesk/store"
	"rehabdesk/sync/wire"
)

// job is one device's share of a phase; it returns the changes it moved.
type job func(ctx context.Context) (int, error)

// runPhase runs waves of jobs one after the other, each wave's jobs
// Concurrency at a time, and reports the phase's wall time, requests and
// server usage. The first failure stops the phase.
func (r *loadRun) runPhase(ctx context.Context, name string, waves ...[]job) error {
	before, err := usageOfAll(r.servers)
	if err != nil {
		return err
	}
	self, _ := usageOf(os.Getpid())
	dbCPU, err := treeCPU(r.cfg.dbPID)
	if err != nil {
		return err
	}
	start := time.Now()
	changes := 0
	for _, wave := range waves {
		n, err := r.runWave(ctx, wave)
		changes += n
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	wall := time.Since(start)
	after, err := usageOfAll(r.servers)
	if err != nil {
		return err
	}
	selfAfter, _ := usageOf(os.Getpid())
	dbAfter, err := treeCPU(r.cfg.dbPID)
	if err != nil {
		return err
	}
	r.rep.addPhase(phaseReport{Name: name, WallS: wall.Seconds(), Changes: changes, ServerCPU: after.CPU - before.CPU,
		HWMKB: after.HWMKB, ClientCPU: selfAfter.CPU - self.CPU, DBCPU: dbAfter - dbCPU}, r.lc.lat.take())
	return nil
}

func (r *loadRun) runWave(ctx context.Context, jobs []job) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan job)
	var mu sync.Mutex
	var firstErr error
	total := 0
	var wg sync.WaitGroup
	for w := 0; w < r.cfg.Concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				n, err := j(ctx)
				mu.Lock()
				total += n
				if err != nil && firstErr == nil {
					firstErr = err
					cancel()
				}
				mu.Unlock()
			}
		}()
	}
	for _, j := range jobs {
		if ctx.Err() != nil {
			break
		}
		next <- j
	}
	close(next)
	wg.Wait()
	return total, firstErr
}

func (r *loadRun) enrollAll(ctx context.Context, codes []string) error {
	jobs := make([]job, len(r.devices))
	for i, d := range r.devices {
		jobs[i] = func(ctx context.Context) (int, error) { return 0, r.lc.enroll(ctx, d, codes[i]) }
	}
	return r.runPhase(ctx, "enroll", jobs)
}

// seed has the first device of each township push the township's persons
// in full pages, as after a ledger import.
func (r *loadRun) seed(ctx context.Context) error {
	jobs := make([]job, len(r.towns))
	for i, t := range r.towns {
		n := r.cfg.Persons / len(r.towns)
		if i < r.cfg.Persons%len(r.towns) {
			n++
		}
		jobs[i] = func(ctx context.Context) (int, error) { return r.seedTownship(ctx, t, n) }
	}
	return r.runPhase(ctx, "seed", jobs)
}

func (r *loadRun) seedTownship(ctx context.Context, t *simTownship, n int) (int, error) {
	d := t.devices[0]
	stored := 0
	for _, page := range pages(d.newPersons(n), wire.MaxPushPage) {
		got, err := r.lc.push(ctx, "push-seed", d, page)
		if err != nil {
			return stored, err
		}
		stored += got
		for _, c := range page {
			t.persons = append(t.persons, simPerson{id: c.EntityID, version: c.Version().String()})
		}
	}
	r.rep.count(func(c *loadCounts) { c.Seeded += stored })
	return stored, nil
}

func pages(cs []*store.Change, size int) [][]*store.Change {
	var out [][]*store.Change
	for len(cs) > 0 {
		n := min(size, len(cs))
		out = append(out, cs[:n])
		cs = cs[n:]
	}
	return out
}

// firstSync is every device's first sync after enrolment: it receives the
// township's persons (the device that seeded them has them already).
func (r *loadRun) firstSync(ctx context.Context) error {
	jobs := make([]job, len(r.devices))
	for i, d := range r.devices {
		jobs[i] = func(ctx context.Context) (int, error) {
			got, err := r.lc.pullAll(ctx, "pull-first", d, false)
			if err == nil {
				err = r.lc.syncAudit(ctx, d)
			}
			r.rep.count(func(c *loadCounts) { c.FirstPulled += len(got) })
			return len(got), err
		}
	}
	for _, t := range r.towns {
		r.rep.count(func(c *loadCounts) { c.FirstExpected += len(t.persons) * (len(t.devices) - 1) })
	}
	return r.runPhase(ctx, "first-sync", jobs)
}

// workingDay has every device sync Syncs times, in a shuffled order, each
// sync pushing its share of the day's changes and pulling the township's;
// a last round of pulls (the next morning's sync) then delivers what was
// pushed after a device's last sync. The phase's wall time is the goal's.
func (r *loadRun) workingDay(ctx context.Context) error {
	rng := rand.New(rand.NewPCG(1, 2))
	var waves [][]job
	for s := 0; s < r.cfg.Syncs; s++ {
		n := r.cfg.Changes*(s+1)/r.cfg.Syncs - r.cfg.Changes*s/r.cfg.Syncs
		waves = append(waves, r.daySyncs(rng, n))
	}
	waves = append(waves, r.daySyncs(rng, 0))
	if err := r.runPhase(ctx, "working-day", waves...); err != nil {
		return err
	}
	r.checkDelivered()
	return nil
}

func (r *loadRun) daySyncs(rng *rand.Rand, changes int) []job {
	jobs := make([]job, 0, len(r.devices))
	for _, i := range rng.Perm(len(r.devices)) {
		d := r.devices[i]
		jobs = append(jobs, func(ctx context.Context) (int, error) { return r.daySync(ctx, d, changes) })
	}
	return jobs
}

// daySync is one sync of the working day: push, pull, audit log.
func (r *loadRun) daySync(ctx context.Context, d *simDevice, changes int) (int, error) {
	moved := 0
	for _, page := range pages(d.dayChanges(changes), wire.MaxPushPage) {
		stored, err := r.lc.push(ctx, "push", d, page)
		if err != nil {
			return moved, err
		}
		moved += stored
		for _, c := range page {
			d.sent = append(d.sent, c.Version().String())
		}
		r.rep.count(func(c *loadCounts) { c.DayPushed += len(page); c.DayStored += stored })
	}
	got, err := r.lc.pullAll(ctx, "pull", d, true)
	if err != nil {
		return moved, err
	}
	return moved + len(got), r.lc.syncAudit(ctx, d)
}

// checkDelivered counts, for every device, the changes the other devices
// of its township pushed in the day and which of them it received; a
// change received from outside its township would count as unexpected.
func (r *loadRun) checkDelivered() {
	r.rep.count(func(c *loadCounts) {
		for _, t := range r.towns {
			for _, d := range t.devices {
				got := 0
				for _, o := range t.devices {
					if o == d {
						continue
					}
					c.DayExpected += len(o.sent)
					for _, k := range o.sent {
						if d.got[k] {
							got++
						}
					}
				}
				c.DayDelivered += got
				c.DayUnexpected += len(d.got) - got
			}
		}
		c.DayMissing = c.DayExpected - c.DayDelivered
	})
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
