package client

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"rehabdesk/internal/xlsxread"
	"rehabdesk/store"
	"rehabdesk/store/report"
	"rehabdesk/sync/server"
)

// The yearly targets the county sets (countyd target) reach the
// township's devices with the next sync; the township's workbook shows
// them as set, or says there are none and so no verdict; a target the
// county removes goes at the next sync; a police figure stays at the
// county.
func TestCountyTargetsReachTheTownshipThroughSync(t *testing.T) {
	xlsxread.Need(t)
	ctx := context.Background()
	c := newCounty(t)
	a := c.enrolled(t, townA)
	mustSync(t, a)
	if note := targetsNote(t, a); !strings.Contains(note, "未下达2026年度目标") {
		t.Fatalf("before the county set targets the workbook says %q", note)
	}
	for name, v := range map[string]int{"placement_rate": 90, "test_rate": 85} {
		if err := c.srv.SetYearFigure(ctx, "", 2026, server.TargetKind, name, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.srv.SetYearFigure(ctx, "", 2026, server.PoliceKind, "found", 12); err != nil {
		t.Fatal(err)
	}
	if err := c.srv.SetYearFigure(ctx, "", 2025, server.TargetKind, "placement_rate", 80); err != nil {
		t.Fatal(err)
	}
	mustSync(t, a)
	got, err := report.CountyTargets(ctx, a, 2026)
	if want := map[string]int{"placement_rate": 90, "test_rate": 85}; err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("2026 targets on the device: %v %v, want %v", got, err, want)
	}
	if note := targetsNote(t, a); !strings.Contains(note, "就业安置率（%） 90") || !strings.Contains(note, "检测率（%） 85") {
		t.Errorf("the workbook's targets line, as openpyxl reads it: %q", note)
	}
	if err := c.srv.SetYearFigure(ctx, "", 2026, server.TargetKind, "test_rate", -1); err != nil {
		t.Fatal(err)
	}
	mustSync(t, a)
	if got, err := report.CountyTargets(ctx, a, 2026); err != nil || !reflect.DeepEqual(got, map[string]int{"placement_rate": 90}) {
		t.Errorf("after the county removed test_rate: %v %v", got, err)
	}
	// A reply from a server that predates targets carries none: kept.
	if err := keepCountyFigures(ctx, a, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := report.CountyTargets(ctx, a, 2025); err != nil {
		t.Fatal(err)
	} else if !reflect.DeepEqual(got, map[string]int{"placement_rate": 80}) {
		t.Errorf("2025 targets after a reply without any: %v", got)
	}
}

// An office without a network link exchanges files by USB: the reply file
// carries the targets too.
func TestCountyTargetsReachTheTownshipByExchangeFile(t *testing.T) {
	ctx := context.Background()
	c := newCounty(t)
	a := c.enrolled(t, townA)
	if err := c.srv.SetYearFigure(ctx, "", 2026, server.TargetKind, "report_in_rate", 95); err != nil {
		t.Fatal(err)
	}
	c.exchange(t, a)
	if got, err := report.CountyTargets(ctx, a, 2026); err != nil || !reflect.DeepEqual(got, map[string]int{"report_in_rate": 95}) {
		t.Errorf("targets after an exchange file: %v %v", got, err)
	}
}

// targetsNote writes October 2026's workbook and returns, as openpyxl reads
// it, the line on the year's targets.
func targetsNote(t *testing.T, st *store.Store) string {
	t.Helper()
	m, err := report.Generate(context.Background(), st, report.Month{Year: 2026, Month: time.October})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "oct.xlsx")
	if err := report.WriteWorkbookFile(path, m, "zh", time.Now()); err != nil {
		t.Fatal(err)
	}
	for _, row := range xlsxread.MustRead(t, path)[0].Rows {
		for _, cell := range row {
			if strings.Contains(cell, "年度目标") {
				return cell
			}
		}
	}
	return ""
}

// A person counted in a submitted month is transferred away; the sync
// that delivers the transfer erases their file here, and the month stays
// as submitted: its figures do not change because the person left.
func TestClosedMonthUnchangedAfterTheSyncErasesATransferredFile(t *testing.T) {
	ctx := context.Background()
	c := newCounty(t)
	a := c.enrolled(t, townA)
	p := put(t, a, store.KindPerson, "", map[string]string{"name": "张三", "id_number": idFor(1), "employment": "farming"})
	put(t, a, store.KindMeasure, "", map[string]string{"person": p, "type": "detox", "received_date": "2026-08-01",
		"report_in_date": "2026-08-03", "status": "active"})
	mustSync(t, a)
	oct := report.Month{Year: 2026, Month: time.October}
	before, err := report.Generate(ctx, a, oct)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := report.Submit(ctx, a, before, time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if err := a.StartTransfer(ctx, p, townB, a.Today().Format("2006-01-02")); err != nil {
		t.Fatal(err)
	}
	mustSync(t, a)
	if ts, err := a.Transfers(ctx); err != nil || len(ts) != 1 || !ts[0].Purged {
		t.Fatalf("the file should be erased after the sync: %+v %v", ts, err)
	}
	if _, err := a.Get(ctx, p); !errors.Is(err, store.ErrTransferred) {
		t.Fatalf("the person after the transfer: %v", err)
	}
	after, err := report.Generate(ctx, a, oct)
	if err != nil {
		t.Fatal(err)
	}
	if after.Status != report.StatusSubmitted || len(after.Changed) != 0 || after.Total.Counts["persons"] != 1 ||
		after.Total.Counts["detox_active"] != 1 || after.Total.Counts["emp_farming"] != 1 {
		t.Errorf("October after the transfer: %s changed %v, %v", after.Status, after.Changed, after.Total.Counts)
	}
}
