// Package pgtest starts a throwaway PostgreSQL cluster for tests: initdb
// into a temporary folder, the server listening on a unix socket in that
// folder only (no TCP port), fsync off, stopped and removed at the end. Each
// test gets a schema of its own in it. There is no mock: the county
// server's tests run against the real thing.
//
// initdb refuses to run as root; under root (CI containers) the cluster is
// made and run as the "postgres" user the Debian package creates, or
// "nobody".
//
// Where PostgreSQL is not installed, tests skip with a message — except
// under CI (CI=true), where .ci/run installs it and its absence fails.
package pgtest

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the driver the county server uses
)

// Cluster is a running throwaway PostgreSQL server.
type Cluster struct {
	dir   string // data folder and socket folder's parent
	bin   string
	cred  *syscall.Credential // nil when not root
	admin *sql.DB
	n     atomic.Int64
}

const superuser = "rehabtest"

// ErrMissing says PostgreSQL's server programs are not installed.
var ErrMissing = errors.New("PostgreSQL server programs (initdb, pg_ctl) not found on PATH or under /usr/lib/postgresql/*/bin; install the postgresql package")

// findBin returns the folder holding initdb and pg_ctl.
func findBin() (string, error) {
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		if _, err := os.Stat(filepath.Join(filepath.Dir(p), "initdb")); err == nil {
			return filepath.Dir(p), nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Sort(sort.Reverse(sort.StringSlice(dirs))) // the newest major version first (15 before 14)
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "pg_ctl")); err == nil {
			return d, nil
		}
	}
	return "", ErrMissing
}

// Start makes and starts a cluster; Stop removes it.
func Start() (*Cluster, error) {
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	// A short path: unix socket paths are limited to about 100 bytes.
	dir, err := os.MkdirTemp("", "pgt")
	if err != nil {
		return nil, err
	}
	c := &Cluster{dir: dir, bin: bin}
	if err := c.start(); err != nil {
		c.Stop()
		return nil, err
	}
	return c, nil
}

func (c *Cluster) start() error {
	if os.Geteuid() == 0 {
		cred, err := unprivileged()
		if err != nil {
			return err
		}
		c.cred = cred
		if err := os.Chown(c.dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return err
		}
	}
	data := filepath.Join(c.dir, "data")
	if err := c.run("initdb", "-D", data, "-U", superuser, "-A", "trust", "-E", "UTF8", "--no-sync", "--locale=C"); err != nil {
		return err
	}
	opts := "-c listen_addresses='' -c unix_socket_directories=" + c.dir +
		" -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
	if err := c.run("pg_ctl", "start", "-w", "-t", "120", "-D", data, "-l", filepath.Join(c.dir, "log"), "-o", opts); err != nil {
		log, _ := os.ReadFile(filepath.Join(c.dir, "log"))
		return fmt.Errorf("%w\n%s", err, log)
	}
	if err := c.watch(data); err != nil {
		return err
	}
	admin, err := sql.Open("pgx", c.url("postgres", ""))
	if err != nil {
		return err
	}
	c.admin = admin
	return admin.Ping()
}

// watch starts a watchdog that stops the cluster and removes its folder
// once this test process is gone: a test binary killed by its -timeout,
// or by hand, never reaches Stop, and pg_ctl's server outlives it.
func (c *Cluster) watch(data string) error {
	script := fmt.Sprintf(`while [ -d /proc/%d ]; do sleep 1; done; %q stop -m immediate -D %q >/dev/null 2>&1; rm -rf %q`,
		os.Getpid(), filepath.Join(c.bin, "pg_ctl"), data, c.dir)
	cmd := exec.Command("/bin/sh", "-c", script)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: c.cred}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start the cluster's watchdog: %w", err)
	}
	return cmd.Process.Release()
}

// unprivileged picks the user a root test runs PostgreSQL as.
func unprivileged() (*syscall.Credential, error) {
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
	}
	return nil, errors.New("running as root, and neither a postgres nor a nobody user to run PostgreSQL as")
}

func (c *Cluster) run(prog string, args ...string) error {
	cmd := exec.Command(filepath.Join(c.bin, prog), args...)
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	if c.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w\n%s", prog, err, out)
	}
	return nil
}

func (c *Cluster) url(database, schema string) string {
	u := fmt.Sprintf("host=%s user=%s dbname=%s sslmode=disable", c.dir, superuser, database)
	if schema != "" {
		u += " search_path=" + schema
	}
	return u
}

// NewDatabase makes an empty schema and returns a connection string whose
// tables all land in it: as good as a database of its own, and made in
// milliseconds where CREATE DATABASE copies a template.
func (c *Cluster) NewDatabase() (string, error) {
	schema := fmt.Sprintf("t%d", c.n.Add(1))
	if _, err := c.admin.Exec("CREATE SCHEMA " + schema); err != nil {
		return "", err
	}
	return c.url("postgres", schema), nil
}

// Stop stops the server and removes its files.
func (c *Cluster) Stop() {
	if c.admin != nil {
		c.admin.Close()
	}
	if _, err := os.Stat(filepath.Join(c.dir, "data", "postmaster.pid")); err == nil {
		c.run("pg_ctl", "stop", "-m", "immediate", "-w", "-D", filepath.Join(c.dir, "data"))
	}
	os.RemoveAll(c.dir)
}

var (
	shared    *Cluster
	sharedErr error
	once      sync.Once
	used      atomic.Bool
)

// Database returns a fresh, empty PostgreSQL database (a schema of the
// package's shared cluster, started on first use). Without PostgreSQL the
// test skips, or fails under CI. Call StopShared from TestMain.
func Database(t testing.TB) string {
	t.Helper()
	once.Do(func() {
		used.Store(true)
		shared, sharedErr = Start()
	})
	if sharedErr != nil {
		if errors.Is(sharedErr, ErrMissing) && os.Getenv("CI") != "true" {
			t.Skipf("PostgreSQL tests skipped: %v", sharedErr)
		}
		t.Fatalf("PostgreSQL test cluster: %v", sharedErr)
	}
	url, err := shared.NewDatabase()
	if err != nil {
		t.Fatal(err)
	}
	return url
}

// StopShared stops the shared cluster if a test started it.
func StopShared() {
	if used.Load() && shared != nil {
		shared.Stop()
	}
}
