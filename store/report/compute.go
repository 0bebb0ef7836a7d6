package report

import (
	"sort"
	"time"

	"rehabdesk/assets"
	"rehabdesk/store/rules"
)

// Row is one column of figures of the report: a village (or, in the county
// workbook, a township) or the total.
type Row struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Counts Counts `json:"counts"` // nil: no figures (a township that did not report)
}

// Monthly is one township's report for one month.
type Monthly struct {
	Township      string         `json:"township"`
	TownshipName  string         `json:"township_name"`
	County        string         `json:"county"`
	Month         string         `json:"month"`
	AsOf          time.Time      `json:"as_of"` // when the figures were taken
	Deadline      string         `json:"deadline"`
	Rows          []Row          `json:"rows"`
	Total         Row            `json:"total"`
	Staffing      rules.Staffing `json:"staffing"`
	UsersPerStaff int            `json:"users_per_staff"`
	RehabPerStaff int            `json:"rehab_per_staff"`
	// Status is where the month stands (see Status); Revision is the
	// revision submitted (0: none yet), Changed what differs from it.
	Status   string   `json:"status"`
	Revision int      `json:"revision"`
	Changed  []string `json:"changed,omitempty"`
	// Police are the yearly police statistics entered as settings, as
	// entered; not submitted to the county.
	Police rules.PoliceFigures `json:"police,omitempty"`
	// Targets are the year's targets the county set (synced down), by
	// name; shown, not judged: the county judges its year to date.
	Targets map[string]int `json:"targets,omitempty"`
	// FlagsAt is the moment the persons' flags (因毒致贫, 低保...) were
	// read as of: the month's end, or for a month submitted before they
	// were dated, when it was (flagsMoment). Zero in a submission made
	// before.
	FlagsAt time.Time `json:"flags_at"`
}

// noVillage is the row of persons whose village is not recorded.
const noVillage = ""

// computeAt makes the month's figures from the township's data as it
// stands now: every flow counts the events whose own date falls in the
// month, every stock is taken on the month's last day by the same dates, so
// a record typed in after the month still counts in its month. It is pure.
// h is the history LoadHistory read; without it (nil) a 失联 or 中止 counts
// by the person's current one only. The persons' flags are taken
// at flagsAt (flagsMoment).
func computeAt(d *rules.Data, h *History, m Month, th rules.Thresholds, flagsAt time.Time) *Monthly {
	rows := map[string]*Row{}
	row := func(village string) Counts {
		r := rows[village]
		if r == nil {
			r = &Row{Code: village, Name: assets.Name(village), Counts: Counts{}}
			rows[village] = r
		}
		return r.Counts
	}
	for _, p := range d.Persons {
		if h.hereOn(p, m.Last()) {
			countPerson(row(p.Village), newAt(h, h.personAt(p, flagsAt), m, &th))
		}
	}
	for village, c := range h.keptIn(m) {
		row(village).Add(c)
	}
	out := &Monthly{Township: d.Township, Month: m.String(), County: assets.CountyOf(d.Township), FlagsAt: flagsAt,
		Deadline: m.Deadline(th.ReportDeadlineDay).String(), UsersPerStaff: th.UsersPerStaff, RehabPerStaff: th.RehabPerStaff}
	if t, ok := assets.Township(d.Township); ok {
		out.TownshipName = t.Name
	}
	out.Rows = sortedRows(rows)
	out.Total = Row{Code: d.Township, Name: out.TownshipName, Counts: Counts{}}
	for _, r := range out.Rows {
		out.Total.Counts.Add(r.Counts)
	}
	out.Staffing = staffingAt(d, &th, m.Last(), out.Total.Counts)
	t := &township{d: d, h: h, m: m, th: &th, staffing: out.Staffing}
	for _, def := range Defs {
		if def.Kind == Township {
			out.Total.Counts[def.ID] = def.town(t)
		}
	}
	return out
}

func newAt(h *History, p *rules.Person, m Month, th *rules.Thresholds) *at {
	ms, state := measureOn(h, p, m.Last())
	s := since(p)
	return &at{p: p, h: h, m: m, th: th, ms: ms, state: state, in: s != 0 && s <= m.Last(), emp: employmentOn(p, m.Last())}
}

// countPerson adds a person's figures by every row that counts persons.
func countPerson(c Counts, a *at) {
	for _, def := range Defs {
		if def.person != nil {
			if n := def.person(a); n != 0 {
				c[def.ID] += n
			}
		}
	}
}

// staffingAt is the roster (rules.StaffingOn) against the ratios on the
// month's last day: users are the persons in the register on that day,
// under care those in a measure or pending, by the measures' dates.
func staffingAt(d *rules.Data, th *rules.Thresholds, day rules.Day, c Counts) rules.Staffing {
	s := rules.StaffingOn(&rules.Data{Staff: d.Staff}, th, day)
	s.Users = c["persons"]
	s.UnderCare = c["in_measure"] + c["detox_pending"] + c["rehab_pending"]
	return s.WithRatios(th)
}

// sortedRows orders villages by code, the unrecorded village last.
func sortedRows(rows map[string]*Row) []Row {
	out := make([]Row, 0, len(rows))
	for _, r := range rows {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Code, out[j].Code
		if (a == noVillage) != (b == noVillage) {
			return b == noVillage
		}
		return a < b
	})
	return out
}
