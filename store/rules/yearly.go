package rules

// The seed document sets yearly targets against the year before:
// "2016年，各地吸毒人员查处率要在2015年基础上至少提升5个百分点" and
// "2016年强制隔离戒毒人数同比增加20%以上". Both are police statistics that a
// township's files do not hold, so YearFigures counts stand-ins (proxies)
// from the files, and every label that shows them says so:
//
//   - detection (查处率): persons found using drugs in the period — first
//     found (first_found) in it, or tested positive in it — as a share of the
//     persons on file first found before the year began (年初在册). The
//     ledgers townships import have no first-found column, so a person
//     without that date is dated by their earliest measure (the decision's
//     receipt, else its start): the police decide a measure after finding
//     the person. Such persons are counted apart (DatedByMeasure) and the
//     sheet says how many;
//   - 强制隔离戒毒: measures that ended in the period with the status "handed
//     over to the police" (移交公安), counted by their end date.
//
// The period is the year to date and the same months of the year before, so
// a monthly report compares like with like and December compares whole years.

// YearFigures are the counts behind the two yearly targets.
type YearFigures struct {
	Found          int `json:"found"`            // persons found in the period
	Base           int `json:"base"`             // persons on file first found before the year began
	Compulsory     int `json:"compulsory"`       // measures handed over to the police in the period
	PrevFound      int `json:"prev_found"`       // persons found in the same months a year before
	PrevBase       int `json:"prev_base"`        // persons on file first found before the year before began
	PrevCompulsory int `json:"prev_compulsory"`  // handovers in the same months a year before
	NoFirstFound   int `json:"no_first_found"`   // persons left out: no first-found date and no dated measure
	NoEndDate      int `json:"no_end_date"`      // handovers left out: no end date recorded
	DatedByMeasure int `json:"dated_by_measure"` // persons without a first-found date, dated by their earliest measure
}

// Add adds another village's or township's counts.
func (f *YearFigures) Add(o YearFigures) {
	f.Found += o.Found
	f.Base += o.Base
	f.Compulsory += o.Compulsory
	f.PrevFound += o.PrevFound
	f.PrevBase += o.PrevBase
	f.PrevCompulsory += o.PrevCompulsory
	f.NoFirstFound += o.NoFirstFound
	f.NoEndDate += o.NoEndDate
	f.DatedByMeasure += o.DatedByMeasure
}

// YearPeriod is a year to date and the same months of the year before.
type YearPeriod struct {
	From, Through, PrevFrom, PrevThrough Day
}

// YearToDate is the period from 1 January to through, and the same span a
// year before. A month end maps to the month end (29 February 2028 to 28
// February 2027, 28 February 2029 to 29 February 2028).
func YearToDate(through Day) YearPeriod {
	y, _, _ := through.Date()
	prev := through.AddMonths(-12)
	if through == through.MonthEnd() {
		prev = prev.MonthEnd()
	}
	return YearPeriod{From: fromCivil(y, 1, 1), Through: through, PrevFrom: fromCivil(y-1, 1, 1), PrevThrough: prev}
}

func within(d, from, to Day) bool { return d != 0 && d >= from && d <= to }

// CountYear adds one person to the figures of a period. A person with
// neither a first-found date nor a dated measure is left out of detection
// (and counted in NoFirstFound): dating them by their file's creation would
// make the year the ledger was imported look like a year of mass detection.
func CountYear(f *YearFigures, p *Person, per YearPeriod) {
	countHandovers(f, p, per)
	first := p.FirstFound
	if first == 0 {
		if first = earliestMeasure(p); first != 0 {
			f.DatedByMeasure++
		}
	}
	if first == 0 {
		f.NoFirstFound++
		return
	}
	if first < per.From {
		f.Base++
	}
	if first < per.PrevFrom {
		f.PrevBase++
	}
	if foundIn(p, first, per.From, per.Through) {
		f.Found++
	}
	if foundIn(p, first, per.PrevFrom, per.PrevThrough) {
		f.PrevFound++
	}
}

// earliestMeasure is the day the person's first measure was decided on:
// the decision's receipt, or the measure's start when that is missing;
// 0 when no measure carries either.
func earliestMeasure(p *Person) Day {
	var first Day
	for _, m := range p.Measures {
		d := m.Received
		if d == 0 {
			d = m.Start
		}
		if d != 0 && (first == 0 || d < first) {
			first = d
		}
	}
	return first
}

// foundIn: first found in the span, or tested positive in it; a person
// counts once however many positives they had.
func foundIn(p *Person, first, from, to Day) bool {
	if within(first, from, to) {
		return true
	}
	for _, t := range p.Tests {
		if t.Result == "positive" && within(t.Date, from, to) {
			return true
		}
	}
	return false
}

func countHandovers(f *YearFigures, p *Person, per YearPeriod) {
	for _, m := range p.Measures {
		switch {
		case m.Status != "handed_over":
		case m.End == 0:
			f.NoEndDate++
		case within(m.End, per.From, per.Through):
			f.Compulsory++
		case within(m.End, per.PrevFrom, per.PrevThrough):
			f.PrevCompulsory++
		}
	}
}

// YearFiguresOf counts a whole township for the year to date ending on through.
func YearFiguresOf(d *Data, through Day) YearFigures {
	per := YearToDate(through)
	var f YearFigures
	for _, p := range d.Persons {
		CountYear(&f, p, per)
	}
	return f
}
