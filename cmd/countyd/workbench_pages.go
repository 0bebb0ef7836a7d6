package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"rehabdesk/internal/audittext"
	"rehabdesk/internal/cmdline"
	"rehabdesk/store/report"
	"rehabdesk/sync/server"
	"rehabdesk/sync/wire"
)

// pages are the workbench's GET pages and the role each needs.
func (wb *workbench) pages() map[string]route {
	staff, admin := server.RoleStaff, server.RoleAdmin
	return map[string]route{
		"/townships":   {staff, wb.countySection("townships", "wb.nav.townships", "head", "townships")},
		"/report":      {staff, wb.reportPage},
		"/report.xlsx": {staff, wb.workbook},
		"/police":      {staff, wb.countySection("police", "wb.nav.police", "police")},
		"/devices":     {staff, wb.devicesPage},
		"/codes":       {admin, func(ctx context.Context, rq *request) error { return wb.codesPage(ctx, rq, nil) }},
		"/accounts":    {admin, wb.accountsPage},
		"/targets":     {staff, wb.targetsPage},
		"/audit":       {staff, wb.auditPage},
	}
}

// errNoCounty: no township is served yet, so there is no county to show.
var errNoCounty = errors.New("no county")

// countyPage is the county page of the month asked for (?month=), or of
// the latest month submitted.
func (wb *workbench) countyPage(ctx context.Context, rq *request) (*report.CountyPage, error) {
	ts, err := wb.srv.Townships(ctx)
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, errNoCounty
	}
	p, err := countyPage(ctx, wb.srv, rq.lang, rq.URL.Query().Get("month"), wb.now())
	var ue *cmdline.UsageError
	if errors.As(err, &ue) {
		return nil, fmt.Errorf("%w: %v", errSeveralCounties, err)
	}
	return p, err
}

// errSeveralCounties: the workbench shows one county, and this server
// serves townships of several.
var errSeveralCounties = errors.New("several counties")

func (wb *workbench) countySection(page, titleKey string, sections ...string) handlerFunc {
	return func(ctx context.Context, rq *request) error {
		p, err := wb.countyPage(ctx, rq)
		if err != nil {
			return err
		}
		html, err := countySections(p, sections...)
		if err != nil {
			return err
		}
		wb.renderCounty(rq, http.StatusOK, page, titleKey, p, html)
		return nil
	}
}

func (wb *workbench) reportPage(ctx context.Context, rq *request) error {
	p, err := wb.countyPage(ctx, rq)
	if err != nil {
		return err
	}
	html, err := countySections(p, "head", "totals", "year")
	if err != nil {
		return err
	}
	wb.renderCounty(rq, http.StatusOK, "report", "wb.nav.report", p, html)
	return nil
}

// workbook sends the county workbook of the month (?month=YYYY-MM), the
// file countyd report writes.
func (wb *workbench) workbook(ctx context.Context, rq *request) error {
	month := rq.URL.Query().Get("month")
	if _, err := report.ParseMonth(month); err != nil {
		return errBadForm
	}
	if _, err := wb.countyPage(ctx, rq); err != nil {
		return err
	}
	c, err := countySummary(ctx, wb.srv, "", month, wb.now())
	if err != nil {
		return err
	}
	rq.w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	rq.w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="county-%s.xlsx"`, month))
	return report.WriteCountyWorkbook(rq.w, c, rq.lang)
}

func (wb *workbench) devicesPage(ctx context.Context, rq *request) error {
	ds, err := wb.srv.Devices(ctx)
	if err != nil {
		return err
	}
	type row struct {
		server.Device
		Kind string
	}
	var rows []row
	for _, d := range ds {
		rows = append(rows, row{d, kindWords(rq.lang, d.County, d.Volunteer, "")})
	}
	wb.render(rq, http.StatusOK, "devices", "wb.nav.devices", map[string]any{"Devices": rows, "Done": rq.URL.Query().Get("done")})
	return nil
}

// codesPage lists the codes issued; issued is a code just issued, shown
// this once.
func (wb *workbench) codesPage(ctx context.Context, rq *request, issued map[string]string) error {
	cs, err := wb.srv.EnrollCodes(ctx)
	if err != nil {
		return err
	}
	ts, err := wb.srv.Townships(ctx)
	if err != nil {
		return err
	}
	now := wb.now()
	type row struct {
		server.EnrollCode
		Kind    string
		Expired bool
	}
	var rows []row
	for _, c := range cs {
		rows = append(rows, row{c, kindWords(rq.lang, c.County, c.Volunteer, c.Device), c.Used.IsZero() && now.After(c.Expires)})
	}
	wb.render(rq, http.StatusOK, "codes", "wb.nav.codes", map[string]any{"Codes": rows, "Townships": ts, "Issued": issued})
	return nil
}

func (wb *workbench) accountsPage(ctx context.Context, rq *request) error {
	as, err := wb.srv.Accounts(ctx)
	if err != nil {
		return err
	}
	wb.render(rq, http.StatusOK, "accounts", "wb.nav.accounts", map[string]any{"Accounts": as, "Done": rq.URL.Query().Get("done")})
	return nil
}

// targetsPage shows a year's targets and police figures (?year=, default
// this year), with the form to set them for an administrator.
func (wb *workbench) targetsPage(ctx context.Context, rq *request) error {
	year := wb.now().Year()
	if y, err := strconv.Atoi(rq.URL.Query().Get("year")); err == nil && y >= 2000 && y <= 2100 {
		year = y
	}
	county, err := wb.figuresCounty(ctx)
	if err != nil {
		return err
	}
	targets, err := wb.srv.YearFigures(ctx, county, year, server.TargetKind)
	if err != nil {
		return err
	}
	police, err := wb.srv.YearFigures(ctx, county, year, server.PoliceKind)
	if err != nil {
		return err
	}
	type line struct {
		Kind, Name, Label, Value string
	}
	var lines []line
	for _, d := range report.TargetDefs {
		lines = append(lines, line{server.TargetKind, d.Name, report.T(rq.lang, "report.year.target."+d.Name), figure(targets, d.Name)})
	}
	for _, n := range []string{"found", "compulsory"} {
		lines = append(lines, line{server.PoliceKind, n, wbT(rq.lang, "wb.targets.police."+n), figure(police, n)})
	}
	wb.render(rq, http.StatusOK, "targets", "wb.nav.targets", map[string]any{"Year": year, "Lines": lines, "Done": rq.URL.Query().Get("done")})
	return nil
}

// figuresCounty is the county whose yearly figures the workbench shows
// and sets: the one the server serves (countyd target --county sets those
// of a server serving several).
func (wb *workbench) figuresCounty(ctx context.Context) (string, error) {
	county, err := wb.srv.FiguresCounty(ctx, "")
	if errors.Is(err, server.ErrCountyNeeded) {
		ts, terr := wb.srv.Townships(ctx)
		if terr == nil && len(ts) == 0 {
			return "", errNoCounty
		}
		return "", errors.Join(errSeveralCounties, terr)
	}
	return county, err
}

func figure(m map[string]int, name string) string {
	if v, ok := m[name]; ok {
		return strconv.Itoa(v)
	}
	return ""
}

// auditPage shows the latest of the workbench's own log and of the
// entries the devices pushed.
func (wb *workbench) auditPage(ctx context.Context, rq *request) error {
	web, err := wb.srv.WebAuditLog(ctx, 200)
	if err != nil {
		return err
	}
	raw, err := wb.srv.DeviceAuditLog(ctx, 200)
	if err != nil {
		return err
	}
	type deviceRow struct {
		wire.AuditEntry
		At           time.Time
		What, Detail string // the action and its detail in the reader's language
	}
	T := func(key string, args ...any) string { return wbT(rq.lang, key, args...) }
	var devs []deviceRow
	for _, b := range raw {
		var e wire.AuditEntry
		if json.Unmarshal(b, &e) == nil {
			devs = append(devs, deviceRow{e, time.UnixMilli(e.Time), audittext.Action(T, e.Action), audittext.Detail(T, e.Detail)})
		}
	}
	wb.render(rq, http.StatusOK, "audit", "wb.nav.audit", map[string]any{"Web": web, "Devices": devs})
	return nil
}

// kindWords says what a device (or a code's device) receives, in words:
// its township, the whole county, one volunteer's persons, or (a code)
// the re-enrolment of a known device.
func kindWords(lang, county, volunteer, device string) string {
	switch {
	case device != "":
		return wbT(lang, "wb.kind.reenrol", device)
	case county != "":
		return wbT(lang, "wb.kind.county", county)
	case volunteer != "":
		return wbT(lang, "wb.kind.volunteer", volunteer)
	}
	return wbT(lang, "wb.kind.township")
}
