package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/store"
)

// prefLastCollector2 remembers the second collector of the last drug test
// entered on this machine: officers test in the same pairs for months.
const prefLastCollector2 = "last_collector2"

// oneTapEnums are the enums shown as a row of radio buttons rather than a
// drop-down, so the usual choice (a test result) is one tap, not two.
var oneTapEnums = map[string]bool{"test_result": true}

// commonDefaults are the usual case when a person has no earlier record.
var commonDefaults = map[store.Kind]map[string]string{
	store.KindDrugTest: {"sample": "urine", "method": "onsite", "plan": "planned"},
	store.KindVisit:    {"visitor_kind": "staff", "mode": "home"},
}

// habitFields are the fields whose most used value for this person is
// proposed for a new record of the kind.
var habitFields = map[store.Kind][]string{
	store.KindDrugTest: {"sample", "method", "plan"},
	store.KindVisit:    {"mode"},
}

// entryDefaults proposes the values of a new test or visit: today, the
// signed-in staff member, the last second collector, and what this
// person's earlier records of the kind most often had.
func (u *UI) entryDefaults(kind store.Kind, person string) map[string]string {
	base, ok := commonDefaults[kind]
	if !ok {
		return nil
	}
	vals := map[string]string{"date": u.st.Today().Format("2006-01-02")}
	for k, v := range base {
		vals[k] = v
	}
	recs, err := u.st.List(u.ctx, kind, store.ListFilter{PersonID: person})
	if err == nil {
		for _, name := range habitFields[kind] {
			if v := mostUsed(recs, name); v != "" {
				vals[name] = v
			}
		}
	}
	if kind == store.KindDrugTest {
		vals["collector1"] = u.myName()
		vals["collector2"] = u.app.Preferences().String(prefLastCollector2)
	} else {
		vals["visitor"] = u.myName()
	}
	return vals
}

// mostUsed is the value of a field most records have; ties go to the
// newest (records are listed oldest first).
func mostUsed(recs []*store.Record, field string) string {
	count := map[string]int{}
	best := ""
	for _, r := range recs {
		v := r.Get(field)
		if v == "" {
			continue
		}
		count[v]++
		if count[v] >= count[best] {
			best = v
		}
	}
	return best
}

// myName is the signed-in account's name on the staff roster, or the
// account name when it has no roster entry.
func (u *UI) myName() string {
	user := u.st.Session().User
	staff, err := u.st.List(u.ctx, store.KindStaff, store.ListFilter{})
	if err != nil {
		return user
	}
	for _, r := range staff {
		if r.Get("account") == user && r.Get("name") != "" {
			return r.Get("name")
		}
	}
	return user
}

// rememberCollector keeps the second collector of a saved test for the
// next one.
func (u *UI) rememberCollector(f *recordForm) {
	if in, ok := f.in["collector2"]; ok && f.kind == store.KindDrugTest {
		u.app.Preferences().SetString(prefLastCollector2, in.value())
	}
}

// radioInput is a required enum as a row of radio buttons: one tap.
type radioInput struct {
	r     *widget.RadioGroup
	codes []string
	label []string
}

func newRadioInput(enum string) *radioInput {
	in := &radioInput{}
	for _, o := range store.Enums[enum] {
		in.codes = append(in.codes, o.Code)
		in.label = append(in.label, enumLabel(enum, o.Code))
	}
	in.r = &widget.RadioGroup{Options: in.label, Horizontal: true, Required: true}
	in.r.ExtendBaseWidget(in.r)
	return in
}

func (in *radioInput) value() string {
	for i, l := range in.label {
		if l == in.r.Selected {
			return in.codes[i]
		}
	}
	return ""
}

func (in *radioInput) set(v string) {
	for i, c := range in.codes {
		if c == v {
			in.r.SetSelected(in.label[i])
			return
		}
	}
	if v != "" { // a code this device does not list is kept, as in choiceInput
		in.codes, in.label = append(in.codes, v), append(in.label, v)
		in.r.Options = in.label
		in.r.SetSelected(v)
		return
	}
	in.r.SetSelected("")
}

func (in *radioInput) object() fyne.CanvasObject { return in.r }
func (in *radioInput) onChanged(f func())        { in.r.OnChanged = func(string) { f() } }
