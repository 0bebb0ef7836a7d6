package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// serverProc is a countyd serve process the load test started, or one
// named by --url and --pid.
type serverProc struct {
	url string
	pid int // 0: unknown, no CPU or memory figures
	cmd *exec.Cmd
	log string
}

var listenRE = regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+)`)

// startServer runs `countyd serve` on a free loopback port, its log in dir,
// and waits until it listens. profile, when set, is where the server writes
// its CPU profile when it stops (see cpuProfileEnv).
func startServer(ctx context.Context, bin string, store []string, key, dir string, n int, profile string) (*serverProc, error) {
	logPath := filepath.Join(dir, fmt.Sprintf("countyd-%d.log", n))
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--key", key}, store...)
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.Env = os.Environ()
	if profile != "" {
		cmd.Env = append(cmd.Env, cpuProfileEnv+"="+profile)
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &serverProc{pid: cmd.Process.Pid, cmd: cmd, log: logPath}
	if p.url, err = waitListening(ctx, logPath); err != nil {
		p.stop()
		return nil, err
	}
	return p, nil
}

func waitListening(ctx context.Context, logPath string) (string, error) {
	for i := 0; i < 600 && ctx.Err() == nil; i++ {
		data, _ := os.ReadFile(logPath)
		if m := listenRE.FindSubmatch(data); m != nil {
			return string(m[1]), nil
		}
		if bytes.Contains(data, []byte("countyd serve:")) {
			return "", fmt.Errorf("countyd serve failed: %s", bytes.TrimSpace(data))
		}
		time.Sleep(50 * time.Millisecond)
	}
	return "", fmt.Errorf("countyd serve did not start within 30 s (log: %s)", logPath)
}

// stop ends a server the load test started and waits for it, so that its
// CPU profile is complete.
func (p *serverProc) stop() error {
	if p.cmd == nil {
		return nil
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	err := p.cmd.Wait()
	p.cmd = nil
	return err
}

// procUsage is what /proc says of a server process.
type procUsage struct {
	CPU   float64 `json:"cpu_s"`     // user + system seconds
	HWMKB int64   `json:"vm_hwm_kb"` // peak resident memory
	RSSKB int64   `json:"vm_rss_kb"`
}

// clockTicks is USER_HZ, 100 on every Linux the server runs on (the
// value is fixed by the kernel ABI for /proc).
const clockTicks = 100

func usageOf(pid int) (procUsage, error) {
	var u procUsage
	if pid == 0 {
		return u, nil
	}
	f, err := statFields(pid)
	if err != nil {
		return u, err
	}
	u.CPU = ticks(f[11], f[12]) // utime, stime
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return u, err
	}
	u.HWMKB, u.RSSKB = statusKB(status, "VmHWM:"), statusKB(status, "VmRSS:")
	return u, nil
}

func statusKB(status []byte, key string) int64 {
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, key); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

// usageOfAll sums the usage of several servers (peak memory is summed too:
// the machine holds both at once).
func usageOfAll(ps []*serverProc) (procUsage, error) {
	var sum procUsage
	for _, p := range ps {
		u, err := usageOf(p.pid)
		if err != nil {
			return sum, err
		}
		sum.CPU += u.CPU
		sum.HWMKB += u.HWMKB
		sum.RSSKB += u.RSSKB
	}
	return sum, nil
}

// loadAverage is the machine's 1, 5 and 15 minute load average.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// sqliteSize is the bytes of a SQLite database with its -wal and -shm.
func sqliteSize(path string) int64 {
	var n int64
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if fi, err := os.Stat(p); err == nil {
			n += fi.Size()
		}
	}
	return n
}

// postgresSize is pg_database_size of the database the URL names: its
// tables, indexes and TOAST, without the write-ahead log.
func postgresSize(ctx context.Context, url string) (int64, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var n int64
	err = db.QueryRowContext(ctx, "SELECT pg_database_size(current_database())").Scan(&n)
	return n, err
}

// treeCPU is the CPU seconds of a process and of its children, living
// and ended: the work of a PostgreSQL cluster, whose postmaster starts a
// backend process per connection.
func treeCPU(pid int) (float64, error) {
	if pid == 0 {
		return 0, nil
	}
	f, err := statFields(pid)
	if err != nil {
		return 0, err
	}
	total := ticks(f[11:15]...) // utime, stime, cutime, cstime
	procs, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, p := range procs {
		child, err := strconv.Atoi(filepath.Base(filepath.Dir(p)))
		if err != nil || child == pid {
			continue
		}
		if cf, err := statFields(child); err == nil && cf[1] == strconv.Itoa(pid) {
			total += ticks(cf[11:15]...)
		}
	}
	return total, nil
}

// statFields are the fields of /proc/PID/stat after the command name,
// which is in parentheses and may hold spaces: [0] is the state.
func statFields(pid int) ([]string, error) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil, err
	}
	f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
	if len(f) < 15 {
		return nil, fmt.Errorf("/proc/%d/stat: short", pid)
	}
	return f, nil
}

func ticks(fs ...string) float64 {
	var n int64
	for _, f := range fs {
		v, _ := strconv.ParseInt(f, 10, 64)
		n += v
	}
	return float64(n) / clockTicks
}
