package app

import (
	"testing"

	"rehabdesk/app/msg"
	"rehabdesk/store/rules"
)

// Every rule threshold the Settings page lists has a name in both languages,
// including thresholds the rules engine adds later.
func TestEveryRuleThresholdHasALabel(t *testing.T) {
	for _, d := range rules.ThresholdDefs {
		for _, lang := range []string{"zh", "en"} {
			if key := "threshold." + d.Name; msg.Text(lang, key) == key {
				t.Errorf("%s: no label for %s", lang, key)
			}
		}
	}
}
