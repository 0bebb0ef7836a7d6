package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"rehabdesk/internal/cmdline"
	"rehabdesk/store/report"
	"rehabdesk/sync/server"
)

// countyd target stores the year's targets the county sets (placement_rate
// = 90...) and the police figures it enters (found = 120), which the county
// workbook and page compare the year to date with. Without targets there
// is no verdict. A value of -1 removes one. The figures are a county's: a
// server serving townships of several counties needs --county.
func init() {
	program.Register(command{Name: "target", Summary: "set the county's targets and police figures for a year, or show them",
		Usage: "--db PATH --year YYYY [--county CODE] [--set NAME=VALUE]... [--police NAME=VALUE]...", Run: runTarget})
}

// pairs is a repeatable NAME=VALUE flag.
type pairs []string

func (p *pairs) String() string     { return strings.Join(*p, ",") }
func (p *pairs) Set(v string) error { *p = append(*p, v); return nil }

func runTarget(ctx context.Context, e *env, args []string) error {
	fs, db := newFlags(e, "target")
	year := fs.Int("year", 0, "the year the targets are for")
	countyFlag := fs.String("county", "", "6-digit county the figures are for; required when the server serves several counties")
	var targets, police pairs
	fs.Var(&targets, "set", "a target NAME=VALUE (placement_rate, willing_rate, test_rate, report_in_rate: percent; police_found, police_compulsory: persons)")
	fs.Var(&police, "police", "a police figure as entered, NAME=VALUE (found, compulsory)")
	if _, err := cmdline.Parse(fs, args); err != nil {
		return err
	}
	if err := need(db); err != nil {
		return err
	}
	if *year < 2000 || *year > 2100 {
		return cmdline.Usagef("--year YYYY is required")
	}
	srv, err := open(ctx, e, db)
	if err != nil {
		return err
	}
	defer srv.Close()
	county, err := srv.FiguresCounty(ctx, *countyFlag)
	if errors.Is(err, server.ErrCountyNeeded) || errors.Is(err, server.ErrNotServedCounty) {
		return cmdline.Usagef("--county: %v", err)
	}
	if err != nil {
		return err
	}
	for _, set := range []struct {
		kind  string
		pairs pairs
		known func(string) bool
	}{{server.TargetKind, targets, knownTarget}, {server.PoliceKind, police, knownPolice}} {
		if err := storeFigures(ctx, srv, county, *year, set.kind, set.pairs, set.known); err != nil {
			return err
		}
	}
	return printFigures(ctx, e, srv, county, *year)
}

func storeFigures(ctx context.Context, srv *server.Server, county string, year int, kind string, ps pairs, known func(string) bool) error {
	for _, p := range ps {
		name, text, ok := strings.Cut(p, "=")
		v, err := strconv.Atoi(strings.TrimSpace(text))
		if !ok || err != nil || !known(name) {
			return cmdline.Usagef("%q: want NAME=VALUE with a known name and a whole number", p)
		}
		if err := srv.SetYearFigure(ctx, county, year, kind, name, v); err != nil {
			return err
		}
	}
	return nil
}

func knownTarget(name string) bool {
	for _, d := range report.TargetDefs {
		if d.Name == name {
			return true
		}
	}
	return false
}

func knownPolice(name string) bool { return name == "found" || name == "compulsory" }

func printFigures(ctx context.Context, e *env, srv *server.Server, county string, year int) error {
	for _, kind := range []string{server.TargetKind, server.PoliceKind} {
		figs, err := srv.YearFigures(ctx, county, year, kind)
		if err != nil {
			return err
		}
		for name, v := range figs {
			fmt.Fprintf(e.stdout, "%s %d %s %s=%d\n", county, year, kind, name, v)
		}
	}
	return nil
}
