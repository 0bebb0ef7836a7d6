package rules

import (
	"sort"
	"strconv"

	"rehabdesk/store"
)

// Data is a township's case files reduced to what rules and reports read,
// with dates as Day numbers and each person's events sorted by date.
type Data struct {
	Township   string
	Persons    []*Person
	Staff      []Staff
	Volunteers []Volunteer
}

// Person is one person file with its events.
type Person struct {
	ID, Name, IDNumber, Village string
	Risk, Employment            string
	Methadone                   bool
	StaffField                  string // the person's own "staff" link
	Registered                  Day    // China date the file was created
	FirstFound                  Day    // first found using drugs (首次查获), 0 if not recorded
	Measures                    []Measure
	Current                     int // index in Measures of the one in force, -1 for none
	Tests                       []Test
	Visits                      []Visit
	Violations                  []Violation
	Risks                       []RiskAssessment
	Leaves                      []Leave
	Assistance                  []Assistance
	Placements                  []Placement
	Assignments                 []Assignment
	Agreements                  []Day // days agreements were signed
	Report                      ReportFields
}

// ReportFields are the person's fields only the monthly report reads.
type ReportFields struct {
	Willing, Poverty, Dibao, MedicalAid, IllDisabled bool
	MethadoneStart, LostContact                      Day
}

// Measure is a 社区戒毒 (detox) or 社区康复 (rehab) measure.
type Measure struct {
	ID, Type, Status                                 string
	Received, ReportDue, ReportIn, Start, PlannedEnd Day
	End                                              Day
	Decided, Suspended                               Day // decision date, 中止 date
}

// Test is a drug test. Recorded, on every event, is the China date the
// record was first saved: reports count late entries by it.
type Test struct {
	Date     Day
	Result   string
	Recorded Day
}

// Visit is a visit or talk.
type Visit struct {
	Date        Day
	VisitorKind string
	Recorded    Day
}

// Violation is a breach of the agreement.
type Violation struct {
	Date           Day
	Kind           string
	Days           int
	PoliceReported Day
	Recorded       Day
}

// RiskAssessment is one periodic risk assessment.
type RiskAssessment struct {
	Date  Day
	Level string
}

// Leave is a leave report (外出报告): the day the person left, the return
// date reported (0: none) and the day they came back (0: not yet).
type Leave struct{ Depart, Expected, Returned, Recorded Day }

// Assistance is help given.
type Assistance struct {
	Date     Day
	Kind     string
	Recorded Day
}

// Placement is an employment placement.
type Placement struct {
	Date Day
	Kind string
}

// Assignment links a person to a staff member or volunteer.
type Assignment struct {
	Role, Member string
	Start, End   Day
}

// Staff is a township worker of the roster (store.Staff).
type Staff struct {
	ID, Name, Role string
	Villages       []string // village codes they cover
	Start, Left    Day      // on the roster from Start, until the day before Left (0: not set)
}

// OnRoster reports whether the member counts in the staffing ratio on a
// day: a full-time role (专干, 社工), started and not yet left.
func (s Staff) OnRoster(day Day) bool {
	return store.FullTime(s.Role) && (s.Start == 0 || s.Start <= day) && (s.Left == 0 || s.Left > day)
}

// Volunteer is a 禁毒志愿者.
type Volunteer struct {
	ID, Name        string
	InsuranceExpiry Day
	Active          bool
}

// CurrentMeasure is the measure in force, or nil.
func (p *Person) CurrentMeasure() *Measure {
	if p.Current < 0 || p.Current >= len(p.Measures) {
		return nil
	}
	return &p.Measures[p.Current]
}

// Kinds are the record kinds Build reads.
var Kinds = []store.Kind{
	store.KindPerson, store.KindMeasure, store.KindDrugTest, store.KindVisit, store.KindViolation,
	store.KindRisk, store.KindLeave, store.KindAssistance, store.KindPlacement, store.KindAssignment,
	store.KindStaff, store.KindVolunteer, store.KindAgreement,
}

// Build turns records (as store.LoadAll or store.RecordsAsOf return them) into
// Data. Persons transferred to another township are left out (their records
// stay on this device after a transfer), and so are events of persons not in
// the records.
func Build(township string, recs map[store.Kind][]*store.Record) *Data {
	b := NewBuilder(township)
	for _, k := range Kinds {
		for _, r := range recs[k] {
			b.Add(r)
		}
	}
	return b.Data()
}

// Builder makes Data from records given one at a time in any order, so that
// a large township can be streamed from the store without holding every
// decrypted record at once.
type Builder struct {
	township string
	persons  map[string]*Person
	order    []*Person
	real     map[string]bool            // persons that had their own record
	measures map[string][]*store.Record // kept whole: the store picks the current one
	staff    []*store.Record
	vols     []*store.Record
}

// NewBuilder starts an empty township.
func NewBuilder(township string) *Builder {
	return &Builder{township: township, persons: map[string]*Person{}, real: map[string]bool{},
		measures: map[string][]*store.Record{}}
}

// person returns the person of an id, creating a placeholder that a person
// record fills later; placeholders never filled are dropped by Data.
func (b *Builder) person(id string) *Person {
	p := b.persons[id]
	if p == nil {
		p = &Person{ID: id, Current: -1}
		b.persons[id] = p
		b.order = append(b.order, p)
	}
	return p
}

// Add takes one record of a kind the rules read; others are ignored.
func (b *Builder) Add(r *store.Record) {
	switch r.Kind {
	case store.KindPerson:
		if r.Township == "" || r.Township == b.township {
			p := b.person(r.ID)
			events := *p
			*p = *personOf(r)
			p.Tests, p.Visits, p.Violations, p.Risks = events.Tests, events.Visits, events.Violations, events.Risks
			p.Leaves, p.Assistance, p.Placements, p.Assignments = events.Leaves, events.Assistance, events.Placements, events.Assignments
			p.Agreements = events.Agreements
			b.real[r.ID] = true
		}
	case store.KindMeasure:
		b.measures[r.PersonID] = append(b.measures[r.PersonID], r)
	case store.KindStaff:
		b.staff = append(b.staff, r)
	case store.KindVolunteer:
		b.vols = append(b.vols, r)
	default:
		if add := eventAdders[r.Kind]; add != nil && r.PersonID != "" {
			add(b.person(r.PersonID), r)
		}
	}
}

// Data finishes the township: persons that had a person record, with their
// current measure chosen and their events sorted.
func (b *Builder) Data() *Data {
	d := &Data{Township: b.township}
	byID := map[string]*Person{}
	for _, p := range b.order {
		if !b.real[p.ID] {
			continue // events of a person this township does not have
		}
		p.sortEvents()
		byID[p.ID] = p
		d.Persons = append(d.Persons, p)
	}
	for _, ms := range b.measures {
		sort.Slice(ms, func(i, j int) bool { return ms[i].ID < ms[j].ID })
	}
	addMeasures(byID, b.measures)
	d.Staff, d.Volunteers = staffOf(b.staff), volunteersOf(b.vols)
	return d
}

func personOf(r *store.Record) *Person {
	return &Person{ID: r.ID, Name: r.Get("name"), IDNumber: r.Get("id_number"), Village: r.Get("village"),
		Risk: r.Get("risk"), Employment: r.Get("employment"), Methadone: r.Get("methadone") == "1",
		StaffField: r.Get("staff"), Registered: DayOfChina(r.Created), FirstFound: ParseDay(r.Get("first_found")),
		Current: -1, Report: ReportFields{Willing: r.Get("willing_to_work") == "1", Poverty: r.Get("poverty") == "1",
			Dibao: r.Get("dibao") == "1", MedicalAid: r.Get("medical_aid") == "1", IllDisabled: r.Get("ill_disabled") == "1",
			MethadoneStart: ParseDay(r.Get("methadone_start")), LostContact: ParseDay(r.Get("lost_contact"))}}
}

// addMeasures attaches measures and marks each person's current one with
// the store's own choice, so the engine and the GUI agree on it.
func addMeasures(byID map[string]*Person, groups map[string][]*store.Record) {
	for pid, list := range groups {
		p := byID[pid]
		if p == nil {
			continue
		}
		cur := store.CurrentMeasure(list)
		for _, r := range list {
			if r == cur {
				p.Current = len(p.Measures)
			}
			p.Measures = append(p.Measures, measureOf(r))
		}
	}
}

func measureOf(r *store.Record) Measure {
	return Measure{ID: r.ID, Type: r.Get("type"), Status: r.Get("status"),
		Received: ParseDay(r.Get("received_date")), ReportDue: ParseDay(r.Get("report_due")),
		ReportIn: ParseDay(r.Get("report_in_date")), Start: ParseDay(r.Get("start_date")),
		PlannedEnd: ParseDay(r.Get("planned_end")), End: ParseDay(r.Get("end_date")),
		Decided: ParseDay(r.Get("decision_date")), Suspended: ParseDay(r.Get("suspended_date"))}
}

var eventAdders = map[store.Kind]func(*Person, *store.Record){
	store.KindDrugTest: func(p *Person, r *store.Record) {
		p.Tests = append(p.Tests, Test{ParseDay(r.Get("date")), r.Get("result"), recorded(r)})
	},
	store.KindVisit: func(p *Person, r *store.Record) {
		p.Visits = append(p.Visits, Visit{ParseDay(r.Get("date")), r.Get("visitor_kind"), recorded(r)})
	},
	store.KindViolation: func(p *Person, r *store.Record) {
		days, _ := strconv.Atoi(r.Get("days"))
		p.Violations = append(p.Violations, Violation{ParseDay(r.Get("date")), r.Get("kind"), days,
			ParseDay(r.Get("police_reported")), recorded(r)})
	},
	store.KindRisk: func(p *Person, r *store.Record) {
		p.Risks = append(p.Risks, RiskAssessment{ParseDay(r.Get("date")), r.Get("level")})
	},
	store.KindLeave: func(p *Person, r *store.Record) {
		p.Leaves = append(p.Leaves, Leave{ParseDay(r.Get("depart_date")), ParseDay(r.Get("expected_return")),
			ParseDay(r.Get("actual_return")), recorded(r)})
	},
	store.KindAssistance: func(p *Person, r *store.Record) {
		p.Assistance = append(p.Assistance, Assistance{ParseDay(r.Get("date")), r.Get("kind"), recorded(r)})
	},
	store.KindPlacement: func(p *Person, r *store.Record) {
		p.Placements = append(p.Placements, Placement{ParseDay(r.Get("date")), r.Get("kind")})
	},
	store.KindAgreement: func(p *Person, r *store.Record) {
		p.Agreements = append(p.Agreements, ParseDay(r.Get("signed_date")))
	},
	store.KindAssignment: func(p *Person, r *store.Record) {
		p.Assignments = append(p.Assignments, Assignment{r.Get("role"), r.Get("member"),
			ParseDay(r.Get("start_date")), ParseDay(r.Get("end_date"))})
	},
}

// recorded is the China date a record was first saved.
func recorded(r *store.Record) Day { return DayOfChina(r.Created) }

// sortEvents orders every log by date; rules rely on it for "last" and
// for evidence listed in date order.
func (p *Person) sortEvents() {
	sort.SliceStable(p.Tests, func(i, j int) bool { return p.Tests[i].Date < p.Tests[j].Date })
	sort.SliceStable(p.Visits, func(i, j int) bool { return p.Visits[i].Date < p.Visits[j].Date })
	sort.SliceStable(p.Violations, func(i, j int) bool { return p.Violations[i].Date < p.Violations[j].Date })
	sort.SliceStable(p.Risks, func(i, j int) bool { return p.Risks[i].Date < p.Risks[j].Date })
}

func staffOf(rs []*store.Record) []Staff {
	out := make([]Staff, 0, len(rs))
	for _, r := range rs {
		out = append(out, Staff{ID: r.ID, Name: r.Get("name"), Role: r.Get("role"), Villages: store.VillageCodes(r.Get("villages")),
			Start: ParseDay(r.Get("start_date")), Left: ParseDay(r.Get("left_date"))})
	}
	return out
}

func volunteersOf(rs []*store.Record) []Volunteer {
	out := make([]Volunteer, 0, len(rs))
	for _, r := range rs {
		out = append(out, Volunteer{r.ID, r.Get("name"), ParseDay(r.Get("insurance_expiry")), r.Get("active") == "1"})
	}
	return out
}
