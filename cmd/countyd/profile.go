package main

import (
	"os"
	"runtime/pprof"
)

// cpuProfileEnv names a file where a countyd command writes its CPU
// profile when it ends. The load test sets it on the servers it starts, to
// find where they spend their time; nothing is served over the network, so
// a production server exposes no profiling endpoint.
const cpuProfileEnv = "COUNTYD_CPUPROFILE"

// startCPUProfile starts profiling when cpuProfileEnv is set and returns
// the function that writes the profile out.
func startCPUProfile(e *env) func() {
	path := os.Getenv(cpuProfileEnv)
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		e.log.Warn("no CPU profile", "file", path, "err", err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
