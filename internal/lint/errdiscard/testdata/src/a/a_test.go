package a

import (
	"os"
	"testing"
)

func TestDiscards(t *testing.T) {
	s := &Server{}
	before, _ := s.Stats() // want `error of Stats discarded`
	var after int
	after, _ = s.Stats()                      // want `error of Stats discarded`
	if n, _ := s.Stats(); n != before+after { // want `error of Stats discarded`
		t.Fatal(n)
	}
	var slots int
	s.db.QueryRow("SELECT 1").Scan(&slots) // want `error of Scan not checked`
	s.db.Exec("DELETE FROM t")             // want `error of Exec not checked`
	rows, _ := s.db.Query("SELECT 1")      // want `error of Query discarded`
	defer rows.Close()
}

func TestKept(t *testing.T) {
	s := &Server{}
	n, err := s.Stats()
	if err != nil || n != 0 {
		t.Fatal(n, err)
	}
	s.Add("x")                  // a write's error only: not a query
	_, _ = s.Close()            // cleanup
	data, _ := os.ReadFile("x") // outside the module and database/sql
	_ = data
	var slots int
	if err := s.db.QueryRow("SELECT 1").Scan(&slots); err != nil {
		t.Fatal(err)
	}
}
