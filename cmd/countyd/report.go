package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"rehabdesk/assets"
	"rehabdesk/internal/cmdline"
	"rehabdesk/store"
	"rehabdesk/store/report"
	"rehabdesk/store/rules"
	"rehabdesk/sync/server"
)

// countyd report combines the monthly reports the townships submitted
// (setting records "report.YYYY-MM[.rN]" that reached the server by sync)
// into the county workbook: each township's latest revision, its status
// for the month, and the year to date against the county's targets.
func init() {
	program.Register(command{Name: "report", Summary: "write the county's monthly workbook from the townships' reports",
		Usage: "--db PATH --month YYYY-MM --out FILE.xlsx [--county CODE] [--lang zh|en]", Run: runReport})
}

func runReport(ctx context.Context, e *env, args []string) error {
	fs, db := newFlags(e, "report")
	month := fs.String("month", "", "report month YYYY-MM")
	out := fs.String("out", "", "county workbook to write")
	county := fs.String("county", "", "6-digit county code (default: the county of the served townships)")
	lang := fs.String("lang", "zh", "workbook language: zh or en")
	if _, err := cmdline.Parse(fs, args); err != nil {
		return err
	}
	if err := need(db); err != nil {
		return err
	}
	if _, err := report.ParseMonth(*month); err != nil || *out == "" {
		return cmdline.Usagef("--month YYYY-MM and --out FILE.xlsx are required")
	}
	srv, err := open(ctx, e, db)
	if err != nil {
		return err
	}
	defer srv.Close()
	c, err := countySummary(ctx, srv, *county, *month, time.Now())
	if err != nil {
		return err
	}
	if err := writeCountyFile(*out, c, *lang); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, report.T(*lang, "report.cli.county_wrote", *out, len(c.Rows)-len(c.Missing), len(c.Missing)))
	for _, r := range c.Rows {
		fmt.Fprintf(e.stdout, "  %s %s\n", r.Name, c.StatusWord(*lang, r.Code))
		if c.Unreadable[r.Code] {
			fmt.Fprintf(e.stderr, "countyd report: %s (%s): %v\n", r.Name, r.Code, report.ErrBadSubmission)
		}
	}
	return nil
}

// countySummary gathers the served townships of a county and combines
// their revisions of the month, and of the year's months for the targets.
func countySummary(ctx context.Context, srv *server.Server, county, month string, now time.Time) (*report.County, error) {
	townships, err := srv.Townships(ctx)
	if err != nil {
		return nil, err
	}
	if county == "" {
		if county, err = onlyCounty(townships); err != nil {
			return nil, err
		}
	}
	var data []townshipData
	for _, t := range townships {
		if assets.CountyOf(t) != county {
			continue
		}
		recs, err := srv.Records(ctx, t)
		if err != nil {
			return nil, err
		}
		data = append(data, townshipData{t, storeRecords(t, recs)})
	}
	last, err := lastSyncs(ctx, srv)
	if err != nil {
		return nil, err
	}
	c, unreadable, err := combineMonth(ctx, srv, county, month, data, last, now)
	if err != nil {
		return nil, err
	}
	// One township's unreadable submission must neither stop the county's
	// workbook nor pass silently: its status says so, and runReport warns.
	c.Unreadable = unreadable
	return c, nil
}

// combineMonth is the county summary of a month from the townships' merged
// records, with the year to date, and the townships whose submission of
// the month could not be read (not counted: any device of a township can
// write that record).
func combineMonth(ctx context.Context, srv *server.Server, county, month string, data []townshipData, last map[string]time.Time, now time.Time) (*report.County, map[string]bool, error) {
	m, err := report.ParseMonth(month)
	if err != nil {
		return nil, nil, err
	}
	deadline := rules.DefaultThresholds().ReportDeadlineDay
	var months []*report.County
	var unreadable map[string]bool
	for mm := (report.Month{Year: m.Year, Month: time.January}); mm.String() <= month; mm = mm.Next() {
		revs, expected, bad := revisionsOf(data, mm.String())
		months = append(months, report.Combine(county, mm.String(), revs, expected, last, now, deadline))
		unreadable = bad
	}
	c := months[len(months)-1]
	targets, err := srv.YearFigures(ctx, county, m.Year, server.TargetKind)
	if err != nil {
		return nil, nil, err
	}
	police, err := srv.YearFigures(ctx, county, m.Year, server.PoliceKind)
	if err != nil {
		return nil, nil, err
	}
	c.Year = report.CombineYear(m.Year, month, months, targets, police)
	return c, unreadable, nil
}

// revisionsOf gathers each township's revisions of a month. A revision
// that cannot be read, or that speaks for another township or month, marks
// its township unreadable and none of its revisions is counted.
func revisionsOf(data []townshipData, month string) (map[string][]*report.Submitted, []string, map[string]bool) {
	out := map[string][]*report.Submitted{}
	bad := map[string]bool{}
	var expected []string
	for _, d := range data {
		expected = append(expected, d.code)
		revs, err := report.RevisionsIn(d.records[store.KindSetting], month)
		for _, r := range revs {
			if r.Township != d.code || r.Month != month {
				err = report.ErrBadSubmission
			}
		}
		switch {
		case err != nil:
			bad[d.code] = true
		case len(revs) > 0:
			out[d.code] = revs
		}
	}
	return out, expected, bad
}

func onlyCounty(townships []string) (string, error) {
	county := ""
	for _, t := range townships {
		c := assets.CountyOf(t)
		if county != "" && c != county {
			return "", cmdline.Usagef("the server serves several counties; give --county")
		}
		county = c
	}
	if county == "" {
		return "", cmdline.Usagef("no township served yet; give --county")
	}
	return county, nil
}

// lastSyncs is each township's most recent sync over its devices.
func lastSyncs(ctx context.Context, srv *server.Server) (map[string]time.Time, error) {
	devs, err := srv.Devices(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]time.Time{}
	for _, d := range devs {
		if d.Revoked.IsZero() && d.LastSync.After(out[d.Township]) {
			out[d.Township] = d.LastSync
		}
	}
	return out, nil
}

func writeCountyFile(path string, c *report.County, lang string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".county-*.xlsx")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := report.WriteCountyWorkbook(io.Writer(tmp), c, lang); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
