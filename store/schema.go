package store

import (
	"slices"
	"sort"
)

// Kind names a kind of record: a person, a measure, a drug test...
type Kind string

// The kinds of record a township keeps.
const (
	KindPerson     Kind = "person"
	KindMeasure    Kind = "measure"
	KindAgreement  Kind = "agreement"
	KindDrugTest   Kind = "drug_test"
	KindVisit      Kind = "visit"
	KindLeave      Kind = "leave_report"
	KindViolation  Kind = "violation"
	KindRisk       Kind = "risk_assessment"
	KindAssistance Kind = "assistance"
	KindPlacement  Kind = "placement"
	KindStaff      Kind = "staff"
	KindVolunteer  Kind = "volunteer"
	KindAssignment Kind = "assignment"
	KindAttachment Kind = "attachment"
	KindGrid       Kind = "grid"
	KindSetting    Kind = "setting"
	KindAccount    Kind = "account"
)

// FieldType says how a field's text value is validated and shown.
type FieldType int

// Field types. Every value is stored as text; the type fixes its format.
const (
	TypeText     FieldType = iota // one line, trimmed
	TypeLongText                  // notes, may hold line breaks
	TypeName                      // a person's name (valid.ParseName)
	TypeIDNumber                  // 18-digit resident ID
	TypePhone                     // mobile or landline
	TypeDate                      // "2006-01-02"
	TypeEnum                      // one code of Field.Enum
	TypeEnumSet                   // comma-separated codes of Field.Enum
	TypeBool                      // "1" or ""
	TypeInt                       // decimal integer
	TypeRef                       // id of another record (Field.Ref kind)
	TypeCode                      // an administrative division code
	TypeCodeSet                   // comma-separated division codes (a staff member's villages)
)

// Field describes one field of a kind of record.
type Field struct {
	Name      string
	Type      FieldType
	Enum      string // enumeration name for TypeEnum/TypeEnumSet, see Enums
	Ref       Kind   // referenced kind for TypeRef
	Required  bool
	Derived   bool // computed by the store (e.g. birth date from the ID); not typed
	Sensitive bool // hidden from volunteers (test results, violations...)
	Max       int  // maximum length in characters, 0 = default
}

// Spec describes a kind of record.
type Spec struct {
	Kind Kind
	// PersonScoped kinds belong to one person through their "person" field.
	PersonScoped bool
	Fields       []Field
}

// Field returns the named field of the spec.
func (s *Spec) Field(name string) (Field, bool) {
	for _, f := range s.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

func person(fs ...Field) []Field {
	return append([]Field{{Name: "person", Type: TypeRef, Ref: KindPerson, Required: true}}, fs...)
}

var specs = map[Kind]*Spec{
	KindPerson: {Kind: KindPerson, Fields: []Field{
		{Name: "name", Type: TypeName, Required: true},
		{Name: "id_number", Type: TypeIDNumber, Required: true},
		{Name: "sex", Type: TypeEnum, Enum: "sex", Derived: true},
		{Name: "birth_date", Type: TypeDate, Derived: true},
		{Name: "ethnicity", Type: TypeText, Max: 20},
		{Name: "phone", Type: TypePhone},
		{Name: "household_address", Type: TypeText, Max: 200},
		{Name: "household_code", Type: TypeCode},
		{Name: "current_address", Type: TypeText, Max: 200},
		{Name: "village", Type: TypeCode},
		{Name: "grid", Type: TypeRef, Ref: KindGrid},
		{Name: "category", Type: TypeEnum, Enum: "person_category"},
		{Name: "drug_types", Type: TypeEnumSet, Enum: "drug"},
		{Name: "first_found", Type: TypeDate},
		{Name: "relapse", Type: TypeLongText},
		{Name: "risk", Type: TypeEnum, Enum: "risk"},
		{Name: "methadone", Type: TypeBool},
		{Name: "methadone_clinic", Type: TypeText, Max: 100},
		{Name: "methadone_start", Type: TypeDate},
		{Name: "employment", Type: TypeEnum, Enum: "employment"},
		{Name: "employer", Type: TypeText, Max: 100},
		// willing_to_work: the seed's 100 % placement target is of those able
		// and willing to work, so willingness is recorded apart from ability.
		{Name: "willing_to_work", Type: TypeBool},
		{Name: "poverty", Type: TypeBool},
		{Name: "dibao", Type: TypeBool},
		{Name: "medical_aid", Type: TypeBool},
		{Name: "family_help", Type: TypeLongText},
		{Name: "ill_disabled", Type: TypeBool},
		// lost_contact is the day contact was lost (失联/脱管), empty while
		// in contact; the monthly report counts it. Marking and clearing it
		// from a workflow screen is issue 18's.
		{Name: "lost_contact", Type: TypeDate},
		// found_date is the day the person was last found again, as the
		// officer gives it: a 失联 ends that day, not the day it was typed.
		{Name: "found_date", Type: TypeDate},
		{Name: "staff", Type: TypeRef, Ref: KindStaff},
		{Name: "notes", Type: TypeLongText},
		{Name: "ledger_extra", Type: TypeLongText},
	}},
	KindMeasure: {Kind: KindMeasure, PersonScoped: true, Fields: person(
		Field{Name: "type", Type: TypeEnum, Enum: "measure_type", Required: true},
		Field{Name: "decision_no", Type: TypeText, Max: 60},
		Field{Name: "authority", Type: TypeText, Max: 100},
		Field{Name: "decision_date", Type: TypeDate},
		Field{Name: "received_date", Type: TypeDate},
		Field{Name: "report_due", Type: TypeDate, Derived: true},
		Field{Name: "report_in_date", Type: TypeDate},
		Field{Name: "start_date", Type: TypeDate},
		Field{Name: "planned_end", Type: TypeDate},
		Field{Name: "end_date", Type: TypeDate},
		// suspended_date dates a 中止 so that the month of the suspension is
		// known; the status alone has no date.
		Field{Name: "suspended_date", Type: TypeDate},
		// resumed_date is the day the last 中止 was lifted, as the officer
		// gives it: the suspension ends that day, not the day it was typed.
		Field{Name: "resumed_date", Type: TypeDate},
		Field{Name: "status", Type: TypeEnum, Enum: "measure_status", Required: true},
		Field{Name: "confirm", Type: TypeBool}, // set by an import that inferred the status: the officer confirms it
		Field{Name: "notes", Type: TypeLongText},
	)},
	KindAgreement: {Kind: KindAgreement, PersonScoped: true, Fields: person(
		Field{Name: "measure", Type: TypeRef, Ref: KindMeasure},
		Field{Name: "signed_date", Type: TypeDate, Required: true},
		Field{Name: "staff_member", Type: TypeText, Max: 50},
		Field{Name: "police", Type: TypeText, Max: 50},
		Field{Name: "doctor", Type: TypeText, Max: 50},
		Field{Name: "family", Type: TypeText, Max: 50},
		Field{Name: "volunteer", Type: TypeText, Max: 50},
		Field{Name: "notes", Type: TypeLongText},
	)},
	KindDrugTest: {Kind: KindDrugTest, PersonScoped: true, Fields: person(
		Field{Name: "date", Type: TypeDate, Required: true},
		Field{Name: "sample", Type: TypeEnum, Enum: "sample", Required: true},
		Field{Name: "method", Type: TypeEnum, Enum: "test_method"},
		Field{Name: "plan", Type: TypeEnum, Enum: "test_plan"},
		Field{Name: "result", Type: TypeEnum, Enum: "test_result", Required: true, Sensitive: true},
		Field{Name: "collector1", Type: TypeText, Max: 50},
		Field{Name: "collector2", Type: TypeText, Max: 50},
		Field{Name: "notes", Type: TypeLongText, Sensitive: true},
	)},
	KindVisit: {Kind: KindVisit, PersonScoped: true, Fields: person(
		Field{Name: "date", Type: TypeDate, Required: true},
		Field{Name: "visitor_kind", Type: TypeEnum, Enum: "visitor_kind", Required: true},
		Field{Name: "visitor", Type: TypeText, Max: 50},
		Field{Name: "mode", Type: TypeEnum, Enum: "visit_mode", Required: true},
		Field{Name: "notes", Type: TypeLongText},
		Field{Name: "problems", Type: TypeLongText},
		Field{Name: "next_due", Type: TypeDate},
	)},
	KindLeave: {Kind: KindLeave, PersonScoped: true, Fields: person(
		Field{Name: "depart_date", Type: TypeDate, Required: true},
		Field{Name: "expected_return", Type: TypeDate},
		Field{Name: "actual_return", Type: TypeDate},
		Field{Name: "destination", Type: TypeText, Max: 200},
		Field{Name: "reason", Type: TypeLongText},
		Field{Name: "approved_by", Type: TypeText, Max: 50},
	)},
	KindViolation: {Kind: KindViolation, PersonScoped: true, Fields: person(
		Field{Name: "date", Type: TypeDate, Required: true},
		Field{Name: "kind", Type: TypeEnum, Enum: "violation", Required: true, Sensitive: true},
		Field{Name: "days", Type: TypeInt},
		Field{Name: "warning_letter", Type: TypeBool},
		Field{Name: "police_reported", Type: TypeDate},
		Field{Name: "notes", Type: TypeLongText, Sensitive: true},
	)},
	KindRisk: {Kind: KindRisk, PersonScoped: true, Fields: person(
		Field{Name: "date", Type: TypeDate, Required: true},
		Field{Name: "level", Type: TypeEnum, Enum: "risk", Required: true},
		Field{Name: "assessor", Type: TypeText, Max: 50},
		Field{Name: "notes", Type: TypeLongText, Sensitive: true},
	)},
	KindAssistance: {Kind: KindAssistance, PersonScoped: true, Fields: person(
		Field{Name: "date", Type: TypeDate, Required: true},
		Field{Name: "kind", Type: TypeEnum, Enum: "assistance", Required: true},
		Field{Name: "amount", Type: TypeInt},
		Field{Name: "provider", Type: TypeText, Max: 100},
		Field{Name: "notes", Type: TypeLongText},
	)},
	KindPlacement: {Kind: KindPlacement, PersonScoped: true, Fields: person(
		Field{Name: "date", Type: TypeDate, Required: true},
		Field{Name: "kind", Type: TypeEnum, Enum: "employment", Required: true},
		Field{Name: "employer", Type: TypeText, Max: 100},
		Field{Name: "notes", Type: TypeLongText},
	)},
	KindStaff: {Kind: KindStaff, Fields: []Field{
		{Name: "name", Type: TypeName, Required: true},
		{Name: "phone", Type: TypePhone},
		{Name: "role", Type: TypeEnum, Enum: "staff_role", Required: true},
		{Name: "villages", Type: TypeCodeSet, Max: 2000},
		{Name: "account", Type: TypeText, Max: 50}, // user name of their sign-in account
		{Name: "start_date", Type: TypeDate},
		{Name: "left_date", Type: TypeDate}, // not counted in the roster from this day
		{Name: "active", Type: TypeBool},
		{Name: "notes", Type: TypeLongText},
	}},
	KindVolunteer: {Kind: KindVolunteer, Fields: []Field{
		{Name: "name", Type: TypeName, Required: true},
		{Name: "phone", Type: TypePhone},
		{Name: "source", Type: TypeEnum, Enum: "volunteer_source", Required: true},
		{Name: "village", Type: TypeCode},
		{Name: "trained_date", Type: TypeDate},
		{Name: "insurance_expiry", Type: TypeDate},
		{Name: "active", Type: TypeBool},
		{Name: "notes", Type: TypeLongText},
	}},
	KindAssignment: {Kind: KindAssignment, PersonScoped: true, Fields: person(
		Field{Name: "role", Type: TypeEnum, Enum: "assignee_role", Required: true},
		Field{Name: "member", Type: TypeText, Required: true}, // staff or volunteer record id
		Field{Name: "start_date", Type: TypeDate},
		Field{Name: "end_date", Type: TypeDate},
	)},
	KindAttachment: {Kind: KindAttachment, PersonScoped: true, Fields: person(
		// event is the id of the event record (agreement, leave, test...) the
		// scan belongs to; empty for a document of the person's file.
		Field{Name: "event", Type: TypeText, Max: 64},
		Field{Name: "kind", Type: TypeEnum, Enum: "attachment", Required: true},
		Field{Name: "filename", Type: TypeText, Required: true, Max: 200},
		Field{Name: "mime", Type: TypeText, Max: 100},
		Field{Name: "size", Type: TypeInt},
		Field{Name: "sha256", Type: TypeText, Required: true, Max: 64},
		Field{Name: "notes", Type: TypeLongText},
	)},
	KindGrid: {Kind: KindGrid, Fields: []Field{
		{Name: "village", Type: TypeCode, Required: true},
		{Name: "name", Type: TypeText, Required: true, Max: 50},
	}},
	KindSetting: {Kind: KindSetting, Fields: []Field{
		{Name: "key", Type: TypeText, Required: true, Max: 100},
		{Name: "value", Type: TypeText, Max: 1000},
	}},
	KindAccount: {Kind: KindAccount, Fields: []Field{
		{Name: "username", Type: TypeText, Required: true, Max: 50},
		{Name: "display_name", Type: TypeText, Max: 50},
		{Name: "role", Type: TypeEnum, Enum: "account_role", Required: true},
		{Name: "volunteer", Type: TypeRef, Ref: KindVolunteer},
		{Name: "staff", Type: TypeRef, Ref: KindStaff},
		{Name: "disabled", Type: TypeBool},
	}},
}

// EventKinds are the records of a person's file an attachment may belong
// to (its "event" field): not an assignment, nor another attachment.
var EventKinds = []Kind{KindMeasure, KindAgreement, KindDrugTest, KindVisit,
	KindLeave, KindViolation, KindRisk, KindAssistance, KindPlacement}

// IsEventKind reports whether an attachment may belong to a record of kind k.
func IsEventKind(k Kind) bool { return slices.Contains(EventKinds, k) }

// SpecOf returns the description of a kind, or nil for an unknown kind.
func SpecOf(k Kind) *Spec { return specs[k] }

// Kinds lists every kind of record, sorted.
func Kinds() []Kind {
	ks := make([]Kind, 0, len(specs))
	for k := range specs {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i] < ks[j] })
	return ks
}
