package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"rehabdesk/assets"
	"rehabdesk/internal/cmdline"
)

// loadConfig is the province a load test simulates and how it reaches
// the server.
type loadConfig struct {
	Townships   int `json:"townships"`
	Devices     int `json:"devices"`
	Persons     int `json:"persons"`
	Changes     int `json:"changes_per_device"`
	Syncs       int `json:"syncs_per_device"`
	Concurrency int `json:"concurrency"`
	Servers     int `json:"servers"`
	dir         string
	urls        []string
	pids        []int
	dbPID       int
	bin         string
	profile     bool
	json        bool
}

// runLoadtest simulates a province's devices against countyd on loopback:
// it enrolls every device, seeds the persons through pushes, lets every
// device take its first sync, then plays a working day (each device pushes
// its changes over a few syncs and pulls its township's) and checks that
// every change reached every other device of its township. See
// BENCHMARKS.md for the figures and how to read them.
func init() {
	program.Register(command{Name: "loadtest", Summary: "measure servers under a simulated province of devices",
		Usage: "[--townships N --devices N --persons N --changes N --syncs N --concurrency N] [--pg URL [--servers N] [--pg-pid PID]] [--dir DIR | --url URL[,URL] (--db PATH | --pg URL) [--pid PID[,PID]]] [--cpuprofile] [--json]",
		Run:   runLoadtest})
}

func runLoadtest(ctx context.Context, e *env, args []string) error {
	fs, db := newFlags(e, "loadtest")
	cfg := loadConfig{}
	fs.IntVar(&cfg.Townships, "townships", 1500, "townships of the province (real Guizhou codes, at most 1510)")
	fs.IntVar(&cfg.Devices, "devices", 5000, "enrolled township devices, spread evenly over the townships")
	fs.IntVar(&cfg.Persons, "persons", 150000, "persons enrolled, spread evenly over the townships")
	fs.IntVar(&cfg.Changes, "changes", 20, "changes each device makes in the working day")
	fs.IntVar(&cfg.Syncs, "syncs", 2, "syncs each device makes in the working day (its changes split between them)")
	fs.IntVar(&cfg.Concurrency, "concurrency", 32, "devices syncing at the same moment")
	fs.IntVar(&cfg.Servers, "servers", 1, "countyd serve processes to start on one database (more than 1 needs a database they can share)")
	fs.StringVar(&cfg.dir, "dir", "", "work folder for the database, key, server logs and profiles (default: a new temporary folder)")
	urls := fs.String("url", "", "comma-separated URLs of running servers (default: start them); codes are issued through --db")
	pids := fs.String("pid", "", "comma-separated process ids of the --url servers, for their CPU and memory")
	fs.IntVar(&cfg.dbPID, "pg-pid", 0, "process id of the PostgreSQL postmaster (first line of its postmaster.pid), for the CPU of the database's processes")
	fs.StringVar(&cfg.bin, "countyd", "", "countyd binary the servers run (default: this one)")
	fs.BoolVar(&cfg.profile, "cpuprofile", false, "have each started server write a CPU profile to the work folder")
	fs.BoolVar(&cfg.json, "json", false, "print the report as JSON")
	if _, err := cmdline.Parse(fs, args); err != nil {
		return err
	}
	if err := cfg.check(*urls, *pids, db); err != nil {
		return err
	}
	rep, err := newLoadRun(e, cfg, db).run(ctx)
	if rep != nil {
		rep.print(e.stdout, cfg.json)
	}
	return err
}

func (cfg *loadConfig) check(urls, pids string, db *dbFlags) error {
	switch {
	case cfg.Townships < 1 || cfg.Townships > len(provinceTownships(0)):
		return cmdline.Usagef("--townships must be 1 to %d", len(provinceTownships(0)))
	case cfg.Devices < cfg.Townships:
		return cmdline.Usagef("--devices must be at least --townships: every township has a device")
	case cfg.Persons < cfg.Townships:
		return cmdline.Usagef("--persons must be at least --townships")
	case cfg.Changes < 0 || cfg.Syncs < 1 || cfg.Concurrency < 1 || cfg.Servers < 1:
		return cmdline.Usagef("--changes, --syncs, --concurrency and --servers must be positive")
	case urls != "" && db.path == "" && db.pg == "":
		return cmdline.Usagef("--url needs --db or --pg: the enrolment codes are issued in the servers' database")
	case cfg.Servers > 1 && db.pg == "":
		return cmdline.Usagef("--servers above 1 needs --pg: several servers share a PostgreSQL database, not a SQLite file")
	}
	if urls != "" {
		cfg.urls = strings.Split(urls, ",")
	}
	for _, p := range strings.Split(pids, ",") {
		if n, err := strconv.Atoi(p); err == nil {
			cfg.pids = append(cfg.pids, n)
		} else if p != "" {
			return cmdline.Usagef("--pid: %v", err)
		}
	}
	return nil
}

// provinceTownships lists the first n township codes of Guizhou, county by
// county (n == 0: all of them).
func provinceTownships(n int) []string {
	var out []string
	for _, c := range assets.Counties() {
		for _, t := range assets.Townships(c.Code) {
			if n > 0 && len(out) == n {
				return out
			}
			out = append(out, t.Code)
		}
	}
	return out
}

// loadRun is one load test under way.
type loadRun struct {
	e       *env
	cfg     loadConfig
	db      *dbFlags
	lc      *loadClient
	towns   []*simTownship
	devices []*simDevice
	servers []*serverProc
	rep     *loadReport
}

func newLoadRun(e *env, cfg loadConfig, db *dbFlags) *loadRun {
	r := &loadRun{e: e, cfg: cfg, db: db, lc: newLoadClient(cfg.Concurrency)}
	r.rep = &loadReport{Config: cfg, LoadBefore: loadAverage(), Store: "sqlite"}
	if db.pg != "" {
		r.rep.Store = "postgresql"
	}
	codes := provinceTownships(cfg.Townships)
	for _, code := range codes {
		r.towns = append(r.towns, &simTownship{code: code})
	}
	for i := 0; i < cfg.Devices; i++ {
		t := r.towns[i%len(r.towns)]
		d := newSimDevice(len(t.devices), t, uint64(i))
		t.devices = append(t.devices, d)
		r.devices = append(r.devices, d)
	}
	return r
}

// run plays every phase; the report holds what was measured even when a
// phase fails.
func (r *loadRun) run(ctx context.Context) (*loadReport, error) {
	if err := r.prepareDir(); err != nil {
		return nil, err
	}
	start := time.Now()
	codes, err := r.issueCodes(ctx)
	if err != nil {
		return nil, err
	}
	r.rep.SetupS = time.Since(start).Seconds()
	if err := r.startServers(ctx); err != nil {
		return nil, err
	}
	defer r.stopServers()
	for _, p := range []func(context.Context) error{
		func(ctx context.Context) error { return r.enrollAll(ctx, codes) },
		r.seed, r.firstSync, r.workingDay,
	} {
		if err := p(ctx); err != nil {
			return r.rep, err
		}
	}
	r.rep.LoadAfter = loadAverage()
	if r.rep.DBBytes, err = r.dbSize(ctx); err != nil {
		return r.rep, err
	}
	return r.rep, r.stopServers()
}

// prepareDir makes the work folder, with the database and the key in two
// folders of their own as countyd insists.
func (r *loadRun) prepareDir() error {
	if r.cfg.dir == "" {
		dir, err := os.MkdirTemp("", "countyd-loadtest-")
		if err != nil {
			return err
		}
		r.cfg.dir = dir
	}
	for _, sub := range []string{"data", "key"} {
		if err := os.MkdirAll(filepath.Join(r.cfg.dir, sub), 0o700); err != nil {
			return err
		}
	}
	if r.db.path == "" && r.db.pg == "" {
		r.db.path = filepath.Join(r.cfg.dir, "data", "county.db")
	}
	if r.db.key == "" {
		r.db.key = filepath.Join(r.cfg.dir, "key", "county.key")
	}
	r.rep.Dir = r.cfg.dir
	return nil
}

// issueCodes registers the townships and issues one enrolment code per
// device, directly in the database as `countyd township add` and
// `countyd enroll-code` do.
func (r *loadRun) issueCodes(ctx context.Context) ([]string, error) {
	srv, err := open(ctx, r.quiet(), r.db)
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	for _, t := range r.towns {
		if err := srv.AddTownship(ctx, t.code); err != nil {
			return nil, err
		}
	}
	codes := make([]string, len(r.devices))
	for i, d := range r.devices {
		if codes[i], err = srv.NewEnrollCode(ctx, d.town.code, false, 24*time.Hour); err != nil {
			return nil, err
		}
	}
	return codes, nil
}

// quiet is the command's environment without the info log of each
// township added.
func (r *loadRun) quiet() *env {
	e := *r.e
	e.log = discardLogger()
	return &e
}

func (r *loadRun) startServers(ctx context.Context) error {
	if len(r.cfg.urls) > 0 {
		for i, u := range r.cfg.urls {
			p := &serverProc{url: strings.TrimRight(u, "/")}
			if i < len(r.cfg.pids) {
				p.pid = r.cfg.pids[i]
			}
			r.servers = append(r.servers, p)
		}
	} else if err := r.spawnServers(ctx); err != nil {
		return err
	}
	for i, d := range r.devices {
		d.url = r.servers[i%len(r.servers)].url
	}
	return nil
}

func (r *loadRun) spawnServers(ctx context.Context) error {
	bin := r.cfg.bin
	if bin == "" {
		var err error
		if bin, err = os.Executable(); err != nil {
			return err
		}
	}
	for n := 0; n < r.cfg.Servers; n++ {
		profile := ""
		if r.cfg.profile {
			profile = filepath.Join(r.cfg.dir, fmt.Sprintf("countyd-%d.cpu.pprof", n))
			r.rep.Profiles = append(r.rep.Profiles, profile)
		}
		store := []string{"--db", r.db.path}
		if r.db.pg != "" {
			store = []string{"--pg", r.db.pg}
		}
		p, err := startServer(ctx, bin, store, r.db.key, r.cfg.dir, n, profile)
		if err != nil {
			return err
		}
		r.servers = append(r.servers, p)
	}
	return nil
}

func (r *loadRun) stopServers() error {
	var first error
	for _, p := range r.servers {
		if err := p.stop(); err != nil && first == nil {
			first = fmt.Errorf("countyd serve did not stop cleanly: %w", err)
		}
	}
	return first
}

func (r *loadRun) dbSize(ctx context.Context) (int64, error) {
	if r.db.pg == "" {
		return sqliteSize(r.db.path), nil
	}
	return postgresSize(ctx, r.db.pg)
}
