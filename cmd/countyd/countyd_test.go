package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"rehabdesk/internal/pgtest"
	"rehabdesk/internal/storetest"
	"rehabdesk/store"
	"rehabdesk/sync/client"
	"rehabdesk/sync/server"
)

const township = "520102016"

// TestMain lets this test binary play a device in a child process, so that
// the device can be killed with SIGKILL in the middle of a sync.
func TestMain(m *testing.M) {
	if db := os.Getenv("REHABDESK_TEST_DEVICE"); db != "" {
		os.Exit(deviceMain(db))
	}
	code := m.Run()
	pgtest.StopShared()
	os.Exit(code)
}

// deviceMain syncs one database and prints each progress step.
func deviceMain(db string) int {
	ctx := context.Background()
	st, err := store.Open(ctx, db, store.Options{})
	if err == nil {
		err = st.Unlock(ctx, "officer", "secret-pass")
	}
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	opt := client.Options{PushPage: 10, PullPage: 20, Retries: 1, Backoff: 10 * time.Millisecond}
	_, err = client.Sync(ctx, st, func(p client.Progress) { fmt.Printf("%s %d\n", p.Phase, p.Done) }, opt)
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	fmt.Println("done")
	return 0
}

// countyd runs the real binary, built without cgo.
type countyd struct {
	t    *testing.T
	bin  string
	db   string
	pg   string // PostgreSQL connection string in place of db when set
	key  string // outside the database's folder, as countyd insists
	addr string
	proc *exec.Cmd
	log  bytes.Buffer // what serve logged, over all its runs
}

func buildCountyd(t *testing.T) *countyd {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "countyd")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build countyd: %v\n%s", err, out)
	}
	return &countyd{t: t, bin: bin, db: filepath.Join(dir, "county.db"), key: filepath.Join(t.TempDir(), "county.key"), addr: freeAddr(t)}
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func (c *countyd) run(args ...string) string {
	c.t.Helper()
	out, err := exec.Command(c.bin, append(args, c.dbArgs()...)...).CombinedOutput()
	if err != nil {
		c.t.Fatalf("countyd %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (c *countyd) start() {
	c.t.Helper()
	c.proc = exec.Command(c.bin, append([]string{"serve", "--addr", c.addr}, c.dbArgs()...)...)
	c.proc.Stderr = &c.log
	if testing.Verbose() {
		c.proc.Stderr = io.MultiWriter(&c.log, os.Stderr)
	}
	if err := c.proc.Start(); err != nil {
		c.t.Fatal(err)
	}
	for i := 0; i < 200; i++ {
		if conn, err := net.Dial("tcp", c.addr); err == nil {
			conn.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	c.t.Fatal("countyd did not start")
}

// dbArgs name the server's database and key file on a command line.
func (c *countyd) dbArgs() []string {
	if c.pg != "" {
		return []string{"--pg", c.pg, "--key", c.key}
	}
	return []string{"--db", c.db, "--key", c.key}
}

// openServer opens the server's database in the test, as countyd does.
func (c *countyd) openServer(ctx context.Context) (*server.Server, error) {
	opt := server.Options{KeyFile: c.key, MarkerFile: filepath.Join(c.t.TempDir(), "test.generation")}
	if c.pg != "" {
		return server.OpenPostgres(ctx, c.pg, opt)
	}
	return server.Open(ctx, c.db, server.Options{KeyFile: c.key})
}

func (c *countyd) kill() {
	c.proc.Process.Signal(syscall.SIGKILL)
	c.proc.Wait()
}

func (c *countyd) stop() {
	c.proc.Process.Signal(syscall.SIGTERM)
	if err := c.proc.Wait(); err != nil {
		c.t.Errorf("countyd did not stop cleanly: %v", err)
	}
}

var codeRE = regexp.MustCompile(`enrollment code: (\S+)`)

func (c *countyd) enroll(st *store.Store) {
	c.t.Helper()
	m := codeRE.FindStringSubmatch(c.run("enroll-code", "--township", township))
	if m == nil {
		c.t.Fatal("no enrollment code printed")
	}
	if _, err := client.Enroll(context.Background(), st, "http://"+c.addr, m[1], "", client.Options{}); err != nil {
		c.t.Fatal(err)
	}
}

func newStore(t *testing.T, path string) *store.Store {
	t.Helper()
	st, err := store.Create(context.Background(), path, township, "officer", "secret-pass", store.Options{KDF: storetest.FastKDF})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func addPersons(t *testing.T, st *store.Store, n, from int) {
	t.Helper()
	for i := from; i < from+n; i++ {
		birth := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i/400)
		if _, err := st.Put(context.Background(), store.KindPerson, "", map[string]string{"name": "张三",
			"id_number": withCheck(fmt.Sprintf("520102%s%03d", birth.Format("20060102"), i%400*2))}); err != nil {
			t.Fatal(err)
		}
	}
}

func withCheck(body string) string {
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, c := range body {
		sum += int(c-'0') * w[i]
	}
	return body + string("10X98765432"[sum%11])
}

// deviceUntil runs a device sync in a child process and kills it with
// SIGKILL once it reports phase at or past n (n < 0: let it finish).
func deviceUntil(t *testing.T, db, phase string, n int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "REHABDESK_TEST_DEVICE="+db)
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	var log bytes.Buffer
	for sc.Scan() {
		log.WriteString(sc.Text() + "\n")
		f := strings.Fields(sc.Text())
		if len(f) == 2 && f[0] == phase && n >= 0 {
			if done, _ := strconv.Atoi(f[1]); done >= n {
				cmd.Process.Signal(syscall.SIGKILL)
				cmd.Wait()
				return
			}
		}
	}
	if err := cmd.Wait(); err != nil || n >= 0 {
		t.Fatalf("device sync: %v (wanted a kill at %s %d)\n%s", err, phase, n, log.String())
	}
}

func snapshot(t *testing.T, st *store.Store) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	for _, k := range store.Kinds() {
		rs, err := st.List(context.Background(), k, store.ListFilter{IncludeArchived: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			out[r.ID] = r.Fields
		}
	}
	return out
}

func TestKillDeviceAndServerMidSync(t *testing.T) {
	if testing.Short() {
		t.Skip("builds countyd and kills processes")
	}
	ctx := context.Background()
	c := buildCountyd(t)
	c.run("township", "add", "--code", township)
	c.start()
	defer func() { c.proc.Process.Kill(); c.proc.Wait() }()

	dir := t.TempDir()
	a := newStore(t, filepath.Join(dir, "a.db"))
	defer a.Close()
	c.enroll(a)
	addPersons(t, a, 150, 0)
	bPath := filepath.Join(dir, "b.db")
	b := newStore(t, bPath)
	c.enroll(b)
	addPersons(t, b, 60, 1000)
	b.Close()

	// Device A pushes; the server is killed while it does, then comes back.
	done := make(chan error, 1)
	opt := client.Options{PushPage: 10, Retries: 1, Backoff: 10 * time.Millisecond}
	go func() {
		_, err := client.Sync(ctx, a, func(p client.Progress) {
			if p.Phase == client.PhasePush && p.Done == 60 {
				c.kill()
			}
		}, opt)
		done <- err
	}()
	if err := <-done; err == nil {
		t.Fatal("sync survived a killed server")
	}
	c.start()
	// Device B is killed while pushing, then while pulling, then finishes.
	deviceUntil(t, bPath, "push", 30)
	deviceUntil(t, bPath, "pull", 40)
	for _, step := range []func(){
		func() { mustSync(t, a) }, func() { deviceUntil(t, bPath, "", -1) }, func() { mustSync(t, a) },
	} {
		step()
	}
	c.stop()
	checkConverged(t, c, a, bPath, 150+60)
}

func mustSync(t *testing.T, st *store.Store) {
	t.Helper()
	if _, err := client.Sync(context.Background(), st, nil, client.Options{}); err != nil {
		t.Fatal(err)
	}
}

// checkConverged compares both devices with the server's merged state and
// checks that nothing was stored twice.
func checkConverged(t *testing.T, c *countyd, a *store.Store, bPath string, wantPersons int) {
	t.Helper()
	ctx := context.Background()
	b, err := store.Open(ctx, bPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Unlock(ctx, "officer", "secret-pass"); err != nil {
		t.Fatal(err)
	}
	srv, err := c.openServer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	recs, err := srv.Records(ctx, township)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]string{}
	for id, r := range recs {
		want[id] = r.Fields
	}
	sa, sb := snapshot(t, a), snapshot(t, b)
	if !reflect.DeepEqual(sa, want) || !reflect.DeepEqual(sb, want) {
		t.Fatalf("not converged: a %d, b %d, server %d records", len(sa), len(sb), len(want))
	}
	persons, err := a.List(ctx, store.KindPerson, store.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(persons) != wantPersons {
		t.Fatalf("%d persons, want %d", len(persons), wantPersons)
	}
	stats, err := srv.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Changes != stats.Feed {
		t.Fatalf("feed %d entries for %d changes: something is doubled", stats.Feed, stats.Changes)
	}
}
