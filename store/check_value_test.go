package store

import (
	"errors"
	"strings"
	"testing"
	"time"

	"rehabdesk/store/valid"
)

// TestCheckValueRefusesWhatTheStoreWouldNotStore: values pushed by hand
// (a drug-test result "banana", a 10 MB name, a label instead of a code)
// fail, each with the field named.
func TestCheckValueRefusesWhatTheStoreWouldNotStore(t *testing.T) {
	today := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		kind     Kind
		field, v string
		code     string
	}{
		{KindDrugTest, "result", "banana", valid.CodeEnum},
		{KindDrugTest, "result", "阳性", valid.CodeEnum}, // a label: the store keeps codes
		{KindPerson, "drug_types", "heroin,banana", valid.CodeEnum},
		{KindPerson, "name", strings.Repeat("张", 10<<20), valid.CodeTooLong},
		{KindPerson, "name", "<script>", valid.CodeName},
		{KindPerson, "id_number", "520102199001011234", valid.CodeIDChecksum},
		{KindPerson, "phone", "call me", valid.CodePhone},
		{KindPerson, "sex", "x", valid.CodeEnum},
		{KindPerson, "methadone", "true", valid.CodeEnum},
		{KindPerson, "village", "52010201600a", valid.CodeEnum},
		{KindPerson, "current_address", strings.Repeat("路", 201), valid.CodeTooLong},
		{KindPerson, "notes", strings.Repeat("记", 4001), valid.CodeTooLong},
		{KindVisit, "date", "2026.5.3", valid.CodeDate},
		{KindVisit, "date", "2026-02-30", valid.CodeDate},
		{KindViolation, "days", "1.5", valid.CodeRange},
		{KindStaff, "villages", "520102016001,x", valid.CodeEnum},
	} {
		err := CheckValue(c.kind, c.field, c.v, today)
		var ve *valid.Error
		if !errors.As(err, &ve) || ve.Code != c.code || ve.Field != c.field {
			t.Errorf("%s.%s = %.20q: %v, want %s", c.kind, c.field, c.v, err, c.code)
		}
	}
	for _, ok := range [][3]string{{"person", "notes", ""}, {"person", "no_such_field", "x"}, {"drug_test", "result", "positive"}} {
		if err := CheckValue(Kind(ok[0]), ok[1], ok[2], today); err != nil {
			t.Errorf("%v refused: %v", ok, err)
		}
	}
}

// TestCheckValuePassesWhatTheStoreStores: every value a device stores,
// from the forms officers type and ledgers hold, passes the check the
// county applies to it; else the county would refuse an officer's edit.
func TestCheckValuePassesWhatTheStoreStores(t *testing.T) {
	s := newTestStore(t)
	p := mustPut(t, s, KindPerson, "", map[string]string{"name": " 阿依古丽·买买提 ", "id_number": "520102900101123", "phone": "138 0000 0000",
		"drug_types": "海洛因、冰毒", "risk": "高风险", "methadone": "是", "first_found": "2019.5.3", "village": "520102016001",
		"employment": "务农", "notes": "第一行\n第二行", "current_address": "ＡＢＣ路１号"})
	mustPut(t, s, KindDrugTest, "", map[string]string{"person": p, "date": "20240503", "sample": "尿检", "result": "阴性", "method": "现场检测"})
	mustPut(t, s, KindMeasure, "", map[string]string{"person": p, "type": "社区戒毒", "received_date": "2024年5月3日", "report_in_date": "2024/5/10"})
	mustPut(t, s, KindStaff, "", map[string]string{"name": "王强", "role": "禁毒专干", "villages": "520102016001、520102016002", "active": "1"})
	mustPut(t, s, KindViolation, "", map[string]string{"person": p, "date": "45000", "kind": "擅自离开", "days": "12"})
	n := 0
	for _, c := range allChanges(t, s) {
		for f, v := range c.Fields {
			n++
			if err := CheckValue(c.Kind, f, v, s.Today()); err != nil {
				t.Errorf("%s.%s = %q, stored here, fails the check: %v", c.Kind, f, v, err)
			}
		}
	}
	if n < 25 {
		t.Fatalf("only %d values checked", n)
	}
}
