package report

import (
	"strings"
	"testing"

	"rehabdesk/internal/i18n"
)

// Every row, group, status and target has its label and definition: a
// missing one would print its raw key on the county's form.
func TestEveryRowIsTranslated(t *testing.T) {
	var keys []string
	for _, d := range Defs {
		keys = append(keys, "report.metric."+d.ID, "report.def."+d.ID, "report.group."+d.Group)
		if d.Source == "" {
			t.Errorf("row %s has no source", d.ID)
		}
	}
	for _, s := range []string{StatusOpen, StatusDraft, StatusLate, StatusSubmitted, StatusCorrected, StatusChanged} {
		keys = append(keys, "report.status."+s, "report.status.word."+s)
	}
	for _, d := range TargetDefs {
		keys = append(keys, "report.year.target."+d.Name, "report.year.def."+d.Name)
	}
	for _, k := range keys { // every language has the same keys (assets' TestTranslationsSortedAndComplete)
		if i18n.Text("zh", k) == k {
			t.Errorf("no text for %s", k)
		}
	}
	if got := T("en", "report.metric.tests_due"); strings.HasPrefix(got, "report.") {
		t.Errorf("raw key %q", got)
	}
}
