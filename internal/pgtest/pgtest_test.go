package pgtest

import (
	"database/sql"
	"os"
	"testing"
)

func TestMain(m *testing.M) {
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
