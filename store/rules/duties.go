package rules

// Duties of issue 18 that were record types without alerts: the agreement
// to sign after report-in (戒毒条例 arts. 16, 38, 44) and a person who lost
// contact (失联/脱管).
var (
	AgreementMissing = Rule{"agreement_missing", Overdue, ScopePerson, "L",
		"戒毒条例第十六条：乡（镇）人民政府、城市街道办事处应当在社区戒毒人员报到后及时与其签订社区戒毒协议；第三十八条：社区康复人员报到时签订社区康复协议；第四十四条：未签订协议的，依法给予处分（“及时”的天数为本地设置）",
		[]string{"agreement_days"}}
	LostContact = Rule{"lost_contact", Police, ScopePerson, "P",
		"失联（脱管）人员须立即查找，并报告当地公安机关协查（本地工作规范）", nil}
)

// agreement: once reported in, the person signs the agreement within
// AgreementDays ("及时", a setting); from the next day it is overdue. An
// agreement signed on or after the decision was received counts: one under
// an earlier measure is not this measure's. A report-in before the adoption
// baseline is skipped: whether its paper agreement exists is unknown, not
// missing.
func (e *env) agreement(p *Person, m *Measure, since Day, out []Alert) []Alert {
	in := m.ReportIn
	if in == 0 {
		in = m.Start
	}
	if in == 0 || in > e.today || (e.t.Baseline != 0 && in < e.t.Baseline) {
		return out
	}
	for _, a := range p.Agreements {
		if a != 0 && a >= min(since, in) {
			return out
		}
	}
	due := in.AddDays(e.t.AgreementDays)
	if e.today > due {
		return append(out, e.alert(AgreementMissing, Overdue, p.ID, due, "overdue", e.d(in), e.d(due), int(e.today-due)))
	}
	return append(out, e.alert(AgreementMissing, DueSoon, p.ID, due, "soon", e.d(in), e.d(due), int(due-e.today)))
}

// lostContact: a person marked 失联 from a day on is looked for and reported
// until the mark is cleared (found again).
func (e *env) lostContact(p *Person, out []Alert) []Alert {
	lost := p.Report.LostContact
	if lost == 0 || lost > e.today {
		return out
	}
	return append(out, e.alert(LostContact, Police, p.ID, lost, "", e.d(lost), int(e.today-lost)))
}
