package a

import "database/sql"

type Server struct{ db *sql.DB }

func (s *Server) Stats() (int, error) { return 0, nil }

func (s *Server) Add(name string) error { return nil }

func (s *Server) Close() (int, error) { return 0, nil }

// Outside test files nothing is reported.
func notATest(s *Server) int {
	n, _ := s.Stats()
	return n
}
