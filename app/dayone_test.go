package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
	"rehabdesk/store/rules"
)

// personIn stores a person under 社区康复 since 2025 with no test or visit
// yet, so that test and visit alerts are due.
func personIn(t *testing.T, st *store.Store, name, body, village string) string {
	t.Helper()
	ctx := context.Background()
	id, err := st.Put(ctx, store.KindPerson, "", map[string]string{"name": name, "id_number": storetest.IDNumber(body), "village": village})
	if err == nil {
		_, err = st.Put(ctx, store.KindMeasure, "", map[string]string{"person": id, "type": "rehab", "start_date": "2025-01-01", "planned_end": "2027-12-31"})
	}
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// Home groups the alerts by kind and urgency with counts; a group opens a
// list filtered by village and 专干, and a row opens the person.
func TestHomeGroupsTasksAndFiltersByVillageAndStaff(t *testing.T) {
	u := signedInUI(t, LangZH)
	st, ctx := u.st, context.Background()
	const a, b = testTownship + "001", testTownship + "002"
	personIn(t, st, "张三", "52010219900101001", a)
	personIn(t, st, "李四", "52010219900101002", a)
	wang := personIn(t, st, "王五", "52010219900101003", b)
	staff, err := st.AddStaff(ctx, map[string]string{"name": "周专干", "role": "officer"})
	if err == nil {
		_, err = st.AssignVillage(ctx, staff, a)
	}
	if err != nil {
		t.Fatal(err)
	}
	u.shell.reloadAlerts()
	u.shell.show(navHome)
	tasks := u.shell.home.tasks
	visits := -1
	for i, g := range tasks.groups {
		if g.rule == "visit_due" {
			visits = i
		}
	}
	if visits < 0 || len(tasks.groups[visits].alerts) != 3 {
		t.Fatalf("no group of 3 visits due among %d groups", len(tasks.groups))
	}
	if got := texts(tasks.groupList); !strings.Contains(got, "— 3 条") {
		t.Fatalf("the overview shows no counts:\n%s", got)
	}
	tasks.openGroup(visits)
	for _, c := range []struct {
		village, staff int // option indexes
		want           int
	}{{0, 0, 3}, {2, 0, 1}, {1, 0, 2}, {0, 1, 1}, {0, 2, 2}} {
		tasks.filter.village.SetSelectedIndex(c.village)
		tasks.filter.staff.SetSelectedIndex(c.staff)
		if len(tasks.alerts) != c.want {
			t.Errorf("village %q, staff %q: %d rows, want %d", tasks.filter.village.Selected, tasks.filter.staff.Selected, len(tasks.alerts), c.want)
		}
	}
	tasks.filter.village.SetSelectedIndex(2) // 王五's village
	tasks.filter.staff.SetSelectedIndex(0)
	tasks.onSelected(0)
	if f := u.shell.people.file; f == nil || f.id != wang {
		t.Fatal("the row did not open the person")
	}
}

// The staff roster is a screen of its own, and the staffing alert counts it.
func TestStaffScreenListsTheRoster(t *testing.T) {
	u := signedInUI(t, LangZH)
	if _, err := u.st.AddStaff(context.Background(), map[string]string{"name": "周专干", "role": "officer", "phone": "13800000001", "villages": testTownship + "001"}); err != nil {
		t.Fatal(err)
	}
	u.shell.show(navStaff)
	sc := u.shell.staff
	got := texts(sc.status)
	for col := range staffColumns {
		l := &widget.Label{}
		sc.updateCell(widget.TableCellID{Row: 0, Col: col}, l)
		got += l.Text + "\n"
	}
	for _, want := range []string{"周专干", "13800000001", "纪念塔", "名册共 1 人"} {
		if !strings.Contains(got, want) {
			t.Errorf("staff screen lacks %q:\n%s", want, got)
		}
	}
}

// The first import proposes the start-of-use date; saving it sets the
// township's baseline.
func TestFirstImportProposesTheBaseline(t *testing.T) {
	u := signedInUI(t, LangZH)
	u.shell.show(navImport)
	u.shell.ledger.startImport("../store/ledger/testdata/dayone.csv")
	if got := overlayText(u); !strings.Contains(got, "从哪一天开始使用本系统") || !strings.Contains(got, rules.Today(u.st).String()) {
		t.Fatalf("no baseline proposal after the first import:\n%s", got)
	}
	saveBaseline(u, "2026-12-01")
	if d, err := rules.Baseline(context.Background(), u.st); err != nil || d.String() != "2026-12-01" {
		t.Fatalf("baseline %v, %v", d, err)
	}
}

// A value the import set aside and a measure it took as ended are flagged on
// the person's file until the officer marks them done.
func TestImportFlagsStayOnTheFileUntilDone(t *testing.T) {
	u := signedInUI(t, LangZH)
	u.shell.show(navImport)
	u.shell.ledger.startImport("../store/ledger/testdata/dayone.csv")
	ids := map[string]string{}
	ps, err := u.st.List(context.Background(), store.KindPerson, store.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		ids[p.Get("name")] = p.ID
	}
	u.shell.show(navPeople)
	u.shell.people.openPerson(ids["周敏"])
	f := u.shell.people.file
	if got := texts(f.alerts); !strings.Contains(got, "台账中未能导入的值：人员类型：戒毒康复") || !strings.Contains(got, "风险等级：极高") {
		t.Fatalf("周敏's file shows no flags:\n%s", got)
	}
	flags := func() (n int, last *fyne.Container) {
		for _, o := range f.alerts.Objects {
			if c, ok := o.(*fyne.Container); ok {
				n, last = n+1, c
			}
		}
		return n, last
	}
	before, last := flags()
	test.Tap(last.Objects[1].(*widget.Button))
	if after, _ := flags(); before != 6 || after != 5 {
		t.Fatalf("flags: %d before done, %d after, want 6 then 5:\n%s", before, after, texts(f.alerts))
	}
	u.shell.people.openPerson(ids["赵丽"])
	if got := texts(u.shell.people.file.alerts); !strings.Contains(got, "待确认——社区戒毒") || !strings.Contains(got, "期满解除") {
		t.Fatalf("赵丽's ended measure is not flagged:\n%s", got)
	}
}

// A township whose persons were entered 30 days ago and whose roster is
// still empty is reminded, on Home, to fill it in (not on day 29); the
// reminder opens the roster page.
func TestEmptyRosterReminderOpensTheRoster(t *testing.T) {
	clock := storetest.NewClock(time.Now()) // the database's own clock (HLC) is already at now
	opt := testOptions()
	opt.Store.Now = clock.Now
	u := newTestUIWith(t, newDB(t), LangZH, opt)
	signInWith(t, u, testUser, testPassword)
	personIn(t, u.st, "张三", "52010219900101001", testTownship+"001")
	roster := func() int {
		t.Helper()
		u.shell.reloadAlerts()
		u.shell.show(navHome)
		for i, g := range u.shell.home.tasks.groups {
			if g.rule == rules.StaffRosterEmpty.ID {
				return i
			}
		}
		return -1
	}
	clock.Add(29 * 24 * time.Hour)
	if i := roster(); i >= 0 {
		t.Fatalf("reminded on day 29 (%s)", u.st.Today())
	}
	clock.Add(24 * time.Hour)
	i := roster()
	if i < 0 || !strings.Contains(texts(u.shell.home.tasks.groupList), "尚未登记禁毒专职人员") {
		t.Fatalf("no reminder on day 30 (%s): %s", u.st.Today(), texts(u.win.Content()))
	}
	tasks := u.shell.home.tasks
	tasks.openGroup(i)
	if got := texts(tasks.list); !strings.Contains(got, "“专干名册”页") {
		t.Errorf("the reminder does not say where the roster is: %s", got)
	}
	tasks.onSelected(0)
	if u.shell.tabs.SelectedIndex() != navStaff {
		t.Errorf("the reminder opened page %d, not the roster", u.shell.tabs.SelectedIndex())
	}
}
