package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"rehabdesk/assets"
	"rehabdesk/store/report"
	"rehabdesk/sync/server"
)

// countyd report combines the monthly reports the townships submitted
// (setting records "report.YYYY-MM" that reached the server by sync) into
// the county workbook.
func init() {
	commands["report"] = command{"--db PATH --month YYYY-MM --out FILE.xlsx [--county CODE] [--lang zh|en]", runReport}
}

func runReport(ctx context.Context, e *env, args []string) error {
	fs, db := newFlags(e, "report")
	month := fs.String("month", "", "report month YYYY-MM")
	out := fs.String("out", "", "county workbook to write")
	county := fs.String("county", "", "6-digit county code (default: the county of the served townships)")
	lang := fs.String("lang", "zh", "workbook language: zh or en")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if err := need(db); err != nil {
		return err
	}
	if _, err := report.ParseMonth(*month); err != nil || *out == "" {
		return usageError{"--month YYYY-MM and --out FILE.xlsx are required"}
	}
	srv, err := open(ctx, e, *db)
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
	return nil
}

// countySummary gathers the served townships of a county, their submitted
// reports for the month and their last sync, and combines them.
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
	var expected []string
	var reports []*report.Submitted
	for _, t := range townships {
		if assets.CountyOf(t) != county {
			continue
		}
		expected = append(expected, t)
		sub, err := submission(ctx, srv, t, month)
		if err != nil {
			return nil, err
		}
		if sub != nil {
			reports = append(reports, sub)
		}
	}
	last, err := lastSyncs(ctx, srv)
	if err != nil {
		return nil, err
	}
	return report.Combine(county, month, reports, expected, last, now), nil
}

func onlyCounty(townships []string) (string, error) {
	county := ""
	for _, t := range townships {
		c := assets.CountyOf(t)
		if county != "" && c != county {
			return "", usageError{"the server serves several counties; give --county"}
		}
		county = c
	}
	if county == "" {
		return "", usageError{"no township served yet; give --county"}
	}
	return county, nil
}

// submission finds a township's submitted report of a month in the
// server's merged state, or nil. A record it cannot read is an error: the
// county must not silently count a township as missing.
func submission(ctx context.Context, srv *server.Server, township, month string) (*report.Submitted, error) {
	recs, err := srv.Records(ctx, township)
	if err != nil {
		return nil, err
	}
	sub, err := findSubmission(storeRecords(township, recs), township, month)
	if err != nil {
		return nil, fmt.Errorf("township %s: %w", township, err)
	}
	return sub, nil
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
	if err := report.WriteCountyWorkbook(tmp, c, lang); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
