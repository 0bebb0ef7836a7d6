package server

import (
	"context"
	"fmt"

	"rehabdesk/sync/wire"
)

// Kinds of yearly figure the county sets (county_targets.kind).
const (
	TargetKind = "target" // a target the county set for the year
	PoliceKind = "police" // a police statistic the county entered
)

// SetYearFigure stores a target or police figure for a year, replacing the
// one before; a negative value removes it.
func (s *Server) SetYearFigure(ctx context.Context, year int, kind, name string, value int) error {
	return setYearFigure(ctx, s.db, year, kind, name, value)
}

// YearFigure is one figure of a year, as SetYearFigures stores it.
type YearFigure struct {
	Kind, Name string
	Value      int // negative: remove
}

// SetYearFigures stores several figures of a year together (the
// workbench's form): all of them or none.
func (s *Server) SetYearFigures(ctx context.Context, year int, figs []YearFigure) error {
	return s.inTx(ctx, func(tx execer) error {
		for _, f := range figs {
			if err := setYearFigure(ctx, tx, year, f.Kind, f.Name, f.Value); err != nil {
				return err
			}
		}
		return nil
	})
}

func setYearFigure(ctx context.Context, db execer, year int, kind, name string, value int) error {
	if kind != TargetKind && kind != PoliceKind {
		return fmt.Errorf("unknown kind %q", kind)
	}
	if value < 0 {
		_, err := db.ExecContext(ctx, "DELETE FROM county_targets WHERE year = ? AND kind = ? AND name = ?", year, kind, name)
		return err
	}
	_, err := db.ExecContext(ctx, `INSERT INTO county_targets (year, kind, name, value) VALUES (?, ?, ?, ?)
		ON CONFLICT (year, kind, name) DO UPDATE SET value = excluded.value`, year, kind, name, value)
	return err
}

// YearFigures returns a year's figures of a kind by name.
func (s *Server) YearFigures(ctx context.Context, year int, kind string) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT name, value FROM county_targets WHERE year = ? AND kind = ?", year, kind)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var name string
		var v int
		if err := rows.Scan(&name, &v); err != nil {
			return nil, err
		}
		out[name] = v
	}
	return out, rows.Err()
}

// countyFigures are the targets of every year, for a township's devices
// (a pull's last page): they show them, and a township without targets
// gives no verdict. The figures have no county of their own: a server
// that serves townships of several counties cannot tell whose they are,
// and sends none rather than another county's.
func (s *Server) countyFigures(ctx context.Context) (*wire.CountyFigures, error) {
	var counties int
	if err := s.db.QueryRowContext(ctx, "SELECT count(DISTINCT county) FROM townships").Scan(&counties); err != nil {
		return nil, err
	}
	if counties > 1 {
		return &wire.CountyFigures{Targets: []wire.YearFigure{}}, nil
	}
	rows, err := s.db.QueryContext(ctx, "SELECT year, name, value FROM county_targets WHERE kind = ? ORDER BY year, name LIMIT ?",
		TargetKind, wire.MaxYearFigures)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := &wire.CountyFigures{Targets: []wire.YearFigure{}}
	for rows.Next() {
		var f wire.YearFigure
		if err := rows.Scan(&f.Year, &f.Name, &f.Value); err != nil {
			return nil, err
		}
		out.Targets = append(out.Targets, f)
	}
	return out, rows.Err()
}
