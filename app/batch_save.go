package app

import (
	"errors"
	"strings"

	"rehabdesk/store"
	"rehabdesk/store/rules"
)

// onSave asks to confirm what will be saved, with the count of each
// result: a positive test goes to the police, so it is named.
func (b *batchScreen) onSave() {
	fields, persons := b.records()
	if len(fields) == 0 {
		b.ui.showMessage(T("batch.title"), T("batch.nothing"))
		return
	}
	b.ui.confirm(T("batch.title"), b.summary.Text, T("batch.save"), func() { b.saveAll(fields, persons) })
}

// records are the fields of one new record per row with a result, and
// the rows' persons.
func (b *batchScreen) records() ([]map[string]string, []int) {
	var out []map[string]string
	var rows []int
	for i, r := range b.rows {
		if r.value == "" || r.value == notFound {
			continue
		}
		f := map[string]string{"person": b.shown[i].Person.ID, "date": b.date.Text, b.mode.field: r.value}
		for k, v := range b.common() {
			f[k] = v
		}
		out, rows = append(out, f), append(rows, i)
	}
	return out, rows
}

// common are the fields every record of the batch shares.
func (b *batchScreen) common() map[string]string {
	if b.mode == batchTests {
		f := map[string]string{"collector1": b.collector1.Text, "collector2": b.collector2.Text}
		for k, v := range commonDefaults[store.KindDrugTest] {
			f[k] = v
		}
		return f
	}
	return map[string]string{"visitor": b.collector1.Text, "visitor_kind": b.visitorBy.value()}
}

// saveAll saves the batch in one transaction; on failure nothing is kept
// and the row at fault is named, with its results left as typed.
func (b *batchScreen) saveAll(fields []map[string]string, rows []int) {
	_, err := b.ui.st.AddEvents(b.ui.ctx, b.mode.kind, fields)
	var re *store.RowError
	if errors.As(err, &re) && re.Row < len(rows) {
		name := b.shown[rows[re.Row]].Person.Name
		b.ui.showMessage(T("batch.title"), T("batch.row_failed", rows[re.Row]+1, name, errText(re.Err)))
		return
	}
	if err != nil {
		b.ui.showError(err)
		return
	}
	if b.mode == batchTests {
		b.ui.app.Preferences().SetString(prefLastCollector2, b.collector2.Text)
	}
	b.typed = map[string]string{}
	police := b.reevaluate(rows)
	b.refresh()
	b.ui.showMessage(T("batch.title"), b.savedText(len(fields), police))
}

// reevaluate runs the rules again for each saved person and names those
// who now must be reported to the police (a positive test, a third
// refusal).
func (b *batchScreen) reevaluate(rows []int) []string {
	var police []string
	for _, i := range rows {
		p := b.shown[i].Person
		for _, a := range b.sh.personAlerts(p.ID) {
			if a.Severity == rules.Police {
				police = append(police, p.Name+"（"+a.Title(currentLang)+"）")
				break
			}
		}
	}
	return police
}

func (b *batchScreen) savedText(n int, police []string) string {
	text := T("batch.saved", n)
	if len(police) > 0 {
		text += "\n" + T("batch.police", strings.Join(police, "、"))
	}
	return text
}
