package report

import (
	"rehabdesk/store/rules"
)

// yearColumns are the columns of the yearly-target sheet. A row without
// figures (a township whose report lacks them, or no report) shows empty
// cells, never zeros.
func yearColumns(lang string) []column {
	det, comp, gaps := T(lang, "report.year.group.detection"), T(lang, "report.year.group.compulsory"), T(lang, "report.year.group.gaps")
	col := func(group, key string, v func(*YearRow) any) column {
		return column{group, T(lang, "report.year."+key), func(r Row) any {
			if r.Year == nil {
				return ""
			}
			return v(r.Year)
		}}
	}
	verdict := func(t rules.Target) any { return T(lang, "report.year.verdict."+t.Verdict.String()) }
	return []column{
		col(det, "found", func(y *YearRow) any { return y.Found }),
		col(det, "base", func(y *YearRow) any { return y.Base }),
		col(det, "rate", func(y *YearRow) any { return y.DetectionCheck().Now }),
		col(det, "prev_found", func(y *YearRow) any { return y.PrevFound }),
		col(det, "prev_base", func(y *YearRow) any { return y.PrevBase }),
		col(det, "prev_rate", func(y *YearRow) any { return y.DetectionCheck().Before }),
		col(det, "change_points", func(y *YearRow) any { return y.DetectionCheck().Change }),
		col(det, "goal_points", func(y *YearRow) any { return y.DetectionGain }),
		col(det, "verdict", func(y *YearRow) any { return verdict(y.DetectionCheck()) }),
		col(comp, "compulsory", func(y *YearRow) any { return y.Compulsory }),
		col(comp, "prev_compulsory", func(y *YearRow) any { return y.PrevCompulsory }),
		col(comp, "change_percent", func(y *YearRow) any { return y.CompulsoryCheck().Change }),
		col(comp, "goal_percent", func(y *YearRow) any { return y.CompulsoryGain }),
		col(comp, "verdict", func(y *YearRow) any { return verdict(y.CompulsoryCheck()) }),
		col(gaps, "no_first_found", func(y *YearRow) any { return y.NoFirstFound }),
		col(gaps, "no_end_date", func(y *YearRow) any { return y.NoEndDate }),
	}
}

// yearPeriod is the sheet heading's period: the year to date and the same
// span a year before.
func yearPeriod(lang, month string) string {
	m, err := ParseMonth(month)
	if err != nil {
		return month
	}
	p := rules.YearToDate(m.Last())
	return T(lang, "report.year.heading.period", rules.DayText(lang, p.From), rules.DayText(lang, p.Through),
		rules.DayText(lang, p.PrevFrom), rules.DayText(lang, p.PrevThrough))
}

// yearNotes explain what the proxies count and what is left out.
func yearNotes(lang string, total *YearRow) []string {
	if total == nil {
		total = newYearRow(rules.DefaultThresholds())
	}
	return []string{
		T(lang, "report.year.note.detection", total.DetectionGain),
		T(lang, "report.year.note.compulsory", total.CompulsoryGain),
		T(lang, "report.year.note.dated_by_measure", total.DatedByMeasure),
		T(lang, "report.year.note.gaps", total.NoFirstFound, total.NoEndDate),
		T(lang, "report.year.note.source"),
	}
}

// townshipYearForm is the township workbook's yearly-target sheet: a row per
// village and the township's total.
func townshipYearForm(lang string, m *Monthly, base *form) *form {
	f := &form{lang: lang, sheet: T(lang, "report.sheet.year"), first: base.first,
		title: T(lang, "report.title.year", m.TownshipName), left: base.left, right: yearPeriod(lang, m.Month),
		cols: yearColumns(lang), rows: base.rows, total: base.total}
	f.notes = append(yearNotes(lang, m.Total.Year), policeNotes(lang, m)...)
	return f
}

// policeNotes show the targets worked out from the police's own figures when
// they were entered for the report's year and the year before, and otherwise
// how to enter them.
func policeNotes(lang string, m *Monthly) []string {
	month, err := ParseMonth(m.Month)
	if err != nil || m.Total.Year == nil {
		return nil
	}
	y, gains := month.Year, m.Total.Year
	f, detection, compulsory := m.Police.Year(y)
	var out []string
	if detection {
		t := f.DetectionTarget(gains.DetectionGain)
		out = append(out, T(lang, "report.year.note.police_detection", y, f.Found, f.Base, t.Now, y-1, f.PrevFound, f.PrevBase,
			t.Before, t.Change, t.Goal, T(lang, "report.year.verdict."+t.Verdict.String())))
	}
	if compulsory {
		t := f.CompulsoryTarget(gains.CompulsoryGain)
		out = append(out, T(lang, "report.year.note.police_compulsory", y, f.Compulsory, y-1, f.PrevCompulsory,
			t.Change, t.Goal, T(lang, "report.year.verdict."+t.Verdict.String())))
	}
	if !detection || !compulsory {
		out = append(out, T(lang, "report.year.note.police_missing", y, y-1))
	}
	return out
}

// countyYearForm is the county workbook's yearly-target sheet: a row per
// township and the county's total, held to the townships' common targets.
func countyYearForm(lang string, c *County, base *form) *form {
	f := &form{lang: lang, sheet: T(lang, "report.sheet.year"), first: base.first,
		title: T(lang, "report.title.year_county", c.CountyName), left: base.left, right: yearPeriod(lang, c.Month),
		cols: yearColumns(lang), rows: base.rows, total: base.total}
	f.notes = append(yearNotes(lang, c.Total.Year),
		T(lang, "report.year.note.county_no_year", len(c.NoYear), c.names(lang, c.NoYear)))
	return f
}
