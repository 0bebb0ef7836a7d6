package rules

// cleanYears is 戒毒条例 art. 7's "戒断3年未复吸": a fixed term of the
// regulation, not a local setting.
const cleanYears = 3

// ControlEnd is the day dynamic control (动态管控) ends for a person under
// 戒毒条例第七条, "对戒断3年未复吸的人员，不再实行动态管控": three years after
// their latest measure was completed (解除), counted again from any positive
// test since. It is 0 while a measure is in force or was not completed
// (terminated, refused, handed to the police...), and when the completion
// date is not recorded: then nothing can be counted. The person's file
// shows it (ControlEndNote).
func ControlEnd(p *Person) Day {
	m := p.CurrentMeasure()
	if m == nil || m.Status != "completed" || m.End == 0 {
		return 0
	}
	clean := m.End
	for _, x := range p.Tests {
		if x.Result == "positive" && x.Date > clean {
			clean = x.Date
		}
	}
	for _, v := range p.Violations {
		if v.Kind == "positive_test" && v.Date > clean {
			clean = v.Date
		}
	}
	return clean.AddMonths(12 * cleanYears)
}

// ControlEndNote is the line the person's file shows about the end of
// dynamic control, in a language; "" when there is no end to count.
func ControlEndNote(lang string, p *Person, today Day) string {
	end := ControlEnd(p)
	switch {
	case end == 0:
		return ""
	case today >= end:
		return Alert{Key: "rules.control_end.ended", Args: []any{end}}.Explain(lang)
	}
	return Alert{Key: "rules.control_end.until", Args: []any{end, int(end - today)}}.Explain(lang)
}
