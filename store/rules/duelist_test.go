package rules

import "testing"

// TestDueByListsWhoFallsDueByTheDay: a test due on the month's last day is
// listed, one due the day after is not, one tested this month is not, and
// the list runs by village then name.
func TestDueByListsWhoFallsDueByTheDay(t *testing.T) {
	mk := func(id, name, village, lastTest string) *Person {
		p := person("2026-01-01")
		p.ID, p.Name, p.Village = id, name, village
		p.Tests = []Test{{Date: d(lastTest), Result: "negative"}}
		return p
	}
	data := &Data{Persons: []*Person{
		mk("a", "王五", "520102016002", "2026-10-30"), // due 11-30
		mk("b", "李四", "520102016001", "2026-10-31"), // due 11-30 (clamped)
		mk("c", "赵六", "520102016001", "2026-11-01"), // due 12-01: not yet
		mk("d", "钱七", "520102016001", "2026-11-10"), // tested this month
		mk("e", "孙八", "520102016001", "2026-09-15"), // overdue since 10-15
	}}
	got := DueBy(data, TestDue, d("2026-11-30"), DefaultThresholds())
	var ids string
	for _, it := range got {
		ids += it.Person.ID
	}
	if ids != "bea" {
		t.Fatalf("due by 11-30: %q, want bea (village 001 by pinyin: li, sun; then 002)", ids)
	}
	if got[1].Due != d("2026-10-15") {
		t.Errorf("孙八 due %s, want 2026-10-15", got[1].Due)
	}
	if n := len(DueBy(data, VisitDue, d("2026-11-30"), DefaultThresholds())); n != 5 {
		t.Errorf("%d visits due, want 5 (no visit ever, started in January)", n)
	}
}

func TestCurrentStaffPrefersTheOwnLink(t *testing.T) {
	p := person("2026-01-01")
	if got := p.CurrentStaff(); got != "s1" {
		t.Errorf("from the assignment: %q", got)
	}
	p.StaffField = "s9"
	if got := p.CurrentStaff(); got != "s9" {
		t.Errorf("own link: %q", got)
	}
}
