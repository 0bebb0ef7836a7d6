package rules

import (
	"strings"
	"testing"
)

// completed is a person whose 社区戒毒 ended (解除) on 2026-01-15.
func completed() *Person {
	p := person("2023-01-15")
	p.Measures[0].Status, p.Measures[0].End = "completed", d("2026-01-15")
	return p
}

// 戒毒条例第七条 "对戒断3年未复吸的人员，不再实行动态管控": control ends three
// years after completion; the day before, it still applies.
func TestControlEndsThreeYearsAfterCompletion(t *testing.T) {
	p := completed()
	if got := ControlEnd(p); got != d("2029-01-15") {
		t.Fatalf("end %s", got)
	}
	for day, ended := range map[string]bool{"2029-01-14": false, "2029-01-15": true, "2029-01-16": true} {
		if strings.HasPrefix(ControlEndNote("en", p, d(day)), "Three clean years reached") != ended {
			t.Errorf("%s: ended %v", day, !ended)
		}
	}
}

// A relapse restarts the three years; a positive test before completion
// (under the measure) does not move them.
func TestPositiveTestRestartsTheThreeYears(t *testing.T) {
	p := completed()
	p.Tests = []Test{{Date: d("2025-06-01"), Result: "positive"}}
	if got := ControlEnd(p); got != d("2029-01-15") {
		t.Errorf("a positive under the measure moved the end to %s", got)
	}
	p.Tests = append(p.Tests, Test{Date: d("2027-03-02"), Result: "positive"}, Test{Date: d("2027-09-01"), Result: "negative"})
	if got := ControlEnd(p); got != d("2030-03-02") {
		t.Errorf("after a relapse: %s, want 2030-03-02", got)
	}
	p.Tests = nil
	p.Violations = []Violation{{Date: d("2026-01-16"), Kind: "positive_test"}}
	if got := ControlEnd(p); got != d("2029-01-16") {
		t.Errorf("a positive logged as a violation: %s, want 2029-01-16", got)
	}
}

func TestNoControlEndWithoutACompletion(t *testing.T) {
	for name, change := range map[string]func(*Person){
		"in force":   func(p *Person) { p.Measures[0].Status = "active" },
		"terminated": func(p *Person) { p.Measures[0].Status = "terminated" },
		"no date":    func(p *Person) { p.Measures[0].End = 0 },
		"no measure": func(p *Person) { p.Measures, p.Current = nil, -1 },
	} {
		p := completed()
		change(p)
		if got := ControlEnd(p); got != 0 || ControlEndNote("zh", p, d("2030-01-01")) != "" {
			t.Errorf("%s: end %s", name, got)
		}
	}
}

func TestControlEndNote(t *testing.T) {
	p := completed()
	if got, w := ControlEndNote("zh", p, d("2029-01-14")), "戒断三年未复吸将于 2029年1月15日 届满（还剩 1 天），届满后不再实行动态管控（戒毒条例第七条）"; got != w {
		t.Errorf("zh: %q, want %q", got, w)
	}
	if got, w := ControlEndNote("en", p, d("2029-01-15")), "Three clean years reached on 2029-01-15: no longer under dynamic control (Drug Rehabilitation Regulations art. 7)"; got != w {
		t.Errorf("en: %q, want %q", got, w)
	}
}
