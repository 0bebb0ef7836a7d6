package main

import (
	"context"
	"sort"
	"time"

	"rehabdesk/assets"
	"rehabdesk/store"
	"rehabdesk/store/report"
	"rehabdesk/store/rules"
	"rehabdesk/store/valid"
	"rehabdesk/sync/server"
)

// The county as the workbench's pages show it (report.CountyPage): every
// served township's sync and report status for a month, the county totals
// and the year against its targets, and the alerts that must go to the
// police, computed from the records the townships' devices synced.

// townshipData is what the page reads of one township's merged state.
type townshipData struct {
	code    string
	records map[store.Kind][]*store.Record
}

// countyPage gathers the page: every served township of the (single)
// county, the month asked for or the latest submitted.
func countyPage(ctx context.Context, srv *server.Server, lang, month string, now time.Time) (*report.CountyPage, error) {
	townships, err := srv.Townships(ctx)
	if err != nil {
		return nil, err
	}
	county, err := onlyCounty(townships)
	if err != nil {
		return nil, err
	}
	var data []townshipData
	for _, t := range townships {
		recs, err := srv.Records(ctx, t)
		if err != nil {
			return nil, err
		}
		data = append(data, townshipData{t, storeRecords(t, recs)})
	}
	months := submittedMonths(data)
	if _, err := report.ParseMonth(month); err != nil {
		month = report.Month{Year: now.Year(), Month: now.Month()}.Prev().String()
		if len(months) > 0 {
			month = months[0]
		}
	}
	return assemblePage(ctx, srv, lang, county, month, months, data, now)
}

func assemblePage(ctx context.Context, srv *server.Server, lang, county, month string, months []string, data []townshipData, now time.Time) (*report.CountyPage, error) {
	last, err := lastSyncs(ctx, srv)
	if err != nil {
		return nil, err
	}
	devices, err := deviceCounts(ctx, srv)
	if err != nil {
		return nil, err
	}
	page := &report.CountyPage{Lang: lang, Months: months, Generated: now}
	for _, d := range data {
		page.Police = append(page.Police, policeAlerts(lang, d, rules.DayOfChina(now))...)
	}
	// A bad submission shows as such; it must not take the page down.
	c, unreadable, err := combineMonth(ctx, srv, county, month, data, last, now)
	if err != nil {
		return nil, err
	}
	page.County = c
	for _, row := range page.County.Rows {
		tm := page.County.Townships[row.Code]
		flag := map[string]string{report.StatusLate: "late", report.StatusCorrected: "corrected"}[tm.Status]
		page.Townships = append(page.Townships, report.TownshipStatus{Code: row.Code, Name: row.Name, Devices: devices[row.Code],
			LastSync: last[row.Code], Stale: last[row.Code].IsZero() || now.Sub(last[row.Code]) > report.StaleAfter,
			Submitted: tm.Submitted, Status: page.County.StatusWord(lang, row.Code), Flag: flag, Unreadable: unreadable[row.Code]})
	}
	return page, nil
}

// storeRecords turns the server's merged state into live store records,
// the input of the rules engine.
func storeRecords(township string, recs map[string]*server.Record) map[store.Kind][]*store.Record {
	out := map[store.Kind][]*store.Record{}
	for id, r := range recs {
		if r.Fields[store.FieldArchived] == "1" {
			continue
		}
		rec := &store.Record{Kind: store.Kind(r.Kind), ID: id, Township: township, Fields: r.Fields, PersonID: r.Fields["person"]}
		if rec.Kind == store.KindPerson {
			rec.PersonID = id
		}
		out[rec.Kind] = append(out[rec.Kind], rec)
	}
	for _, rs := range out { // map order is random; the engine's output should not be
		sort.Slice(rs, func(i, j int) bool { return rs[i].ID < rs[j].ID })
	}
	return out
}

// submittedMonths lists the months any township submitted, newest first.
func submittedMonths(data []townshipData) []string {
	seen := map[string]bool{}
	var out []string
	for _, d := range data {
		for _, r := range d.records[store.KindSetting] {
			if m, _ := report.SubmissionMonth(r.Get("key")); m != "" && !seen[m] {
				seen[m] = true
				out = append(out, m)
			}
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(out)))
	return out
}

// policeAlerts evaluates a township's rules and keeps the alerts that must
// go to the police.
func policeAlerts(lang string, d townshipData, today rules.Day) []report.PoliceAlert {
	data := rules.Build(d.code, d.records)
	names := map[string]*rules.Person{}
	for _, p := range data.Persons {
		names[p.ID] = p
	}
	town := d.code
	if t, ok := assets.Township(d.code); ok {
		town = t.Name
	}
	var out []report.PoliceAlert
	for _, a := range rules.Evaluate(data, today, rules.ThresholdsFrom(d.records[store.KindSetting])) {
		if a.Severity != rules.Police {
			break // sorted: police alerts come first
		}
		pa := report.PoliceAlert{Township: town, Title: a.Title(lang), Explanation: a.Explain(lang), Due: a.Due.String()}
		if p := names[a.PersonID]; p != nil {
			pa.Person, pa.IDMasked = p.Name, valid.MaskID(p.IDNumber)
		}
		out = append(out, pa)
	}
	return out
}

func deviceCounts(ctx context.Context, srv *server.Server) (map[string]int, error) {
	devs, err := srv.Devices(ctx)
	out := map[string]int{}
	for _, d := range devs {
		if d.Revoked.IsZero() && d.County == "" { // county-office devices are not the township's
			out[d.Township]++
		}
	}
	return out, err
}
