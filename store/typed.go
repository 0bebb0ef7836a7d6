package store

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"sync"
)

// Meta is embedded in every typed record: what the store keeps about a
// record besides its fields.
type Meta struct {
	ID       string
	Township string
	Archived bool
}

// Entity is a typed record. Its exported fields carry `field:"name"` tags
// naming the store fields; string, bool and int fields are supported.
type Entity interface {
	Kind() Kind
	meta() *Meta
}

func (m *Meta) meta() *Meta { return m }

// Person is the person file (一人一档) as a Go value.
type Person struct {
	Meta
	Name             string `field:"name"`
	IDNumber         string `field:"id_number"`
	Sex              string `field:"sex"`
	BirthDate        string `field:"birth_date"`
	Ethnicity        string `field:"ethnicity"`
	Phone            string `field:"phone"`
	HouseholdAddress string `field:"household_address"`
	HouseholdCode    string `field:"household_code"`
	CurrentAddress   string `field:"current_address"`
	Village          string `field:"village"`
	Grid             string `field:"grid"`
	DrugTypes        string `field:"drug_types"`
	FirstFound       string `field:"first_found"`
	Relapse          string `field:"relapse"`
	Risk             string `field:"risk"`
	Methadone        bool   `field:"methadone"`
	MethadoneClinic  string `field:"methadone_clinic"`
	MethadoneStart   string `field:"methadone_start"`
	Employment       string `field:"employment"`
	Employer         string `field:"employer"`
	WillingToWork    bool   `field:"willing_to_work"`
	Poverty          bool   `field:"poverty"`
	Dibao            bool   `field:"dibao"`
	MedicalAid       bool   `field:"medical_aid"`
	FamilyHelp       string `field:"family_help"`
	IllDisabled      bool   `field:"ill_disabled"`
	LostContact      string `field:"lost_contact"`
	Staff            string `field:"staff"`
	Notes            string `field:"notes"`
	LedgerExtra      string `field:"ledger_extra"`
}

// Kind implements Entity.
func (*Person) Kind() Kind { return KindPerson }

// Measure is a 社区戒毒 or 社区康复 decision and its execution.
type Measure struct {
	Meta
	Person        string `field:"person"`
	Type          string `field:"type"`
	DecisionNo    string `field:"decision_no"`
	Authority     string `field:"authority"`
	DecisionDate  string `field:"decision_date"`
	ReceivedDate  string `field:"received_date"`
	ReportDue     string `field:"report_due"`
	ReportInDate  string `field:"report_in_date"`
	StartDate     string `field:"start_date"`
	PlannedEnd    string `field:"planned_end"`
	EndDate       string `field:"end_date"`
	SuspendedDate string `field:"suspended_date"`
	Status        string `field:"status"`
	Notes         string `field:"notes"`
}

// Kind implements Entity.
func (*Measure) Kind() Kind { return KindMeasure }

// DrugTest is one drug test (尿检/毛发/血).
type DrugTest struct {
	Meta
	Person     string `field:"person"`
	Date       string `field:"date"`
	Sample     string `field:"sample"`
	Method     string `field:"method"`
	Plan       string `field:"plan"`
	Result     string `field:"result"`
	Collector1 string `field:"collector1"`
	Collector2 string `field:"collector2"`
	Notes      string `field:"notes"`
}

// Kind implements Entity.
func (*DrugTest) Kind() Kind { return KindDrugTest }

// Visit is a visit or talk (走访/谈心谈话).
type Visit struct {
	Meta
	Person      string `field:"person"`
	Date        string `field:"date"`
	VisitorKind string `field:"visitor_kind"`
	Visitor     string `field:"visitor"`
	Mode        string `field:"mode"`
	Notes       string `field:"notes"`
	Problems    string `field:"problems"`
	NextDue     string `field:"next_due"`
}

// Kind implements Entity.
func (*Visit) Kind() Kind { return KindVisit }

// Volunteer is a 禁毒志愿者.
type Volunteer struct {
	Meta
	Name            string `field:"name"`
	Phone           string `field:"phone"`
	Source          string `field:"source"`
	Village         string `field:"village"`
	TrainedDate     string `field:"trained_date"`
	InsuranceExpiry string `field:"insurance_expiry"`
	Active          bool   `field:"active"`
	Notes           string `field:"notes"`
}

// Kind implements Entity.
func (*Volunteer) Kind() Kind { return KindVolunteer }

// Assignment links a person to a staff member or volunteer.
type Assignment struct {
	Meta
	Person    string `field:"person"`
	Role      string `field:"role"`
	Member    string `field:"member"`
	StartDate string `field:"start_date"`
	EndDate   string `field:"end_date"`
}

// Kind implements Entity.
func (*Assignment) Kind() Kind { return KindAssignment }

// Save creates or updates a typed record; on success its ID is set.
func Save(ctx context.Context, s *Store, e Entity) error {
	fields, err := toFields(e)
	if err != nil {
		return err
	}
	m := e.meta()
	err = s.Update(ctx, func(tx *Tx) error {
		cur, err := tx.current(e.Kind(), m.ID)
		if err != nil {
			return err
		}
		// Fields cleared in the struct are cleared in the record.
		for f := range cur.Fields {
			if _, ok := fields[f]; !ok && f[0] != '_' {
				fields[f] = ""
			}
		}
		m.ID, err = tx.Put(e.Kind(), cur.ID, withoutDerived(e.Kind(), fields))
		return err
	})
	if err != nil {
		return err
	}
	return Load(ctx, s, m.ID, e)
}

// Load reads a record into a typed value.
func Load(ctx context.Context, s *Store, id string, e Entity) error {
	r, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	if r.Kind != e.Kind() {
		return fmt.Errorf("record %s is a %s, not a %s", id, r.Kind, e.Kind())
	}
	return FromRecord(r, e)
}

// FromRecord copies a record's fields into a typed value.
func FromRecord(r *Record, e Entity) error {
	*e.meta() = Meta{ID: r.ID, Township: r.Township, Archived: r.Archived}
	v := reflect.ValueOf(e).Elem()
	for i, name := range tagsOf(v.Type()) {
		if name == "" {
			continue
		}
		if err := setValue(v.Field(i), r.Fields[name]); err != nil {
			return fmt.Errorf("%s.%s: %w", r.Kind, name, err)
		}
	}
	return nil
}

func withoutDerived(k Kind, fields map[string]string) map[string]string {
	for _, f := range SpecOf(k).Fields {
		if f.Derived {
			delete(fields, f.Name)
		}
	}
	return fields
}

func toFields(e Entity) (map[string]string, error) {
	v := reflect.ValueOf(e).Elem()
	out := map[string]string{}
	for i, name := range tagsOf(v.Type()) {
		if name == "" {
			continue
		}
		switch f := v.Field(i); f.Kind() {
		case reflect.String:
			out[name] = f.String()
		case reflect.Bool:
			out[name] = flag(f.Bool())
		case reflect.Int, reflect.Int64:
			out[name] = strconv.FormatInt(f.Int(), 10)
		default:
			return nil, fmt.Errorf("field %s: unsupported Go type %s", name, f.Type())
		}
	}
	return out, nil
}

func setValue(f reflect.Value, s string) error {
	switch f.Kind() {
	case reflect.String:
		f.SetString(s)
	case reflect.Bool:
		f.SetBool(s == "1")
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(s, 10, 64)
		if s != "" && err != nil {
			return err
		}
		f.SetInt(n)
	}
	return nil
}

var tagCache sync.Map // reflect.Type -> []string

// tagsOf lists the field tag of each struct field ("" for untagged ones).
func tagsOf(t reflect.Type) []string {
	if v, ok := tagCache.Load(t); ok {
		return v.([]string)
	}
	names := make([]string, t.NumField())
	for i := range names {
		names[i] = t.Field(i).Tag.Get("field")
	}
	tagCache.Store(t, names)
	return names
}
