package app

import (
	"maps"
	"slices"
	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/assets"
	"rehabdesk/store/rules"
)

// alertGroup is one line of the task overview: the alerts of one rule at
// one urgency. A township's day one has hundreds of alerts of a few kinds;
// the overview shows the kinds and how many, and a group opens its list.
type alertGroup struct {
	rule   string
	sev    rules.Severity
	alerts []rules.Alert
}

// groupAlerts groups alerts by rule and urgency, most urgent first, then
// the larger groups.
func groupAlerts(as []rules.Alert) []alertGroup {
	index := map[[2]string]int{}
	var out []alertGroup
	for _, a := range as {
		k := [2]string{a.Rule, a.Severity.String()}
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, alertGroup{rule: a.Rule, sev: a.Severity})
		}
		out[i].alerts = append(out[i].alerts, a)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].sev != out[j].sev {
			return out[i].sev < out[j].sev
		}
		return len(out[i].alerts) > len(out[j].alerts)
	})
	return out
}

// groupFilter narrows an open group to a village and a 专干.
type groupFilter struct {
	village, staff *widget.Select
	villages       []string // codes, parallel to village.Options; "" is every village
	staffIDs       []string // ids, parallel to staff.Options; "" every one, noStaff none assigned
}

// noStaff selects the persons without a 专干.
const noStaff = "-"

func newGroupFilter(changed func()) *groupFilter {
	f := &groupFilter{}
	f.village = widget.NewSelect(nil, func(string) { changed() })
	f.staff = widget.NewSelect(nil, func(string) { changed() })
	return f
}

// reset offers the villages and staff of the group's persons.
func (f *groupFilter) reset(g *alertGroup, villageOf, staffOf func(string) string, staffName func(string) string) {
	vs, ss := map[string]bool{}, map[string]bool{}
	for _, a := range g.alerts {
		if a.PersonID != "" {
			vs[villageOf(a.PersonID)], ss[staffOf(a.PersonID)] = true, true
		}
	}
	f.villages, f.staffIDs = []string{""}, []string{""}
	vopts, sopts := []string{T("home.filter.all_villages")}, []string{T("home.filter.all_staff")}
	for _, v := range slices.Sorted(maps.Keys(vs)) {
		if v != "" {
			f.villages, vopts = append(f.villages, v), append(vopts, assets.Name(v))
		}
	}
	for _, s := range slices.Sorted(maps.Keys(ss)) {
		label := staffName(s)
		if s == "" {
			s, label = noStaff, T("home.filter.no_staff")
		}
		f.staffIDs, sopts = append(f.staffIDs, s), append(sopts, label)
	}
	f.village.Options, f.staff.Options = vopts, sopts
	f.village.SetSelectedIndex(0)
	f.staff.SetSelectedIndex(0)
}

// keep reports whether a person passes the filters.
func (f *groupFilter) keep(village, staff string) bool {
	v, s := f.village.SelectedIndex(), f.staff.SelectedIndex()
	if v > 0 && f.villages[v] != village {
		return false
	}
	if s > 0 {
		want := f.staffIDs[s]
		return (want == noStaff && staff == "") || want == staff
	}
	return true
}

// objects are the filter widgets with their labels.
func (f *groupFilter) objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{widget.NewLabel(T("home.filter.village")), f.village, widget.NewLabel(T("home.filter.staff")), f.staff}
}

// groupRow shows a group: its urgency, the rule and how many.
func newGroupRow() fyne.CanvasObject { return newAlertRow() }

func setGroupRow(o fyne.CanvasObject, g alertGroup) {
	row := o.(*fyne.Container)
	sev := row.Objects[1].(*fyne.Container).Objects[0].(*widget.Label)
	lines := row.Objects[0].(*fyne.Container).Objects
	sev.Text = rules.SeverityText(currentLang, g.sev)
	sev.Importance = severityImportance(g.sev)
	sev.Refresh()
	lines[0].(*widget.Label).SetText(T("home.group_title", g.alerts[0].Title(currentLang), len(g.alerts)))
	lines[1].(*widget.Label).SetText(T("home.group_open"))
}

// groupBar is the open group's header: back to the overview and filters.
func groupBar(back func(), title *widget.Label, f *groupFilter) fyne.CanvasObject {
	left := container.NewHBox(&widget.Button{Text: T("home.group_back"), OnTapped: back}, title)
	return container.NewVBox(left, container.NewHBox(f.objects()...))
}
