package app

import (
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/store"
	"rehabdesk/store/rules"
)

// thresholdForm edits the numbers the alert rules compare against. They
// are setting records ("rules.<name>"), so they sync to every device of the
// township; the law's defaults are shown next to each.
type thresholdForm struct {
	ui      *UI
	entries map[string]*widget.Entry
	ids     map[string]string // setting key -> record id
}

func newThresholdForm(u *UI) *thresholdForm {
	t := &thresholdForm{ui: u, entries: map[string]*widget.Entry{}, ids: map[string]string{}}
	current := map[string]string{}
	if recs, err := u.st.List(u.ctx, store.KindSetting, store.ListFilter{}); err == nil {
		for _, r := range recs {
			t.ids[r.Get("key")] = r.ID
			current[r.Get("key")] = r.Get("value")
		}
	}
	for _, d := range rules.ThresholdDefs {
		e := &widget.Entry{PlaceHolder: strconv.Itoa(d.Default)}
		e.SetText(current[rules.SettingPrefix+d.Name])
		e.Validator = func(s string) error {
			if n, err := strconv.Atoi(s); s != "" && (err != nil || n < 0) {
				return errNotCount
			}
			return nil
		}
		t.entries[d.Name] = e
	}
	return t
}

func (t *thresholdForm) content() fyne.CanvasObject {
	var items []*widget.FormItem
	for _, d := range rules.ThresholdDefs {
		items = append(items, &widget.FormItem{Text: T("threshold." + d.Name), Widget: t.entries[d.Name],
			HintText: T("settings.threshold_default", d.Default)})
	}
	items = append([]*widget.FormItem{t.baselineItem()}, items...)
	help := &widget.Label{Text: T("settings.thresholds_help"), Wrapping: fyne.TextWrapWord}
	save := &widget.Button{Text: T("form.save"), Importance: widget.HighImportance, OnTapped: t.save}
	half := (len(items) + 1) / 2
	grid := container.NewGridWithColumns(2, &widget.Form{Items: items[:half]}, &widget.Form{Items: items[half:]})
	return container.NewBorder(help, container.NewHBox(save), nil, nil, container.NewScroll(grid))
}

// save writes the changed thresholds in one transaction; an emptied
// entry goes back to the default.
func (t *thresholdForm) save() {
	for _, d := range rules.ThresholdDefs {
		if err := t.entries[d.Name].Validate(); err != nil {
			t.ui.showMessage(T("settings.thresholds"), T("settings.threshold_bad", T("threshold."+d.Name)))
			return
		}
	}
	err := t.ui.st.Update(t.ui.ctx, func(tx *store.Tx) error {
		for _, d := range rules.ThresholdDefs {
			key := rules.SettingPrefix + d.Name
			id, err := tx.Put(store.KindSetting, t.ids[key], map[string]string{"key": key, "value": t.entries[d.Name].Text})
			if err != nil {
				return err
			}
			t.ids[key] = id
		}
		return tx.Audit(store.ActionRecord, "", store.AuditDetail(store.AuditRecordEdit, string(store.KindSetting)))
	})
	if err != nil {
		t.ui.showError(err)
		return
	}
	if t.ui.shell != nil {
		t.ui.shell.reloadAlerts() // every alert may change
	}
	t.ui.showMessage(T("settings.thresholds"), T("settings.thresholds_saved"))
}

// baselineItem edits the adoption baseline (开始使用日期), a date saved on
// its own.
func (t *thresholdForm) baselineItem() *widget.FormItem {
	e := widget.NewEntry()
	if d, err := rules.Baseline(t.ui.ctx, t.ui.st); err == nil && d != 0 {
		e.SetText(d.String())
	}
	e.OnSubmitted = func(v string) { saveBaseline(t.ui, v) }
	set := &widget.Button{Text: T("form.save"), OnTapped: func() { saveBaseline(t.ui, e.Text) }}
	return &widget.FormItem{Text: T("baseline.field"), Widget: container.NewBorder(nil, nil, nil, set, e), HintText: T("baseline.hint")}
}
