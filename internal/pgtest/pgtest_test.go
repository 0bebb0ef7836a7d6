package pgtest

import (
	"bufio"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	if os.Getenv("PGTEST_ABANDON") == "1" {
		abandon()
	}
	code := m.Run()
	StopShared()
	os.Exit(code)
}

// Two databases of one cluster are apart: a table made in one is not in
// the other, and the cluster answers on its socket.
func TestDatabasesAreApart(t *testing.T) {
	a, b := Database(t), Database(t)
	da, err := sql.Open("pgx", a)
	if err != nil {
		t.Fatal(err)
	}
	defer da.Close()
	db, err := sql.Open("pgx", b)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := da.Exec("CREATE TABLE only_in_a (x BIGINT)"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("SELECT * FROM only_in_a"); err == nil {
		t.Fatal("a table of one test database is seen from another")
	}
	var n int
	if err := da.QueryRow("SELECT count(*) FROM only_in_a").Scan(&n); err != nil || n != 0 {
		t.Fatalf("count = %d, %v", n, err)
	}
}

// abandon starts a cluster, says where, and exits without stopping it, as
// a test binary killed by its -timeout does.
func abandon() {
	c, err := Start()
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	fmt.Println(c.dir)
	os.Exit(0)
}

// A test process that dies without stopping its cluster leaves no
// PostgreSQL server running behind it: the watchdog stops the cluster and
// removes its folder.
func TestAbandonedClusterIsStopped(t *testing.T) {
	if _, err := findBin(); err != nil && os.Getenv("CI") != "true" {
		t.Skip(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "PGTEST_ABANDON=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	sc.Scan()
	dir := strings.TrimSpace(sc.Text())
	if !strings.HasPrefix(filepath.Base(dir), "pgt") {
		t.Fatalf("child printed %q", out)
	}
	for i := 0; i < 600; i++ {
		if _, err := os.Stat(dir); os.IsNotExist(err) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("the abandoned cluster in %s is still there after 60 s", dir)
}
