package server

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"rehabdesk/assets"
	"rehabdesk/internal/sqlrows"
	"rehabdesk/sync/wire"
)

// Kinds of yearly figure the county sets (county_targets.kind).
const (
	TargetKind = "target" // a target the county set for the year
	PoliceKind = "police" // a police statistic the county entered
)

// ErrCountyNeeded refuses yearly figures given without their county by a
// server that serves several counties (or none yet).
var ErrCountyNeeded = errors.New("the county is needed: this server serves several counties, or none yet")

// ErrNotServedCounty refuses yearly figures for a county the server serves
// no township of.
var ErrNotServedCounty = errors.New("this server serves no township of that county")

// FiguresCounty is the county whose yearly figures are meant: county
// (6 digits), which must be one the server serves, or "" for the one
// county the server serves (ErrCountyNeeded when several or none).
func (s *Server) FiguresCounty(ctx context.Context, county string) (string, error) {
	counties, err := sqlrows.Strings(s.db.QueryContext(ctx, "SELECT DISTINCT county FROM townships ORDER BY county"))
	switch {
	case err != nil:
		return "", err
	case county == "" && len(counties) == 1:
		return counties[0], nil
	case county == "":
		return "", ErrCountyNeeded
	case !slices.Contains(counties, county):
		return "", fmt.Errorf("%w: %s", ErrNotServedCounty, county)
	}
	return county, nil
}

// SetYearFigure stores a target or police figure of a county (see
// FiguresCounty) for a year, replacing the one before; a negative value
// removes it.
func (s *Server) SetYearFigure(ctx context.Context, county string, year int, kind, name string, value int) error {
	return s.SetYearFigures(ctx, county, year, []YearFigure{{Kind: kind, Name: name, Value: value}})
}

// YearFigure is one figure of a year, as SetYearFigures stores it.
type YearFigure struct {
	Kind, Name string
	Value      int // negative: remove
}

// SetYearFigures stores several figures of a county's year together (the
// workbench's form): all of them or none.
func (s *Server) SetYearFigures(ctx context.Context, county string, year int, figs []YearFigure) error {
	county, err := s.FiguresCounty(ctx, county)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx execer) error {
		for _, f := range figs {
			if err := setYearFigure(ctx, tx, county, year, f); err != nil {
				return err
			}
		}
		return nil
	})
}

func setYearFigure(ctx context.Context, db execer, county string, year int, f YearFigure) error {
	if f.Kind != TargetKind && f.Kind != PoliceKind {
		return fmt.Errorf("unknown kind %q", f.Kind)
	}
	// A figure stored before figures had a county ('') gives way.
	if _, err := db.ExecContext(ctx, "DELETE FROM county_targets WHERE county IN (?, '') AND year = ? AND kind = ? AND name = ?",
		county, year, f.Kind, f.Name); err != nil || f.Value < 0 {
		return err
	}
	_, err := db.ExecContext(ctx, "INSERT INTO county_targets (county, year, kind, name, value) VALUES (?, ?, ?, ?, ?)",
		county, year, f.Kind, f.Name, f.Value)
	return err
}

// ofCounty selects the figures of a county: its own, and while the server
// serves that county alone, those stored before figures had a county.
const ofCounty = `(county = ? OR (county = '' AND ? IN (SELECT county FROM townships)
	AND (SELECT count(DISTINCT county) FROM townships) = 1))`

// YearFigures returns a county's figures of a year and kind by name.
func (s *Server) YearFigures(ctx context.Context, county string, year int, kind string) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT name, value FROM county_targets WHERE "+ofCounty+" AND year = ? AND kind = ?",
		county, county, year, kind)
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

// countyFigures are the targets of every year of the device's county, for
// its devices (a pull's last page): they show them, and a township without
// targets gives no verdict.
func (s *Server) countyFigures(ctx context.Context, d *device) (*wire.CountyFigures, error) {
	county := d.County
	if county == "" {
		county = assets.CountyOf(d.Township)
	}
	rows, err := s.db.QueryContext(ctx, "SELECT year, name, value FROM county_targets WHERE "+ofCounty+" AND kind = ? ORDER BY year, name LIMIT ?",
		county, county, TargetKind, wire.MaxYearFigures)
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
