package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"text/tabwriter"
)

// loadReport is what a load test measured.
type loadReport struct {
	Config     loadConfig    `json:"config"`
	Store      string        `json:"store"`
	Dir        string        `json:"dir"`
	LoadBefore string        `json:"load_before"`
	LoadAfter  string        `json:"load_after"`
	SetupS     float64       `json:"setup_s"` // townships and codes, written directly
	Phases     []phaseReport `json:"phases"`
	Counts     loadCounts    `json:"counts"`
	DBBytes    int64         `json:"db_bytes"`
	Profiles   []string      `json:"profiles,omitempty"`
	mu         sync.Mutex
}

// loadCounts are the changes moved, and the check that the working day's
// changes all reached the township's other devices.
type loadCounts struct {
	Seeded        int `json:"seeded"`
	FirstExpected int `json:"first_expected"` // persons × the township's other devices
	FirstPulled   int `json:"first_pulled"`
	DayPushed     int `json:"day_pushed"`
	DayStored     int `json:"day_stored"`
	DayExpected   int `json:"day_expected"` // pushed changes × the township's other devices
	DayDelivered  int `json:"day_delivered"`
	DayMissing    int `json:"day_missing"`
	DayUnexpected int `json:"day_unexpected"` // received but not of the township's devices
}

// phaseReport is one phase: its wall time, requests and the servers'
// CPU over it (and the load generator's, which shares the machine); peak memory is the servers' VmHWM at its end.
type phaseReport struct {
	Name      string      `json:"name"`
	WallS     float64     `json:"wall_s"`
	Requests  int         `json:"requests"`
	Changes   int         `json:"changes"`
	ServerCPU float64     `json:"server_cpu_s"`
	HWMKB     int64       `json:"server_vm_hwm_kb"`
	ClientCPU float64     `json:"loadtest_cpu_s"` // the load generator's own, on the same cores
	DBCPU     float64     `json:"database_cpu_s"` // PostgreSQL's processes (--pg-pid)
	Load      string      `json:"load_after"`
	Kinds     []kindStats `json:"kinds"`
}

func (r *loadReport) count(f func(*loadCounts)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f(&r.Counts)
}

func (r *loadReport) addPhase(p phaseReport, kinds []kindStats) {
	p.Load, p.Kinds = loadAverage(), kinds
	for _, k := range kinds {
		p.Requests += k.Requests
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Phases = append(r.Phases, p)
}

func (r *loadReport) print(w io.Writer, asJSON bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.Encode(r)
		return
	}
	c := r.Config
	fmt.Fprintf(w, "province: %d townships, %d devices, %d persons; %d changes per device in %d syncs; concurrency %d; %d server(s), %s\n",
		c.Townships, c.Devices, c.Persons, c.Changes, c.Syncs, c.Concurrency, c.Servers, r.Store)
	fmt.Fprintf(w, "load average before %s, after %s; setup (townships, codes) %.1f s; work folder %s\n", r.LoadBefore, r.LoadAfter, r.SetupS, r.Dir)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "phase\twall s\trequests\treq/s\tchanges\tchanges/s\tserver cpu s\tpostgres cpu s\tloadtest cpu s\tserver VmHWM MB\tload after\t")
	for _, p := range r.Phases {
		fmt.Fprintf(tw, "%s\t%.1f\t%d\t%.0f\t%d\t%.0f\t%.1f\t%.1f\t%.1f\t%.0f\t%s\t\n", p.Name, p.WallS, p.Requests, float64(p.Requests)/p.WallS,
			p.Changes, float64(p.Changes)/p.WallS, p.ServerCPU, p.DBCPU, p.ClientCPU, float64(p.HWMKB)/1024, p.Load)
	}
	fmt.Fprintln(tw, "\nphase\tkind\trequests\tfailed\tp50 ms\tp99 ms\tmax ms\t\t\t\t\t")
	for _, p := range r.Phases {
		for _, k := range p.Kinds {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.1f\t%.1f\t%.1f\t\t\t\t\t\n", p.Name, k.Kind, k.Requests, k.Failed, k.P50, k.P99, k.Max)
		}
	}
	tw.Flush()
	n := r.Counts
	fmt.Fprintf(w, "seeded %d persons; first sync pulled %d of %d expected\n", n.Seeded, n.FirstPulled, n.FirstExpected)
	fmt.Fprintf(w, "working day: %d changes pushed, %d stored; delivered %d of %d expected (missing %d, unexpected %d)\n",
		n.DayPushed, n.DayStored, n.DayDelivered, n.DayExpected, n.DayMissing, n.DayUnexpected)
	fmt.Fprintf(w, "database size %.1f MB\n", float64(r.DBBytes)/(1<<20))
	for _, p := range r.Profiles {
		fmt.Fprintf(w, "server CPU profile: %s (go tool pprof -top countyd %s)\n", p, p)
	}
}
